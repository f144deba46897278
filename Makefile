# Shortcuts; each target is one script that also works without make.
.PHONY: run demo test lint lock bench schema

run demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

lock:
	bash scripts/lock.sh

bench:
	bash scripts/bootstrap.sh test && .venv/bin/python bench/graphql_overhead.py

schema:
	.venv/bin/deskql export-schema

"""The garbage collector of a server process, tuned once its start-up is done (issue 12).

A list request allocates tens of thousands of short-lived objects (rows, views, dicts for the
answer) but few reference cycles. With CPython's default first-generation threshold (700
allocations) a page of 50 calls or tickets triggered 0.3-0.5 collections per request, each
walking every young object, and the full collections walked the whole start-up heap (modules,
the schema, the ORM's metadata) again and again. Measured in-process on the demo data
(an in-process ASGI harness, 400 requests, `gc.callbacks` timing), per request:

    calls(first: 50)    default 0.30 gen-0 collections, 229 µs in the collector
                        tuned   0.01 gen-0 collections,  91 µs
    tickets(first: 50)  default 0.46 gen-0 collections, 257 µs
                        tuned   0.01 gen-0 collections, 115 µs

so about 140 µs (4-6 % of such a request) saved. ``gc.freeze()`` moves the start-up heap out of
the collector's sight; the first-generation threshold of 20 000 lets a request's garbage go by
reference counting before a collection looks at it. Memory held by cyclic garbage between
collections grows accordingly (a few MB at most).
"""

from __future__ import annotations

import gc

FIRST_GENERATION_THRESHOLD = 20_000


def tune() -> None:
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, second, third)

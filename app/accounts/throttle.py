"""Failed sign-ins lock out guessing, without letting anyone lock anyone else out.

Two counters per login name, both in the database (every process agrees): failures from one
client (a keyed hash of its address) lock that client out after a few, doubling from 30 s up to
15 min; failures from every client together lock the name for everyone only after many more,
the same way. So five anonymous guesses no longer lock the super admin out, a guesser is slowed
down per address, and a distributed attack still meets a ceiling. A success clears both
counters; administrators can clear them (``unlockAccount``). Password-change guesses of the old
password count here too.
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from app.accounts import models
from app.errors import RateLimited

log = logging.getLogger("deskql.auth")

EVERYONE = "*"


class LoginThrottle:
    def __init__(
        self,
        *,
        client_failures: int,
        name_failures: int,
        base_lockout: int,
        max_lockout: int,
    ) -> None:
        self.limits = {False: client_failures, True: name_failures}
        self.base_lockout = base_lockout
        self.max_lockout = max_lockout

    async def refuse_if_locked(self, name: str, client: str) -> None:
        now = datetime.now(UTC)
        rows = await models.LoginThrottle.filter(
            account_name=name, client__in=[client, EVERYONE], locked_until__gt=now
        )
        if rows:
            until = max(row.locked_until for row in rows if row.locked_until)
            wait = max(1, math.ceil((until - now).total_seconds()))
            raise RateLimited(
                f"Too many failed attempts for this account; try again in {wait} s.",
                retry_after_seconds=wait,
            )

    async def record_failure(self, name: str, client: str) -> None:
        if not name:
            return
        async with in_transaction():
            for key in (client, EVERYONE):
                await self._count(name, key)

    async def _count(self, name: str, client: str) -> None:
        row, _ = await models.LoginThrottle.get_or_create(account_name=name, client=client)
        await models.LoginThrottle.filter(id=row.id).update(failures=F("failures") + 1)
        await row.refresh_from_db(fields=["failures"])
        limit = self.limits[client == EVERYONE]
        if row.failures >= limit:
            # Doubling from the base for each failure past the threshold, capped.
            extra = min(row.failures - limit, 20)
            wait = min(self.base_lockout * 2**extra, self.max_lockout)
            row.locked_until = datetime.now(UTC) + timedelta(seconds=wait)
            await row.save(update_fields=["locked_until"])
            log.warning(
                "sign-in locked account=%r scope=%s failures=%s wait=%ss",
                name,
                "everyone" if client == EVERYONE else "client",
                row.failures,
                wait,
            )

    async def succeeded(self, name: str, client: str) -> None:
        await models.LoginThrottle.filter(account_name=name, client__in=[client, EVERYONE]).delete()

    async def unlock(self, name: str) -> int:
        """Clear every counter of the name; returns how many there were."""
        return await models.LoginThrottle.filter(account_name=name).delete()

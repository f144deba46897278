"""Who sees which help content: every list, get, loader and search goes through here.

Anonymous readers and accounts without `kc.manage` see published questions only; a draft and
a missing id look the same to them. Holders of `kc.manage` see drafts too."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from app.accounts.permissions import Permission
from app.accounts.principal import Principal
from app.knowledge import models


def sees_drafts(principal: Principal | None) -> bool:
    return principal is not None and principal.has(Permission.KC_MANAGE)


def visible_questions(principal: Principal | None) -> QuerySet:
    queryset = models.HelpQuestion.all()
    if not sees_drafts(principal):
        queryset = queryset.filter(status=models.QuestionStatus.PUBLISHED)
    return queryset

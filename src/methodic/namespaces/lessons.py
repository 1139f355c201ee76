"""``chronicle.lessons``: what a user, team or organization has learned, across its experiments."""

from __future__ import annotations

from methodic_api.api.lessons import list_lessons

from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt
from methodic.types import ScopeLessons


class LessonsNamespace(Namespace):
    """The scope-wide list of lessons; an experiment's own are ``experiments.list_lessons``."""

    @wraps_operation("list_lessons")
    def list(
        self,
        *,
        scope: str | None = None,
        status: str | None = None,
        category: str | None = None,
        origin: str | None = None,
        limit: int | None = None,
    ) -> ScopeLessons:
        """Every lesson of every experiment in ``scope`` (a user, team or organization id) the caller can read.

        Without ``scope``, every scope the caller belongs to; one it does not belong to is refused
        (PermissionDeniedError). ``status``: ``active`` (the default), ``retired`` or ``all``; ``limit``:
        how many (200 by default, at most 1000). ``.experiments`` gives the title of each experiment a
        lesson comes from, so "lesson, from experiment" needs no further request.
        """
        return self._call(
            list_lessons.sync_detailed,
            ScopeLessons,
            scope=opt(scope),
            status=opt(status),
            category=opt(category),
            origin=opt(origin),
            limit=opt(limit),
        )

"""Transactions that survive contention: retry on SQLite lock errors and MySQL deadlocks.

Every service that writes runs its body through :func:`atomic`. On MariaDB/MySQL the body takes
row locks (``SELECT ... FOR UPDATE``, conditional ``UPDATE``) and a deadlock or lock-wait
timeout rolls the whole body back and runs it again. SQLite has no row locks: it serialises
writers, and answers "database is locked" (or, for shared-cache databases, "database table is
locked") when two transactions collide; the body is then rolled back and run again after a
short random pause. Because the whole body is re-run, it must not have side effects outside
the database before it returns (the services publish grades from inside the body, through the
same database, or record them in memory).

Inside an outer transaction (a caller's ``atomic()``), no retry is possible: the body runs once
in a savepoint and errors propagate.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction

T = TypeVar("T")

MAX_ATTEMPTS = 60
_MYSQL_RETRY_CODES = {1205, 1213}  # lock wait timeout, deadlock
_SQLITE_RETRY_TEXT = ("database is locked", "database table is locked", "database schema is locked")


def _retryable(error: OperationalError) -> bool:
    if connection.vendor == "sqlite":
        text = str(error)
        return any(fragment in text for fragment in _SQLITE_RETRY_TEXT)
    if connection.vendor == "mysql":
        return bool(error.args) and error.args[0] in _MYSQL_RETRY_CODES
    return False


def atomic(body: Callable[[], T]) -> T:
    """Run ``body()`` in a transaction, retrying it whole on lock contention (see module doc)."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return body()
    for attempt in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                return body()
        except OperationalError as error:
            if attempt == MAX_ATTEMPTS - 1 or not _retryable(error):
                raise
            time.sleep(random.uniform(0.001, 0.004) * min(attempt + 1, 10))
    raise AssertionError("unreachable")


def for_update(queryset, *, skip_locked: bool = False):
    """``select_for_update`` where the database has row locks (a no-op on SQLite)."""
    features = connection.features
    if not features.has_select_for_update:
        return queryset
    return queryset.select_for_update(skip_locked=skip_locked and features.has_select_for_update_skip_locked)

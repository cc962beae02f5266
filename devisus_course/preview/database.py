"""Database settings from one URL, so tests and CI can point at MariaDB and fall back to SQLite.

``DEVISUS_DATABASE_URL=mysql://root@127.0.0.1:3306/devisus`` selects MariaDB/MySQL (what Open edX
runs on); without it, SQLite under the preview's data folder is used.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

DATABASE_URL_VARIABLE = "DEVISUS_DATABASE_URL"


def database_settings(sqlite_path: Path) -> dict:
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if not url:
        # IMMEDIATE: a transaction takes the write lock when it begins, so concurrent requests wait
        # (timeout) instead of failing with "database is locked" when a read turns into a write;
        # ORA2 loads its steps in parallel and each may update the learner's workflow.
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    parsed = urlparse(url)
    if parsed.scheme not in ("mysql", "mariadb"):
        raise ValueError(
            f"{DATABASE_URL_VARIABLE}: only mysql:// (MariaDB/MySQL) URLs are supported, got {parsed.scheme}://"
        )
    name = parsed.path.lstrip("/") or "devisus"
    return {
        "ENGINE": "django.db.backends.mysql",
        "NAME": name,
        "USER": unquote(parsed.username or "root"),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "127.0.0.1",
        "PORT": str(parsed.port or 3306),
        # Open edX's own settings: utf8mb4 and READ COMMITTED, so tests see the same locking.
        "OPTIONS": {"charset": "utf8mb4", "isolation_level": "read committed"},
        "TEST": {"NAME": f"test_{name}", "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
    }

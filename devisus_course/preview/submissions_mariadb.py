"""A workaround for edx-submissions 3.12.2 on MariaDB: its migration
``0006_mariadb_uuid_conversion`` changes the ``uuid`` column of three tables to MariaDB's native
``uuid`` type, but only ``submissions_submission`` has such a column (``StudentItem`` and ``Score``
have none: submissions/models.py), so on a new MariaDB database the migration fails with
"Unknown column 'uuid' in 'submissions_studentitem'" and nothing installs. MySQL and SQLite skip
it. The preview (and the test suite, which runs on MariaDB in CI) replaces that one operation by
the same conversion applied to the tables that really have the column; the Open edX LMS runs
MySQL, where the migration does nothing.
"""

from __future__ import annotations

import importlib

from django.db import migrations

UPSTREAM = "submissions.migrations.0006_mariadb_uuid_conversion"
TABLES = ("submissions_submission", "submissions_studentitem", "submissions_score")


def _is_mariadb(connection) -> bool:
    return connection.vendor == "mysql" and getattr(connection, "mysql_is_mariadb", False)


def _convert(to_type: str):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if not _is_mariadb(connection):
            return
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(
                    "SELECT COUNT(*) FROM information_schema.columns"
                    " WHERE table_schema = DATABASE() AND table_name = %s AND column_name = 'uuid'",
                    [table],
                )
                if cursor.fetchone()[0]:
                    cursor.execute(f"ALTER TABLE {table} MODIFY uuid {to_type} NOT NULL")

    return run


def patch_upstream_migration() -> None:
    """Swap the upstream migration's operation for the tolerant one (when edx-submissions is there)."""
    try:
        module = importlib.import_module(UPSTREAM)
    except ImportError:  # another edx-submissions release: nothing to mend
        return
    module.Migration.operations = [migrations.RunPython(_convert("uuid"), _convert("char(32)"))]

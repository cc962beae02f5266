"""`devisus-course serve`: the preview on 127.0.0.1, migrations applied on start."""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

SETTINGS_MODULE = "devisus_course.preview.settings"


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def configure(course_dir: Path, data_dir: Path) -> None:
    """Point the preview settings at the course trees and the data folder, then set Django up."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["DEVISUS_PREVIEW_COURSE"] = str(course_dir.resolve())
    os.environ["DEVISUS_PREVIEW_DATA"] = str(data_dir.resolve())
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    # The workbench's own app has no migrations, hence --run-syncdb; ours have real migrations.
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


def serve(host: str, port: int, course_dir: Path, data_dir: Path) -> int:
    if not port_is_free(host, port):
        print(
            f"devisus-course: error: port {port} on {host} is already in use; choose another with --port",
            file=sys.stderr,
        )
        return 1
    if not (course_dir / "fr" / "course.xml").is_file() and not (course_dir / "en" / "course.xml").is_file():
        print(
            f"devisus-course: warning: no built course in {course_dir}; run `devisus-course build` to preview it",
            file=sys.stderr,
        )
    configure(course_dir, data_dir)
    migrate()
    from django.core.management import call_command

    print(f"DEVISUS preview: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, skip_checks=True)
    return 0

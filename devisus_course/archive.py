"""Deterministic .tar.gz archives of an OLX tree, in the layout Studio imports.

Two builds of the same tree give byte-identical archives: members are sorted, and owner,
modes and times are fixed, including the gzip header's own timestamp.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from pathlib import Path

ARCHIVE_TOP_FOLDER = "course"
# 2000-01-01T00:00:00Z: a fixed, plausible time, since an mtime of 0 confuses some tools.
FIXED_MTIME = 946684800


def _tar_info(name: str, is_dir: bool, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if is_dir else tarfile.REGTYPE
    info.mode = 0o755 if is_dir else 0o644
    info.size = size
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_archive(tree: Path, destination: Path, top_folder: str = ARCHIVE_TOP_FOLDER) -> None:
    """Write ``tree`` as ``destination`` (.tar.gz) with all members under ``top_folder/``."""
    entries = sorted(_walk(tree))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        tar.addfile(_tar_info(top_folder, is_dir=True))
        for relative in entries:
            path = tree / relative
            name = f"{top_folder}/{relative}"
            if path.is_dir():
                tar.addfile(_tar_info(name, is_dir=True))
            else:
                data = path.read_bytes()
                tar.addfile(_tar_info(name, is_dir=False, size=len(data)), io.BytesIO(data))
    with (
        open(destination, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(buffer.getvalue())


def _walk(tree: Path):
    for dirpath, dirnames, filenames in os.walk(tree):
        base = Path(dirpath).relative_to(tree)
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                raise ValueError(f"{path}: symbolic links are not archived")
            yield (base / name).as_posix()

"""Course archives (.tar.gz/.tgz/.tar/.zip): refuse anything hostile, then extract to a temp dir.

Every member is checked before a single byte is written, and only regular files and folders
are ever created, inside a private temporary directory removed afterwards.
"""

from __future__ import annotations

import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .report import Finding, error

MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 20_000

TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar")
ZIP_SUFFIXES = (".zip",)

_READ_ERRORS = (
    tarfile.TarError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(TAR_SUFFIXES + ZIP_SUFFIXES)


@dataclass(frozen=True)
class _Entry:
    name: str  # normalised: no '.', '', '..' components, no leading '/'
    is_dir: bool
    size: int
    member: object  # TarInfo or ZipInfo, to open the data later


@dataclass
class Extracted:
    course_root: Path | None  # None when the archive was refused
    top: str | None
    findings: list[Finding]


def _normalise(raw: str) -> tuple[str | None, str | None]:
    """(normalised name, problem); both None for the archive's own root entry ('./')."""
    if "\x00" in raw:
        return None, "NUL byte in member name"
    if "\\" in raw:
        return None, "backslash in member name (Windows path?)"
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        return None, "absolute path"
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None, "'..' path component"
    if not parts:
        return None, None
    return "/".join(parts), None


def _tar_kind(info: tarfile.TarInfo) -> str | None:
    """None for a member we may extract, else what it is."""
    if info.isreg() or info.isdir():
        return None
    if info.issym():
        return f"symbolic link (to {info.linkname!r})"
    if info.islnk():
        return f"hard link (to {info.linkname!r})"
    if info.ischr() or info.isblk():
        return "device file"
    if info.isfifo():
        return "FIFO"
    return f"unsupported member type {info.type!r}"


def _zip_kind(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16
    if info.flag_bits & 0x1:
        return "encrypted member"
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device file"
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "FIFO or socket"
    return None


def _scan(
    members: Iterator[tuple[str, str | None, bool, int, object]], label: str
) -> tuple[list[_Entry], list[Finding]]:
    """Check names, types, sizes and count of (raw name, bad kind, is_dir, size, member)."""
    entries: list[_Entry] = []
    findings: list[Finding] = []
    seen: dict[str, bool] = {}
    total = 0
    for count, (raw, kind, is_dir, size, member) in enumerate(members, start=1):
        if count > MAX_MEMBERS:
            findings.append(error("archive", label, f"more than {MAX_MEMBERS} members"))
            break
        name, problem = _normalise(raw)
        if problem:
            findings.append(error("archive", raw, f"refused member: {problem}"))
            continue
        if name is None:
            continue
        if kind:
            findings.append(error("archive", name, f"refused member: {kind}"))
            continue
        if size > MAX_MEMBER_BYTES:
            findings.append(error("archive", name, f"member is {size} bytes, over the {MAX_MEMBER_BYTES}-byte limit"))
            continue
        total += size
        if name in seen and not (is_dir and seen[name]):
            findings.append(error("archive", name, "member appears twice"))
            continue
        seen[name] = is_dir
        entries.append(_Entry(name, is_dir, size, member))
    if total > MAX_TOTAL_BYTES:
        findings.append(error("archive", label, f"members total {total} bytes, over the {MAX_TOTAL_BYTES}-byte limit"))
    return entries, findings


def _layout(entries: list[_Entry], label: str) -> tuple[str | None, list[Finding]]:
    tops = sorted({e.name.split("/", 1)[0] for e in entries})
    if len(tops) != 1:
        found = ", ".join(tops) or "nothing"
        return None, [error("archive", label, f"needs exactly one top-level folder holding course.xml, found: {found}")]
    top = tops[0]
    if any(e.name == top and not e.is_dir for e in entries):
        return None, [error("archive", top, "the top level holds a file; it needs one folder holding course.xml")]
    if not any(e.name == f"{top}/course.xml" and not e.is_dir for e in entries):
        return None, [error("archive", f"{top}/course.xml", "the top-level folder has no course.xml")]
    return top, []


def _tar_members(tf: tarfile.TarFile):
    for info in tf:
        yield info.name, _tar_kind(info), info.isdir(), info.size, info


def _zip_members(zf: zipfile.ZipFile):
    for info in zf.infolist():
        yield info.filename, _zip_kind(info), info.is_dir(), info.file_size, info


def _copy(source, dest: Path, limit: int) -> None:
    written = 0
    with open(dest, "xb") as out:
        while chunk := source.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise ValueError("member holds more data than its header declares")
            out.write(chunk)


def _write(entries: list[_Entry], open_member, into: Path) -> None:
    base = into.resolve()
    for entry in entries:
        dest = into / entry.name
        # Names were vetted above and no links are ever created; this only guards that reasoning.
        if not dest.resolve().is_relative_to(base):
            raise ValueError(f"{entry.name} would land outside the extraction folder")
        if entry.is_dir:
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open_member(entry.member) as source:
            _copy(source, dest, min(entry.size, MAX_MEMBER_BYTES))


@contextmanager
def extracted(path: Path) -> Iterator[Extracted]:
    """Check and extract the archive at ``path``; the folder lives until the block ends."""
    label = path.name
    try:
        if path.name.lower().endswith(ZIP_SUFFIXES):
            handle = zipfile.ZipFile(path)
            members = _zip_members(handle)
            open_member = handle.open
        else:
            handle = tarfile.open(path, "r:*")
            members = _tar_members(handle)
            open_member = handle.extractfile
    except _READ_ERRORS as exc:
        yield Extracted(None, None, [error("archive", label, f"cannot read archive: {exc}")])
        return
    with handle:
        try:
            entries, findings = _scan(members, label)
        except _READ_ERRORS as exc:
            yield Extracted(None, None, [error("archive", label, f"cannot read archive: {exc}")])
            return
        top = None
        if not findings:
            top, findings = _layout(entries, label)
        if findings:
            yield Extracted(None, None, findings)
            return
        with tempfile.TemporaryDirectory(prefix="devisus-validate-") as tmp:
            into = Path(tmp)
            try:
                _write(entries, open_member, into)
            except _READ_ERRORS as exc:
                yield Extracted(None, None, [error("archive", label, f"cannot extract archive: {exc}")])
                return
            yield Extracted(into / top, top, [])

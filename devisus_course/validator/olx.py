"""Load an OLX tree: parse every XML file safely, follow url_name pointers, index the blocks.

The result (``Olx``) is what the other rules look at, so each file is read once, through
``devisus_course.xmlsafe``, and every block remembers the file and line that declared it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from .. import xmlsafe
from ..errors import SourceError
from .blocks import BUILTIN_BLOCKS, CONTAINERS, SAFE_NAME, is_pointer
from .report import Finding, error, warning

# Static files are served as they are, never parsed by Open edX, so their XML is not ours to judge.
_UNPARSED_TOP_FOLDERS = {"static"}

# A course is course -> chapter -> sequential -> vertical -> component (plus a few wrappers);
# a longer chain of pointer files is a mistake, or an attempt to exhaust the recursion limit.
MAX_POINTER_DEPTH = 32


@dataclass
class Usage:
    """One block of the course tree, where it is declared and where its content lives."""

    tag: str
    url_name: str | None
    parent: str
    file: str  # file of the declaring element (the pointer, or the inline element)
    line: int | None
    element: etree._Element  # the content element (a pointer's target root)
    content_file: str
    pointer: bool

    @property
    def content_line(self) -> int | None:
        return self.element.sourceline


@dataclass
class Olx:
    root: Path
    files: set[str] = field(default_factory=set)
    docs: dict[str, etree._Element] = field(default_factory=dict)
    run: str | None = None
    course_file: str | None = None
    course_element: etree._Element | None = None
    usages: list[Usage] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Set when a path inside the tree could reach outside it, or a file is too big to re-read:
    # third-party tools that open files themselves (olxcleaner) must not run then.
    unsafe: bool = False

    @property
    def course_attrs(self) -> dict[str, str]:
        return dict(self.course_element.attrib) if self.course_element is not None else {}

    def of_tag(self, tag: str) -> list[Usage]:
        return [u for u in self.usages if u.tag == tag]


def load_olx(root: Path) -> Olx:
    olx = Olx(root=root)
    _scan_files(olx)
    _load_course(olx)
    return olx


def _scan_files(olx: Olx) -> None:
    for dirpath, dirnames, filenames in os.walk(olx.root, followlinks=False):
        here = Path(dirpath)
        for name in sorted(dirnames + filenames):
            path = here / name
            rel = path.relative_to(olx.root).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                olx.findings.append(error("archive", rel, "symbolic link: Studio refuses links in course archives"))
                olx.unsafe = True
            elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                olx.findings.append(error("archive", rel, "not a regular file or folder"))
                olx.unsafe = True
            elif stat.S_ISREG(mode):
                olx.files.add(rel)
        dirnames[:] = sorted(d for d in dirnames if not (here / d).is_symlink())
    for rel in sorted(olx.files):
        parts = PurePosixPath(rel).parts
        if rel.endswith(".xml") and parts[0] not in _UNPARSED_TOP_FOLDERS:
            try:
                # The limit is read at call time so it follows xmlsafe.MAX_XML_BYTES.
                olx.docs[rel] = xmlsafe.parse_xml_file(olx.root / rel, xmlsafe.MAX_XML_BYTES)
            except SourceError as exc:
                olx.findings.append(error("xml", rel, exc.message, exc.line))
                if "larger than" in exc.message:
                    olx.unsafe = True
        elif (
            rel.endswith(".html")
            and parts[0] not in _UNPARSED_TOP_FOLDERS
            and (olx.root / rel).stat().st_size > xmlsafe.MAX_XML_BYTES
        ):
            olx.findings.append(error("xml", rel, f"HTML file is larger than {xmlsafe.MAX_XML_BYTES} bytes"))
            olx.unsafe = True


def _load_course(olx: Olx) -> None:
    if "course.xml" not in olx.files:
        olx.findings.append(error("refs", "course.xml", "course.xml not found at the root of the course"))
        return
    top = olx.docs.get("course.xml")
    if top is None:
        return  # already reported as an XML error
    if top.tag != "course":
        olx.findings.append(
            error("refs", "course.xml", f"root element is <{top.tag}>, expected <course>", top.sourceline)
        )
        return
    missing = [a for a in ("url_name", "org", "course") if not top.get(a)]
    if missing:
        olx.findings.append(error("refs", "course.xml", "<course> lacks " + ", ".join(missing), top.sourceline))
    run = top.get("url_name")
    if run is None:
        return
    if not SAFE_NAME.match(run):
        olx.findings.append(error("url-name", "course.xml", f"unsafe course url_name {run!r}", top.sourceline))
        olx.unsafe = True
        return
    olx.run = run
    walker = _Walker(olx)
    walker.register("course", run, "course.xml", top.sourceline)
    if is_pointer(top):
        target = f"course/{run}.xml"
        walker.referenced.add(target)
        if target not in olx.files:
            olx.findings.append(
                error(
                    "refs",
                    "course.xml",
                    f"<course url_name={run!r}> points to {target}, which does not exist",
                    top.sourceline,
                )
            )
            return
        content = olx.docs.get(target)
        if content is None:
            return
        if content.tag != "course":
            olx.findings.append(
                error("refs", target, f"root element is <{content.tag}>, expected <course>", content.sourceline)
            )
            return
        olx.course_file, olx.course_element = target, content
    else:
        # Old-style exports keep the whole course inline in course.xml.
        olx.course_file, olx.course_element = "course.xml", top
    walker.visit(olx.course_element, olx.course_file, [olx.course_file])
    # After a broken file or pointer the walk is partial, and orphans would be false alarms.
    if not walker.incomplete:
        walker.report_orphans()


class _Walker:
    """Follows the course tree from the course file, the way Studio's importer does."""

    def __init__(self, olx: Olx):
        self.olx = olx
        self.seen: dict[tuple[str, str], tuple[str, int | None]] = {}
        self.referenced: set[str] = {"course.xml"}
        self.visited: set[str] = set()
        self.incomplete = False

    def add(self, finding: Finding) -> None:
        self.olx.findings.append(finding)

    def register(self, tag: str, url_name: str, file: str, line: int | None) -> None:
        key = (tag, url_name)
        if key in self.seen:
            first_file, first_line = self.seen[key]
            where = first_file + (f":{first_line}" if first_line else "")
            self.add(
                error("url-name", file, f"duplicate url_name {url_name!r} for <{tag}> (first used at {where})", line)
            )
        else:
            self.seen[key] = (file, line)

    def safe_name(self, value: str, what: str, file: str, line: int | None) -> bool:
        if SAFE_NAME.match(value):
            return True
        self.add(
            error("url-name", file, f"unsafe {what} {value!r}: use letters, digits, '_', '-', '.', '~' only", line)
        )
        self.olx.unsafe = True
        self.incomplete = True
        return False

    def visit(self, element: etree._Element, file: str, stack: list[str]) -> None:
        for child in element:
            if isinstance(child.tag, str):
                self.child(child, element.tag, file, stack)

    def child(self, child: etree._Element, parent: str, file: str, stack: list[str]) -> None:
        tag, line = child.tag, child.sourceline
        url_name = child.get("url_name")
        if url_name is not None and not self.safe_name(url_name, "url_name", file, line):
            return
        if tag in BUILTIN_BLOCKS and url_name is not None and is_pointer(child):
            self.pointer(child, parent, file, stack)
            return
        if url_name is not None:
            self.register(tag, url_name, file, line)
            if tag not in BUILTIN_BLOCKS and is_pointer(child) and f"{tag}/{url_name}.xml" in self.olx.files:
                self.add(
                    warning(
                        "refs",
                        file,
                        f"<{tag} url_name={url_name!r}/> is read as an empty inline block: custom XBlocks must be "
                        f"written inline, {tag}/{url_name}.xml is ignored by older Open edX releases",
                        line,
                    )
                )
        self.content(Usage(tag, url_name, parent, file, line, child, file, False), stack)

    def pointer(self, child: etree._Element, parent: str, file: str, stack: list[str]) -> None:
        tag, url_name, line = child.tag, child.get("url_name"), child.sourceline
        self.register(tag, url_name, file, line)
        target = f"{tag}/{url_name}.xml"
        self.referenced.add(target)
        content = self.resolve(child, file, target, stack)
        if content is None:
            # Still a block at this place: placement and tag rules apply to the pointer itself.
            self.olx.usages.append(Usage(tag, url_name, parent, file, line, child, file, True))
            return
        self.visited.add(target)
        own = content.get("url_name")
        if own is not None and own != url_name:
            self.add(
                warning(
                    "url-name",
                    target,
                    f"url_name {own!r} differs from the file name; the pointer's {url_name!r} wins",
                    content.sourceline,
                )
            )
        self.content(Usage(tag, url_name, parent, file, line, content, target, True), stack + [target])

    def resolve(self, child: etree._Element, file: str, target: str, stack: list[str]) -> etree._Element | None:
        """The root element of a pointer's target file, or None (reported) when unusable."""
        tag, url_name, line = child.tag, child.get("url_name"), child.sourceline
        problem = None
        content = self.olx.docs.get(target)
        if target in stack:
            problem = error(
                "refs", file, f"<{tag} url_name={url_name!r}> points back to {target}: circular reference", line
            )
        elif len(stack) >= MAX_POINTER_DEPTH:
            problem = error("refs", file, f"pointers nested more than {MAX_POINTER_DEPTH} files deep", line)
        elif target in self.visited:
            return None  # a second pointer to one file: reported as a duplicate url_name
        elif target not in self.olx.files:
            problem = error(
                "refs", file, f"<{tag} url_name={url_name!r}> points to {target}, which does not exist", line
            )
        elif content is not None and content.tag != tag:
            problem = error(
                "refs",
                target,
                f"root element is <{content.tag}>, but {file}:{line} points here as <{tag}>",
                content.sourceline,
            )
        if problem is not None:
            self.add(problem)
        if problem is not None or content is None:  # None alone: unreadable XML, already reported
            self.incomplete = True
            return None
        return content

    def content(self, usage: Usage, stack: list[str]) -> None:
        self.olx.usages.append(usage)
        if usage.tag == "html":
            self.html_file(usage)
        if usage.tag in CONTAINERS:
            self.visit(usage.element, usage.content_file, stack)

    def html_file(self, usage: Usage) -> None:
        filename = usage.element.get("filename")
        if filename is None:
            return
        line = usage.content_line
        if not self.safe_name(filename, "html filename", usage.content_file, line):
            return
        target = f"html/{filename}.html"
        self.referenced.add(target)
        if target not in self.olx.files:
            self.add(
                error(
                    "refs",
                    usage.content_file,
                    f"<html filename={filename!r}> needs {target}, which does not exist",
                    line,
                )
            )

    def report_orphans(self) -> None:
        for rel in sorted(self.olx.files - self.referenced):
            parts = PurePosixPath(rel).parts
            if len(parts) != 2 or parts[0] not in BUILTIN_BLOCKS:
                continue
            if rel.endswith(".xml") or (parts[0] == "html" and rel.endswith(".html")):
                self.add(warning("refs", rel, "not referenced from the course tree: Studio will not import it"))

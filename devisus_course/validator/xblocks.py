"""Parse each custom block element through its real XBlock class, as Studio's import would."""

from __future__ import annotations

import copy
import logging

from lxml import etree
from xblock.core import XBlock
from xblock.field_data import FieldData
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, Runtime

from .blocks import BUILTIN_BLOCKS
from .django_setup import ensure_django
from .olx import Olx, Usage
from .report import Finding, error, warning
from .tags import custom_usages, installed_xblocks

# Settings the Open edX runtime mixes into every block (XModuleMixin, InheritanceMixin...):
# a block class without such a field still gets it in the LMS.
PLATFORM_FIELDS = frozenset(
    {
        "display_name",
        "graded",
        "format",
        "due",
        "start",
        "weight",
        "showanswer",
        "show_correctness",
        "max_attempts",
        "rerandomize",
        "group_access",
        "visible_to_staff_only",
        "hide_after_due",
        "days_early_for_beta",
        "graceperiod",
        "show_reset_button",
        "submission_wait_seconds",
        "xqa_key",
        "static_asset_path",
        "use_latex_compiler",
        "course_edit_method",
        "giturl",
        "user_partitions",
        "is_entrance_exam",
        "self_paced",
        "matlab_api_key",
        "due_num_weeks",
    }
)

# Attributes the OLX importer consumes itself before a block class sees the node.
_IMPORTER_ATTRIBUTES = frozenset({"url_name", "xblock-family"})


class _BuiltinChild(XBlock):
    """Stands in for a built-in Open edX block nested in a custom block.

    The LMS supplies those classes; outside it they are not registered under their OLX tags,
    and their inner markup is not this rule's business.
    """

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        return runtime.construct_xblock_from_class(cls, keys)


class _ParseRuntime(Runtime):
    """The smallest runtime that can parse OLX into blocks held in memory."""

    def __init__(self, field_data: FieldData):
        ids = MemoryIdManager()
        super().__init__(ids, ids, services={"field-data": field_data})

    def load_block_type(self, block_type):
        if block_type in BUILTIN_BLOCKS and block_type not in installed_xblocks():
            return _BuiltinChild
        return super().load_block_type(block_type)

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        raise NotImplementedError("parsing only")

    def resource_url(self, resource):
        raise NotImplementedError("parsing only")

    def local_resource_url(self, block, uri):
        raise NotImplementedError("parsing only")

    def publish(self, block, event_type, event_data):
        pass


class _DropUnknownFieldLog(logging.Filter):
    # XBlock.parse_xml logs every attribute it ignores on the root logger; those become
    # warning findings instead of noise on the validator's output.
    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "%s does not contain field %s"


def check_custom_blocks(olx: Olx) -> list[Finding]:
    usages = [u for u in custom_usages(olx) if u.tag in installed_xblocks()]
    if not usages:
        return []
    ensure_django()  # block modules import their models, as they may in the LMS and Studio
    runtime = _ParseRuntime(KvsFieldData(DictKeyValueStore()))
    findings: list[Finding] = []
    log_filter = _DropUnknownFieldLog()
    root_logger = logging.getLogger()
    root_logger.addFilter(log_filter)
    try:
        for usage in usages:
            findings.extend(_parse_one(runtime, usage))
    finally:
        root_logger.removeFilter(log_filter)
    return findings


def _parse_one(runtime: _ParseRuntime, usage: Usage) -> list[Finding]:
    tag = usage.tag
    try:
        cls = runtime.load_block_type(tag)
    except Exception as exc:  # a broken plugin raises anything at import time
        return [
            error(
                "xblock-parse",
                usage.file,
                f"cannot load the XBlock class of <{tag}>: {type(exc).__name__}: {exc}",
                usage.line,
            )
        ]
    where = f"{cls.__module__}:{cls.__name__}"
    node = copy.deepcopy(usage.element)
    node.tail = None
    for name in _IMPORTER_ATTRIBUTES:
        node.attrib.pop(name, None)
    try:
        # The element comes from a tree already parsed by xmlsafe (no DTD, no entities), so the
        # runtime's own parser only sees plain, bounded XML again.
        runtime.parse_xml_string(etree.tostring(node))
    except Exception as exc:  # any failure of the block's own parser is the finding
        return [
            error(
                "xblock-parse",
                usage.file,
                f"<{tag}> does not parse through {where}: {type(exc).__name__}: {exc}",
                usage.line,
            )
        ]
    return _ignored_attributes(cls, usage, where)


def _ignored_attributes(cls, usage: Usage, where: str) -> list[Finding]:
    # Only the default parse_xml turns attributes into fields; a block with its own parser
    # may consume any attribute it likes.
    if getattr(cls.parse_xml, "__func__", None) is not XBlock.parse_xml.__func__:
        return []
    findings = []
    for name in usage.element.attrib:
        if name in _IMPORTER_ATTRIBUTES or name in PLATFORM_FIELDS or name in cls.fields or name.startswith("{"):
            continue
        findings.append(
            warning(
                "xblock-parse",
                usage.file,
                f"<{usage.tag}> attribute {name!r} is not a field of {where}: it is ignored",
                usage.line,
            )
        )
    return findings

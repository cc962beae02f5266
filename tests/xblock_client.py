"""Driving XBlocks through the real xblock-sdk workbench: scenario pages and handler URLs.

Tests use this instead of calling block methods, so every request goes through the workbench
runtime, our user service, the handler decorator and the database, as in the preview.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass

from django.test import Client

USAGE_ID = re.compile(r"data-usage(?:-id)?=[\"']([^\"']+)[\"']")


@dataclass
class Reply:
    status: int
    data: dict

    @property
    def error(self) -> str | None:
        return self.data.get("error") if isinstance(self.data, dict) else None


class Workbench:
    """One workbench session; ``student`` picks the simulated user (staff ids act as staff)."""

    def __init__(self, language: str = "en"):
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)

    def page(self, scenario: str, student: str, view: str = "student_view", **params) -> str:
        query = {"student": student, **params}
        response = self.client.get(f"/scenario/{scenario}/{view}/", query)
        assert response.status_code == 200, response.content[:500]
        return response.content.decode("utf-8")

    def usage_ids(self, scenario: str, block_type: str, student: str = "student_1") -> list[str]:
        html = self.page(scenario, student)
        ids = [uid for uid in USAGE_ID.findall(html) if f".{block_type}." in uid]
        assert ids, f"no {block_type} in scenario {scenario}"
        return list(dict.fromkeys(ids))

    def call(
        self, usage_id: str, handler: str, student: str, data=None, *, raw: bytes | None = None, method: str = "post"
    ) -> Reply:
        url = f"/handler/{usage_id}/{handler}/?student={student}"
        if method == "get":
            response = self.client.get(url)
        else:
            body = raw if raw is not None else json.dumps(data if data is not None else {}).encode("utf-8")
            response = self.client.post(url, data=body, content_type="application/json")
        try:
            payload = json.loads(response.content.decode("utf-8"))
        except ValueError:
            payload = {"raw": response.content.decode("utf-8", "replace")}
        return Reply(response.status_code, payload)


def load_block_scenarios(tag: str) -> dict:
    """Load only ``tag``'s workbench scenarios into the (emptied) test database.

    The workbench keeps scenarios per process and their settings in the database, which a
    transactional test empties: tests reload them for each test (only their block's, so other
    blocks' work in progress cannot break them) and call ``forget_scenarios`` afterwards so
    whoever comes next reloads the full set.
    """
    from workbench import scenarios
    from workbench.runtime import ID_MANAGER, WORKBENCH_KVS
    from xblock.core import XBlock

    WORKBENCH_KVS.clear()
    ID_MANAGER.clear()
    scenarios.SCENARIOS.clear()
    scenarios.add_class_scenarios(tag, XBlock.load_class(tag), fail_silently=False)
    scenarios.get_scenarios.initialized = True
    return scenarios.SCENARIOS


def forget_scenarios() -> None:
    from workbench import scenarios
    from workbench.runtime import ID_MANAGER

    scenarios.SCENARIOS.clear()
    ID_MANAGER.clear()
    scenarios.get_scenarios.initialized = False


def olx_runtime():
    """A workbench runtime for parsing and exporting OLX in tests (as staff)."""
    from workbench.runtime import WorkbenchRuntime

    runtime = WorkbenchRuntime("staff")
    runtime.id_generator.set_scenario("olx-round-trip")
    return runtime


def parse_olx(runtime, xml: str):
    return runtime.get_block(runtime.parse_xml_string(xml))


def export_olx(runtime, block) -> bytes:
    buffer = io.BytesIO()
    runtime.export_to_xml(block, buffer)
    return buffer.getvalue()

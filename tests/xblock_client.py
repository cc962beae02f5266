"""Driving XBlocks through the real xblock-sdk workbench: scenario pages and handler URLs.

Tests use this instead of calling block methods, so every request goes through the workbench
runtime, our user service, the handler decorator and the database, as in the preview.
"""
from __future__ import annotations

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

    def call(self, usage_id: str, handler: str, student: str, data=None, *, raw: bytes | None = None, method: str = "post") -> Reply:
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

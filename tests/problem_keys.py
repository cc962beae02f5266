"""The keyed (and one wrong) answer of every response of a course problem, read from its OLX.

Tests answer the course's problems with these, as a learner would: the values are what the
problem's inputs send (capa names choices ``choice_<n>`` in document order; a drop-down sends the
option's text; text and number inputs send what is typed).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

KINDS = {
    "multiplechoiceresponse": "multiple choice",
    "choiceresponse": "checkboxes",
    "optionresponse": "drop-down",
    "numericalresponse": "numerical",
    "stringresponse": "text",
}


@dataclass(frozen=True)
class Response:
    kind: str
    right: object  # str, or a list of choice names for checkboxes
    wrong: object


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def responses(xml: str) -> list[Response]:
    problem = etree.fromstring(xml.encode("utf-8"))
    found = []
    for response in problem.iter(*KINDS):
        kind = KINDS[response.tag]
        if kind in ("multiple choice", "checkboxes"):
            choices = list(response.iter("choice"))
            keyed = [f"choice_{i}" for i, c in enumerate(choices) if c.get("correct", "").lower() == "true"]
            others = [f"choice_{i}" for i in range(len(choices)) if f"choice_{i}" not in keyed]
            if kind == "multiple choice":
                found.append(Response(kind, keyed[0], others[0]))
            else:
                found.append(Response(kind, keyed, keyed[:-1] + others[:1]))
        elif kind == "drop-down":
            options = list(response.iter("option"))
            keyed = next(_text(o) for o in options if o.get("correct", "").lower() == "true")
            wrong = next(_text(o) for o in options if o.get("correct", "").lower() != "true")
            found.append(Response(kind, keyed, wrong))
        elif kind == "numerical":
            found.append(Response(kind, response.get("answer"), str(float(response.get("answer")) * 10 + 1000)))
        else:
            found.append(Response(kind, response.get("answer"), "zz unrelated answer zz"))
    return found

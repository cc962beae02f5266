"""OLX import and export of the block (settings as attributes, the rubric as a child element),
hardened rubric reading, and Studio editing with validation."""

from __future__ import annotations

import pytest
from django.utils import translation
from lxml import etree

from devisus_course.typography import catalog_spacing as spaced
from devisus_xblocks.pair_review import config, olx
from devisus_xblocks.pair_review.reviewing.rubric import default_rubric_data
from tests.xblock_client import export_olx, olx_runtime, parse_olx

from .block_support import ENGLISH, SMALL, TAG, bench_fr, scenarios  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

SETTINGS = (
    "display_name",
    "language",
    "pairing_mode",
    "theoretician_label",
    "practitioner_label",
    "review_unit",
    "reviews_per_reviewer",
    "reviews_required",
    "lease_hours",
    "char_limit",
    "min_comment_length",
    "max_comment_length",
    "flexible_after_days",
    "flexible_percent",
    "submission_due",
    "review_due",
    "self_assessment",
    "points",
    "disagreement_threshold",
    "rubric",
    "calibration",
)

FULL = """<devisus_pair_review display_name="Projet &amp; &lt;binôme&gt;" language="en" pairing_mode="invitation"
    theoretician_label="Researcher" practitioner_label="Field worker" review_unit="pair" reviews_per_reviewer="3"
    reviews_required="4" lease_hours="12.5" char_limit="30000" min_comment_length="40" max_comment_length="3000"
    flexible_after_days="10" flexible_percent="50" submission_due="2026-05-01T22:00:00" review_due="2026-05-15T22:00:00"
    self_assessment="false" points="25">
  <!-- authors may comment their rubric -->
  <rubric>
    <criterion id="plan" weight="70">
      <label>
        A plan the organisation can use
      </label>
      <prompt>Does it start from the organisation's real means &amp; leave it the choice?</prompt>
      <level points="0"><label>Not yet</label><description>Missing.</description></level>
      <level id="partly" points="2"><label>Partly</label></level>
      <level id="fully" points="5"><label>Fully</label><description>Adapted and chosen.</description></level>
    </criterion>
    <criterion id="pair" weight="30">
      <label>Theory and field together</label>
      <prompt/>
      <level id="apart" points="1"><label>Side by side</label><description>No dialogue.</description></level>
      <level id="joined" points="2"><label>One voice</label><description>Each view enriches the other.</description></level>
    </criterion>
  </rubric>
</devisus_pair_review>"""

EXPECTED_RUBRIC = [
    {
        "id": "plan",
        "weight": 70,
        "title": "A plan the organisation can use",
        "description": "Does it start from the organisation's real means & leave it the choice?",
        "levels": [
            {"id": "l1", "points": 0, "title": "Not yet", "description": "Missing."},
            {"id": "partly", "points": 2, "title": "Partly", "description": ""},
            {"id": "fully", "points": 5, "title": "Fully", "description": "Adapted and chosen."},
        ],
    },
    {
        "id": "pair",
        "weight": 30,
        "title": "Theory and field together",
        "description": "",
        "levels": [
            {"id": "apart", "points": 1, "title": "Side by side", "description": "No dialogue."},
            {"id": "joined", "points": 2, "title": "One voice", "description": "Each view enriches the other."},
        ],
    },
]


@pytest.fixture
def runtime(scenarios):
    return olx_runtime()


parse, export = parse_olx, export_olx


def values(block) -> dict:
    return {name: getattr(block, name) for name in SETTINGS}


def test_attributes_and_rubric_become_settings(runtime):
    block = parse(runtime, FULL)
    found = values(block)
    assert found.pop("rubric") == EXPECTED_RUBRIC
    assert (found["display_name"], found["pairing_mode"], found["review_unit"], found["lease_hours"]) == (
        "Projet & <binôme>",
        "invitation",
        "pair",
        12.5,
    )
    assert (found["reviews_per_reviewer"], found["reviews_required"], found["self_assessment"], found["points"]) == (
        3,
        4,
        False,
        25,
    )
    assert found["submission_due"] == "2026-05-01T22:00:00"  # kept as written; no time zone: UTC
    assert config.parse_due(found["submission_due"]).isoformat() == "2026-05-01T22:00:00+00:00"
    assert block.validate().messages == []
    assert block.has_score and block.max_score() == 25


def test_parse_export_parse_is_exact(runtime):
    first = parse(runtime, FULL)
    exported = export(runtime, first)
    node = etree.fromstring(exported)
    assert node.tag == TAG and "rubric" not in node.attrib
    assert [child.tag for child in node] == ["rubric"]
    assert [c.get("id") for c in node.find("rubric")] == ["plan", "pair"]
    second = parse(runtime, exported)
    assert values(second) == values(first)
    again = export(runtime, second)
    assert again == exported
    # the scenario rubric of the small cohort too
    from devisus_xblocks.pair_review.scenarios import SCENARIOS

    small = parse(runtime, SCENARIOS[2][1])
    assert values(parse(runtime, export(runtime, small))) == values(small)


def test_no_rubric_child_means_the_default_rubric_of_the_language(runtime):
    french = parse(runtime, "<devisus_pair_review/>")
    assert french.rubric == [] and config.rubric_data(french) == default_rubric_data("fr")
    english = parse(runtime, '<devisus_pair_review language="en"/>')
    assert config.rubric_data(english)[0]["title"] == "Diagnosis and fit to the organisation"
    node = etree.fromstring(export(runtime, french))
    assert list(node) == [] and not set(SETTINGS) & set(node.attrib)
    assert (french.pairing_mode, french.reviews_per_reviewer, french.reviews_required, french.char_limit) == (
        "automatic",
        2,
        2,
        20_000,
    )


def test_a_rubric_attribute_is_ignored(runtime):
    assert parse(runtime, '<devisus_pair_review rubric="[1, 2]"/>').rubric == []


@pytest.mark.parametrize(
    "xml, problem",
    [
        ("<devisus_pair_review><grid/></devisus_pair_review>", "holds one <rubric> and one <calibration> only"),
        ("<devisus_pair_review><rubric/></devisus_pair_review>", "needs at least one <criterion>"),
        ("<devisus_pair_review><rubric><item/></rubric></devisus_pair_review>", "holds <criterion> elements only"),
        (
            '<devisus_pair_review><rubric><criterion id="a" weight="100" colour="red"/></rubric></devisus_pair_review>',
            "unexpected attributes: colour",
        ),
        (
            '<devisus_pair_review><rubric><criterion id="a" weight="100"><label>A <b>bold</b> title</label></criterion>'
            "</rubric></devisus_pair_review>",
            "<label> holds plain text only",
        ),
        (
            '<devisus_pair_review><rubric><criterion id="a" weight="100"><label>A</label><label>B</label></criterion>'
            "</rubric></devisus_pair_review>",
            "two <label> elements",
        ),
        (
            '<devisus_pair_review><rubric><criterion id="a" weight="100"><level points="1"><hint/></level></criterion>'
            "</rubric></devisus_pair_review>",
            "<level> holds one <label> and one <description>",
        ),
    ],
)
def test_malformed_rubrics_are_refused(runtime, xml, problem):
    with pytest.raises(ValueError, match=problem.replace("(", r"\(")):
        parse(runtime, xml)


def _hardened(xml: str):
    """A tree as the course tools parse it: no entity expansion, no DTD, no network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(xml.encode("utf-8"), parser=parser)


def test_entities_and_processing_instructions_are_refused():
    entity = _hardened(
        '<!DOCTYPE x [<!ENTITY boom "BOOM">]><rubric><criterion id="a" weight="100"><label>&boom;</label>'
        "</criterion></rubric>"
    )
    with pytest.raises(ValueError, match="entity references are not allowed"):
        olx.rubric_from_node(entity)
    pi = _hardened('<rubric><?php echo 1 ?><criterion id="a" weight="100"/></rubric>')
    with pytest.raises(ValueError, match="processing instructions are not allowed"):
        olx.rubric_from_node(pi)
    outer = _hardened('<!DOCTYPE x [<!ENTITY boom "BOOM">]><devisus_pair_review>&boom;<rubric/></devisus_pair_review>')
    with pytest.raises(ValueError, match="entity references"):
        olx.children(outer)


def test_rubric_limits_on_reading():
    criteria = "".join(f'<criterion id="c{i}" weight="1"/>' for i in range(21))
    with pytest.raises(ValueError, match="at most 20 criteria"):
        olx.rubric_from_node(_hardened(f"<rubric>{criteria}</rubric>"))
    levels = "".join(f'<level points="{i}"/>' for i in range(11))
    with pytest.raises(ValueError, match="at most 10 levels"):
        olx.rubric_from_node(_hardened(f'<rubric><criterion id="a" weight="100">{levels}</criterion></rubric>'))
    with pytest.raises(ValueError, match="longer than 2000 characters"):
        olx.rubric_from_node(_hardened(f'<rubric><criterion id="a"><label>{"x" * 2001}</label></criterion></rubric>'))


def test_parsed_but_invalid_rubrics_and_settings_are_reported_by_validation(runtime):
    xml = (
        '<devisus_pair_review reviews_per_reviewer="0" reviews_required="0" char_limit="300000">'
        '<rubric><criterion id="a" weight="60"><label>A</label><level points="2"><label>Two</label></level>'
        '<level points="1"><label>One</label></level></criterion>'
        '<criterion id="b" weight="x"><label>B</label><level points="1"><label>1</label></level>'
        '<level points="2"><label>2</label></level></criterion></rubric></devisus_pair_review>'
    )
    block = parse(runtime, xml)
    with translation.override("en"):
        messages = [m.text for m in block.validate().messages]
    assert messages == [
        "The levels of criterion a must have strictly increasing points.",
        "The weight of criterion b must be a whole number above 0.",
        "Each reviewer must give at least 1 review.",
        "A submission must need at least 1 review.",
        "The character limit must be between 1 and 200000.",
    ]
    block = parse(
        runtime,
        '<devisus_pair_review><rubric><criterion id="a" weight="60"><label>A</label>'
        '<level points="1"><label>1</label></level><level points="2"><label>2</label></level>'
        "</criterion></rubric></devisus_pair_review>",
    )
    with translation.override("en"):
        assert [m.text for m in block.validate().messages] == [
            "The criterion weights must add up to 100 (they add up to 60)."
        ]


def test_studio_view_lists_every_setting(bench_fr):
    page = bench_fr.page(ENGLISH, "staff", view="studio_view")
    for name in SETTINGS:
        assert f'data-field-name="{name}"' in page
    assert spaced("Automatique : profils complémentaires, par ordre d&#x27;arrivée") in page  # choices translated


def test_studio_refuses_invalid_settings_in_french_and_keeps_the_old_ones(bench_fr):
    usage = bench_fr.usage_ids(SMALL, TAG)[0]
    rubric = default_rubric_data("en")
    rubric[0]["weight"] = 25  # 105 in all
    reply = bench_fr.call(
        usage,
        "submit_studio_edits",
        "staff",
        {"values": {"reviews_per_reviewer": 0, "rubric": rubric, "theoretician_label": "x" * 81}, "defaults": []},
    )
    assert reply.status == 400
    assert [m["text"] for m in reply.error["messages"]] == [
        spaced("Le nom d'un profil compte au plus 80 caractères."),
        "La somme des poids des critères doit être 100 (elle est de 105).",
        "Chaque personne qui évalue doit rendre au moins 1 évaluation.",
    ]
    state = bench_fr.call(usage, "state", "ana").data["state"]
    assert [c["id"] for c in state["rubric"]] == ["plan", "pair"]
    reply = bench_fr.call(
        usage,
        "submit_studio_edits",
        "staff",
        {"values": {"rubric": default_rubric_data("en"), "display_name": "  Capstone  "}, "defaults": []},
    )
    assert reply.status == 200, reply
    state = bench_fr.call(usage, "state", "ana").data["state"]
    assert [c["id"] for c in state["rubric"]] == ["c1", "c2", "c3", "c4", "c5"] and state["title"] == "Capstone"


@pytest.mark.parametrize(("weight", "points"), [("2.5", 3), ("1", 1), ("0.2", 1), ("40", 40), ("5000", 1000)])
def test_a_weight_of_version_0_1_is_read_as_points(runtime, weight, points):
    """Open edX reads a problem's weight as the points it is worth; 0.1 had a weight the gradebook
    ignored (see config.py, points). Its OLX keeps its meaning: the points, whole, from 1 to 1000."""
    block = parse(runtime, f'<devisus_pair_review weight="{weight}"/>')
    assert (block.points, block.max_score()) == (points, points)
    exported = export(runtime, block).decode()
    assert f'points="{points}"' in exported and "weight" not in exported


@pytest.mark.parametrize("weight", ["0", "-1", "nan", "many"])
def test_an_unusable_weight_of_version_0_1_leaves_the_default_points(runtime, weight):
    block = parse(runtime, f'<devisus_pair_review weight="{weight}"/>')
    assert (block.points, block.max_score()) == (100, 100)


def test_points_win_over_a_weight(runtime):
    assert parse(runtime, '<devisus_pair_review weight="3" points="12"/>').points == 12


@pytest.mark.parametrize("points", ["0", "1001", "-5"])
def test_points_out_of_range_are_reported_and_the_default_stands_in(runtime, points):
    block = parse(runtime, f'<devisus_pair_review points="{points}"/>')
    with translation.override("en"):
        assert [m.text for m in block.validate().messages] == [
            "The points must be a whole number from 1 to 1000; 100 are used meanwhile."
        ]
    assert block.max_score() == 100


def test_studio_saves_the_points_and_the_gradebook_follows(bench_fr):
    usage = bench_fr.usage_ids(SMALL, TAG)[0]
    refused = bench_fr.call(usage, "submit_studio_edits", "staff", {"values": {"points": 0}, "defaults": []})
    assert refused.status == 400
    assert [m["text"] for m in refused.error["messages"]] == [
        spaced("Les points doivent être un nombre entier de 1 à 1000 ; 100 sont utilisés en attendant.")
    ]
    saved = bench_fr.call(usage, "submit_studio_edits", "staff", {"values": {"points": 30}, "defaults": []})
    assert saved.status == 200, saved
    from workbench.runtime import WorkbenchRuntime

    assert WorkbenchRuntime("student").get_block(usage).max_score() == 30

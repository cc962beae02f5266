"""What the block's views show: the step indicator, accessible markup, learner text escaped for
partners, peers and trainers, the trainer's view for staff only, and a misconfigured block."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from .block_support import ENGLISH, SMALL, TAG, Block, bench, scenarios  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = (
    "<img src=x onerror=window.__pwned=1> <script>window.__pwned=1</script> "
    "[x](javascript:window.__pwned=1) \"quoted\" & 'single'"
)
ESCAPED = (
    "&lt;img src=x onerror=window.__pwned=1&gt; &lt;script&gt;window.__pwned=1&lt;/script&gt; "
    "[x](javascript:window.__pwned=1) &#34;quoted&#34; &amp; &#39;single&#39;"
)
LONG_HOSTILE = HOSTILE + " and it goes on long enough to be a real comment."


def block_root(page: str):
    """The block's element in a workbench page, parsed."""
    tree = lxml_html.fromstring(page)
    return tree.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' devisus-pair-review ')]")[0]


def assert_no_markup_from_learners(page: str):
    root = block_root(page)
    assert not root.xpath(".//img") and not root.xpath(".//script")
    assert not [a for a in root.xpath(".//a") if "javascript" in (a.get("href") or "")]


def assert_accessible(page: str):
    """Every control has a label, radio groups sit in fieldsets with legends, ids are unique, one
    live region, at most one current step."""
    root = block_root(page)
    ids = [e.get("id") for e in root.xpath(".//*[@id]")]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    labelled = {label.get("for") for label in root.xpath(".//label")}
    for control in root.xpath(".//textarea | .//select | .//input[not(@type='hidden')]"):
        assert control.get("id") in labelled or control.get("aria-label"), lxml_html.tostring(control)[:200]
    for radio in root.xpath(".//input[@type='radio']"):
        fieldset = radio.xpath("ancestor::fieldset[1]")
        assert fieldset and fieldset[0].xpath("./legend"), lxml_html.tostring(radio)
    for button in root.xpath(".//button"):
        assert button.get("type") == "button" and button.text_content().strip()
    assert len(root.xpath(".//*[@role='status'][@aria-live='polite']")) == 1
    assert len(root.xpath(".//*[@aria-current='step']")) <= 1


def test_each_step_says_where_the_learner_is_and_what_comes_next(bench):
    block = Block(bench, ENGLISH)
    expectations = []
    page = block.page("ana")
    expectations.append((page, "Step 1 of 6: Choose your profile", "Your profile"))
    block.ok("declare_profile", "ana", {"profile": "theoretician"})
    expectations.append((block.page("ana"), "Step 2 of 6: Find your partner", "Your partner"))
    block.ok("declare_profile", "bob", {"profile": "practitioner"})
    expectations.append((block.page("ana"), "Step 3 of 6: Write and submit your assignment together", "Joint draft"))
    block.write_and_submit("ana", "Plan")
    expectations.append((block.page("bob"), "Step 4 of 6: Review other pairs' work", "Peer reviews (0 of 2)"))
    for page, title, current in expectations:
        root = block_root(page)
        assert root.xpath(".//h3[@data-focus]")[0].text_content() == title
        [step] = root.xpath(".//ol/li[@aria-current='step']")
        assert step.xpath("./span")[0].text_content() == current
        assert root.xpath(".//p[@class='devisus-pair-review-next']")[0].text_content().startswith("Next:")
        assert_accessible(page)


def test_learner_text_is_escaped_for_partner_peers_and_trainers(bench):
    block = Block(bench, SMALL)
    block.pair("ana", "bob")
    block.pair("carl", "dora")
    pair_id = block.state("ana")["pairing"]["pair_id"]
    block.ok("save_draft", "ana", {"pair_id": pair_id, "text": HOSTILE, "base_version": 0})
    partner = block.page("bob")
    assert ESCAPED in partner
    assert_no_markup_from_learners(partner)
    block.ok("submit", "bob", {"pair_id": pair_id, "version": 1, "confirm": True})
    block.write_and_submit("carl", "Plan C")
    task = block.ok("next_review", "carl")["state"]["review"]["task"]
    assert task["text"] == HOSTILE  # JSON carries it as text; the JavaScript never inserts it as markup
    peer = block.page("carl")
    assert ESCAPED in peer
    assert_no_markup_from_learners(peer)
    assert_accessible(peer)
    block.ok(
        "submit_review", "carl", {"assignment_id": task["assignment_id"], **block.answers("carl", comment=LONG_HOSTILE)}
    )
    block.review("ana", comment=LONG_HOSTILE)
    received = block.page("ana")
    assert received.count(ESCAPED) >= 3  # the submitted work, and the comment on each criterion
    assert_no_markup_from_learners(received)
    assert_accessible(received)
    review_id = block.state("ana")["received"][0]["review_id"]
    block.ok("rate_review", "ana", {"review_id": review_id, "helpfulness": 2, "comment": HOSTILE})
    detail = block.ok("staff_pair", "staff", {"pair_id": pair_id})["detail"]
    assert detail.count(ESCAPED) >= 4  # work, comments, helpfulness comment
    assert "<script>" not in detail and "<img" not in detail
    staff_page = block.page("staff")
    assert_no_markup_from_learners(staff_page)
    assert_accessible(staff_page)


def test_usernames_are_escaped_in_the_trainers_view(bench):
    block = Block(bench, ENGLISH)
    block.ok("declare_profile", "<b>eve</b>", {"profile": "theoretician"})
    page = block.page("staff")
    assert "&lt;b&gt;eve&lt;/b&gt; (Theoretician), waiting since" in page
    assert_accessible(page)


def test_a_misconfigured_block_says_so_and_refuses_to_act(scenarios):
    from webob import Request
    from workbench.runtime import WorkbenchRuntime

    runtime = WorkbenchRuntime("ana")
    runtime.id_generator.set_scenario("broken")
    usage = runtime.parse_xml_string(
        '<devisus_pair_review><rubric><criterion id="a" weight="50"><label>A</label><level points="1"><label>1</label>'
        '</level><level points="2"><label>2</label></level></criterion></rubric></devisus_pair_review>'
    )
    block = runtime.get_block(usage)
    fragment = block.render("student_view", {})
    assert (
        "This activity is not ready yet: The criterion weights must add up to 100 (they add up to 50)."
        in fragment.content
    )
    request = Request.blank("/", method="POST", body=b"{}", content_type="application/json")
    response = runtime.handle(block, "state", request)
    assert response.status_code == 409
    assert response.json == {"error": "The criterion weights must add up to 100 (they add up to 50)."}


def test_the_page_loads_one_script_with_one_entry_function(bench):
    page = Block(bench, ENGLISH).page("ana")
    assert page.count("function DevisusPairReview(runtime, element, args)") == 1
    assert re.search(r"data-init=['\"]DevisusPairReview['\"]", page)
    assert f"data-block-type='{TAG}'" in page or f'data-block-type="{TAG}"' in page
    assert "innerHTML = reply.html" in page and "textContent = state.draft.text" in page

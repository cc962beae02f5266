"""The whole pair-review journey in a real browser (Debian's Chromium through Playwright), in
French, on 320 px wide screens: four learners (two theoreticians, two practitioners) and a
trainer. Profiles, automatic pairing, a joint draft written by both members with a stale save
refused and compared, submission, cross reviews, feedback on feedback, a trainer's override with
its reason, the final grade seen by both members of each pair.

Everyone does everything with the keyboard only: the four learners and the trainer move the focus
with Tab, choose in radio groups with Space and the arrows, activate with Enter or Space and type
into the field that has the focus; no clicks, no filling of fields and no focusing by script. Every
page of the journey records pointer (mouse, touch) events, and there must be none. Opening the
block's page (as oneself, or as another person) is the only other thing done. Drafts and comments
carry hostile text that must be shown as text to the partner, the peers and the trainer, and never
run. axe-core checks each state of the block, and each step is saved as a screenshot
(``test-artifacts/screenshots/pair-review-*.png``).
"""

from __future__ import annotations

import pytest

from devisus_course.typography import catalog_spacing as spaced
from tests.browser_support import PageProbe, phone

from .block_support import SMALL_FR, live_pair_review  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

BLOCK = ".devisus-pair-review"
ATTACKS = "<img src=x onerror=window.__pwned=1> <script>window.__pwned=1</script> [x](javascript:window.__pwned=1)"
DRAFT_A1 = "Diagnostic de la ressourcerie (regard théorique). " + ATTACKS
DRAFT_A2 = "Regard de terrain : trois bénévoles, un budget serré."
DRAFT_B = "Plan de la coopérative de soins. " + ATTACKS
COMMENT = "Point fort : un diagnostic précis. Suggestion : chiffrer le temps. " + ATTACKS


# Records every pointer (mouse, touch, pen) event of a page, in the capture phase, before the page's
# own listeners: the journey is keyboard only, so there must be none.
POINTER_WATCH = """
["pointerdown", "pointerup", "mousedown", "mouseup", "touchstart", "dblclick", "contextmenu"].forEach(
  (type) => window.addEventListener(type, (event) => window.__devisusPointer(event.type), true));
window.addEventListener("click", (event) => { if (event.detail > 0) window.__devisusPointer("click"); }, true);
"""


class Journey:
    """The pages of the journey, one browser context (and screen) per person."""

    def __init__(self, first_page, url: str):
        self.browser = first_page.context.browser
        self.url = url
        self.pages = [first_page]
        self.shots = 0
        self.pointer_events: list[str] = []
        self._watch_pointer(first_page.context)

    def _watch_pointer(self, context) -> None:
        context.expose_binding("__devisusPointer", lambda source, kind: self.pointer_events.append(kind))
        context.add_init_script(POINTER_WATCH)

    def open(self, student: str, page=None):
        if page is None:
            context = self.browser.new_context(viewport={"width": 320, "height": 720}, locale="fr-FR")
            self._watch_pointer(context)
            page = context.new_page()
            page.probe = PageProbe(page)
            page.errors = page.probe.errors
            self.pages.append(page)
        page.goto(f"{self.url}/scenario/{SMALL_FR}/?student={student}")
        page.wait_for_load_state("networkidle")
        return page

    def check(self, page, name: str):
        """axe-core on the block (no serious or critical violation), no overflow at 320 px, a screenshot."""
        assert page.probe.axe_violations(BLOCK) == [], name
        assert page.evaluate(f"document.querySelector({BLOCK!r}).scrollWidth") <= 320, name
        self.shots += 1
        page.probe.screenshot(f"pair-review-{self.shots:02d}-{name}")


def said(page, expected: str, contains: bool = False) -> None:
    """Wait for the live region to announce ``expected``."""
    test = "t.includes(e)" if contains else "t === e"
    page.wait_for_function(
        f"(e) => {{ const t = document.querySelector('.devisus-pair-review-live').textContent; return {test}; }}",
        arg=expected,
        timeout=10_000,
    )


def focused(page, selector: str) -> bool:
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focus is on ``selector``, at most ``limit`` times: the element is reached
    the way a keyboard user reaches it, or the test fails."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    if not focused(page, selector):
        raise AssertionError(f"Tab never reached {selector}")


def press_on(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def type_into(page, selector: str, text: str, replace: bool = False) -> None:
    tab_to(page, selector)
    if replace:
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
    page.keyboard.type(text)


def review_by_keyboard(page, level_steps: int, comment: str) -> None:
    """Choose a level (arrow presses from the first) and write a comment for every criterion."""
    if page.locator("[data-action=next-review]").count():
        press_on(page, "[data-action=next-review]")
        said(page, "Voici le travail à évaluer.")
    for criterion in ("c1", "c2", "c3", "c4", "c5"):
        tab_to(page, f"[data-criterion={criterion}] input[type=radio]")
        page.keyboard.press("Space")
        for _ in range(level_steps):
            page.keyboard.press("ArrowDown")
        type_into(page, f"[data-criterion={criterion}] textarea", comment)
    press_on(page, "[data-action=send-review]")
    said(page, spaced("Votre évaluation est envoyée. Merci !"))


def rate_by_keyboard(page, stars: int, comment: str = "") -> None:
    """Rate the first review received (1 to 5, arrow presses from 1), with an optional comment."""
    tab_to(page, ".devisus-pair-review-received input[type=radio]")
    page.keyboard.press("Space")
    for _ in range(stars - 1):
        page.keyboard.press("ArrowRight")
    if comment:
        type_into(page, ".devisus-pair-review-received textarea", comment)
    press_on(page, "[data-action=rate]")
    said(page, spaced("Merci : votre retour sur cette évaluation est enregistré."))
    assert focused(page, ".devisus-pair-review-received h5")
    checked = page.locator(".devisus-pair-review-received").first.locator("input:checked")
    assert checked.get_attribute("value") == str(stars)


def no_markup_in(page, selector: str) -> None:
    assert page.locator(f"{selector} img, {selector} script").count() == 0


def test_four_learners_and_a_trainer(live_pair_review):
    with phone() as a1:
        journey = Journey(a1, live_pair_review)

        # ---- pair A, keyboard only: profiles and automatic pairing ----
        journey.open("anais", a1)
        journey.check(a1, "profile")
        assert a1.locator("[aria-current=step]").inner_text().startswith("Votre profil")
        press_on(a1, "input[value=theoretician]", "Space")
        press_on(a1, "[data-action=profile]")
        said(a1, "Votre profil est enregistré.")
        assert focused(a1, "h3[data-focus]")
        assert "liste d'attente" in a1.locator(BLOCK).inner_text()
        journey.check(a1, "waiting-for-a-partner")

        a2 = journey.open("bruno")
        tab_to(a2, "input[value=theoretician]")
        a2.keyboard.press("ArrowDown")  # moves to, and chooses, the practitioner profile
        assert a2.locator("input[value=practitioner]").is_checked()
        press_on(a2, "[data-action=profile]")
        said(a2, "Votre profil est enregistré.")
        assert spaced("Votre partenaire : anais (Théoricien·ne).") in a2.locator(BLOCK).inner_text()

        press_on(a1, "[data-action=refresh]")
        a1.wait_for_selector(f"{BLOCK} textarea[data-role=draft]")
        assert spaced("Votre partenaire : bruno (Praticien·ne de terrain).") in a1.locator(BLOCK).inner_text()
        journey.check(a1, "joint-draft")

        # ---- the joint draft: both write; bruno's save is stale and refused, nothing is lost ----
        type_into(a1, "textarea[data-role=draft]", DRAFT_A1)
        assert a1.locator(".devisus-pair-review-count").first.inner_text() == spaced(
            f"{len(DRAFT_A1)} caractères sur 20000"
        )
        press_on(a1, "[data-action=save]")
        said(a1, "Brouillon enregistré (version 1).")

        type_into(a2, "textarea[data-role=draft]", DRAFT_A2)
        press_on(a2, "[data-action=save]")
        said(a2, "Votre partenaire a enregistré la version 1 du brouillon", contains=True)
        assert focused(a2, "[data-action=show-partner]")
        a2.keyboard.press("Enter")
        said(a2, "La version de votre partenaire s'affiche à côté de votre texte.", contains=True)
        partner_text = a2.locator("[data-role=partner-text]")
        assert partner_text.inner_text() == DRAFT_A1  # the partner's hostile text, shown as text
        no_markup_in(a2, "[data-role=partner]")
        assert a2.locator("textarea[data-role=draft]").input_value() == DRAFT_A2  # own text kept
        journey.check(a2, "stale-save-compared")
        press_on(a2, "[data-action=keep-mine]")
        said(a2, "Votre texte est conservé.", contains=True)
        assert focused(a2, "textarea[data-role=draft]")
        type_into(a2, "textarea[data-role=draft]", DRAFT_A1 + "\n" + DRAFT_A2, replace=True)
        press_on(a2, "[data-action=save]")
        said(a2, "Brouillon enregistré (version 2).")

        # ---- submit for the pair, after confirmation ----
        press_on(a2, "[data-action=submit]")
        assert focused(a2, "[data-role=confirm]")
        journey.check(a2, "confirm-submission")
        press_on(a2, "[data-action=confirm-submit]")
        said(a2, "Le travail de votre binôme est remis et verrouillé. Il part maintenant en évaluation entre pairs.")
        assert a2.locator("[aria-current=step]").inner_text().startswith("Évaluations des pairs (0 sur 1)")
        # anais's page still shows version 1: submitting it is refused, and the page catches up
        press_on(a1, "[data-action=submit]")
        press_on(a1, "[data-action=confirm-submit]")
        said(a1, "Votre binôme a déjà rendu son travail.")
        a1.wait_for_selector(f"{BLOCK} [data-action=next-review]")

        # ---- pair B, keyboard only too ----
        b1, b2 = journey.open("chloe"), journey.open("damien")
        press_on(b1, "input[value=theoretician]", "Space")
        assert b1.locator("input[value=theoretician]").is_checked()
        press_on(b1, "[data-action=profile]")
        said(b1, "Votre profil est enregistré.")
        tab_to(b2, "input[value=theoretician]")
        b2.keyboard.press("ArrowDown")
        assert b2.locator("input[value=practitioner]").is_checked()
        press_on(b2, "[data-action=profile]")
        said(b2, "Votre profil est enregistré.")
        assert spaced("Votre partenaire : chloe (Théoricien·ne).") in b2.locator(BLOCK).inner_text()
        type_into(b2, "textarea[data-role=draft]", DRAFT_B)
        press_on(b2, "[data-action=save]")
        said(b2, "Brouillon enregistré (version 1).")
        journey.open("chloe", b1)
        assert b1.locator("textarea[data-role=draft]").input_value() == DRAFT_B
        press_on(b1, "[data-action=submit]")
        assert focused(b1, "[data-role=confirm]")
        press_on(b1, "[data-action=confirm-submit]")
        said(b1, "Le travail de votre binôme est remis et verrouillé.", contains=True)

        # ---- cross reviews: each learner reviews the other pair's plan ----
        press_on(a1, "[data-action=next-review]")
        said(a1, "Voici le travail à évaluer.")
        task = a1.locator(".devisus-pair-review-text[id$=-task-text]")
        assert task.inner_text() == DRAFT_B
        no_markup_in(a1, ".devisus-pair-review-panel")
        journey.check(a1, "peer-review")
        journey.open("anais", a1)  # the review started is there again after a reload
        assert a1.locator(".devisus-pair-review-text[id$=-task-text]").inner_text() == DRAFT_B
        review_by_keyboard(a1, 2, COMMENT)  # proficient everywhere
        review_by_keyboard(a2, 2, COMMENT)
        review_by_keyboard(b1, 2, COMMENT)
        journey.open("damien", b2)  # his partner submitted meanwhile
        review_by_keyboard(b2, 3, COMMENT)  # exemplary everywhere

        # ---- reviews received, feedback on feedback ----
        journey.open("anais", a1)
        text = a1.locator(BLOCK).inner_text()
        assert spaced("La note de votre binôme : 87,5\u00a0%") in text
        received = a1.locator(".devisus-pair-review-received")
        assert received.count() == 2
        assert received.first.locator(".devisus-pair-review-comment-text").first.inner_text() == COMMENT
        no_markup_in(a1, ".devisus-pair-review-received")
        journey.check(a1, "reviews-received-and-grade")
        rate_by_keyboard(a1, 4, "Utile : la suggestion est faisable.")
        journey.open("chloe", b1)
        rate_by_keyboard(b1, 5)
        for page, student in ((b1, "chloe"), (b2, "damien")):
            journey.open(student, page)
        helpfulness = [page.locator(".devisus-pair-review-helpfulness").inner_text() for page in (b1, b2)]
        assert "utiles à 4 sur 5 en moyenne (1 avis)" in " ".join(helpfulness)

        # ---- the trainer: dashboard, pair in detail, override with a reason ----
        trainer = journey.open("trainer")
        dashboard = trainer.locator(".devisus-pair-review-staff")
        assert dashboard.locator(".devisus-pair-review-pair").count() == 2
        assert dashboard.locator(".devisus-pair-review-status").all_inner_texts() == [
            spaced("Noté : 87,5\u00a0% (évaluations des pairs)"),
            spaced("Noté : 75,0\u00a0% (évaluations des pairs)"),
        ]
        journey.check(trainer, "trainer-dashboard")
        pair_id = dashboard.locator(".devisus-pair-review-pair").first.get_attribute("data-pair-id")
        open_pair = f"[data-action=open-pair][data-pair-id='{pair_id}']"
        press_on(trainer, open_pair)
        trainer.wait_for_selector(".devisus-pair-review-pair-detail")
        assert focused(trainer, ".devisus-pair-review-pair-detail [data-focus]")
        assert trainer.locator(open_pair).get_attribute("aria-expanded") == "true"
        detail = trainer.locator(".devisus-pair-review-pair-detail")
        assert detail.locator(".devisus-pair-review-text").inner_text() == DRAFT_A1 + "\n" + DRAFT_A2
        no_markup_in(trainer, ".devisus-pair-review-pair-detail")
        assert "Évaluation par un pair par chloe (Théoricien·ne)" in detail.inner_text()
        journey.check(trainer, "trainer-pair-detail")
        type_into(trainer, ".devisus-pair-review-pair-detail [data-role=grade]", "85")
        press_on(trainer, ".devisus-pair-review-pair-detail [data-action=override]")
        said(trainer, "Indiquez la raison de la modification de la note.")  # refused before any request
        assert focused(trainer, "[data-form=override] [data-role=reason]")  # the focus goes to what is missing
        type_into(trainer, "[data-form=override] [data-role=reason]", "Évaluations divergentes ; harmonisation.")
        press_on(trainer, ".devisus-pair-review-pair-detail [data-action=override]")
        said(trainer, "La note est modifiée et le motif conservé.")
        assert focused(trainer, ".devisus-pair-review-pair-detail [data-focus]")
        history = trainer.locator(".devisus-pair-review-pair-detail table")
        assert "Évaluations divergentes ; harmonisation." in history.inner_text()
        assert "trainer" in history.inner_text() and "85,0\u00a0%" in history.inner_text()
        journey.check(trainer, "trainer-override")

        # ---- the final grade, for both members of each pair ----
        for page, student, grade in (
            (a1, "anais", "85,0"),
            (a2, "bruno", "85,0"),
            (b1, "chloe", "75,0"),
            (b2, "damien", "75,0"),
        ):
            journey.open(student, page)
            text = page.locator(BLOCK).inner_text()
            assert spaced(f"La note de votre binôme : {grade}\u00a0%") in text, student
            assert "harmonisation" not in text  # the reason is kept for the record, not shown to learners
        assert a1.locator("[aria-current=step]").inner_text().startswith("Retours et note")
        journey.check(a2, "final-grade")

        # Keyboard only: not one pointer event on any page of the journey.
        assert journey.pointer_events == []

        # Chromium logs every 4xx answer; the two refusals of the journey are the only ones.
        refusals = {"/submit/?student=anais", "/save_draft/?student=bruno"}
        for page in journey.pages:
            assert page.evaluate("typeof window.__pwned") == "undefined"
            unexpected = [e for e in page.errors if not ("status of 409" in e and any(r in e for r in refusals))]
            assert unexpected == []
        assert sum(len(page.errors) for page in journey.pages) == 2

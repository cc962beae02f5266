"""The trainer's list of pairs (``assign_pairs`` handler) through the workbench: every malformed
list is a translated 400 naming its line and changes nothing (before: a 500 from Python's csv
module on carriage returns and oversized cells), and usernames are matched exactly, as on
SQLite, on MariaDB too."""

from __future__ import annotations

import pytest

from devisus_course.typography import catalog_spacing as spaced
from devisus_xblocks.pair_review.models import Pair, Participant

from .block_support import TRAINER, Block, bench, bench_fr, scenarios  # noqa: F401 - fixtures
from .test_block_handlers import refused

pytestmark = pytest.mark.django_db(transaction=True)

LEARNERS = (("ana", "theoretician"), ("bob", "practitioner"), ("carl", "theoretician"), ("dora", "practitioner"))


@pytest.fixture
def block(bench):
    block = Block(bench, TRAINER)
    for name, profile in LEARNERS:
        block.ok("declare_profile", name, {"profile": profile})
    return block


def groups() -> list[list[str]]:
    return sorted(
        sorted(Participant.objects.filter(memberships__pair=pair).values_list("username", flat=True))
        for pair in Pair.objects.all()
    )


@pytest.mark.parametrize(
    "text, message",
    [
        # line endings: a carriage return alone (old Mac), mixed endings
        ("ana,bob\rcarl,dora\r", "Line 1 ends with a carriage return alone (an old Mac format): "),
        ("ana,bob\ncarl,dora\r", "Line 2 ends with a carriage return alone (an old Mac format): "),
        ("ana,bob\r\ncarl,dora\nx,y\n", "Line 2 ends differently from the lines before it (mixed line endings): "),
        (
            "# pairs\nana,bob\r\ncarl,dora\r\n",
            "Line 2 ends differently from the lines before it (mixed line endings): ",
        ),
        # NUL and other invisible characters (MariaDB ignores them in comparisons), a stray BOM
        ("ana,bob\ncarl\x00,dora\n", "Line 2 contains a control or invisible character (such as NUL"),
        ("ana,bob\x00\n", "Line 1 contains a control or invisible character"),
        ("ana,bob\ncarl,do\u200bra\n", "Line 2 contains a control or invisible character"),
        ("ana,bob\n\ufeffcarl,dora\n", "Line 2 contains a control or invisible character"),
        ("ana,bob\ncarl,\x0bdora\n", "Line 2 contains a control or invisible character"),
        ('ana,bob\ncarl,"do\tra"\n', "Line 2 contains a control or invisible character"),
        # oversized: a cell larger than Python's csv field limit, a long line, a long username
        ("ana,bob\ncarl," + "d" * 140_000 + "\n", "Line 2 is too long (at most 1000 characters)."),
        ("ana,bob\n" + ",".join(["carl"] * 300) + "\n", "Line 2 is too long (at most 1000 characters)."),
        ("ana," + "b" * 151 + "\n", "Line 1: a username has at most 150 characters."),
        # quotes that do not close on their line (a name cannot hold a line break)
        ('ana,"bob\ncarl",dora\n', "Line 1 cannot be read as CSV."),
        ('ana,"bob"x\n', "Line 1 cannot be read as CSV."),
        # too many or too few columns
        ("ana,bob\ncarl,dora,ana,bob\n", "Line 2: a pair needs two usernames (three for a trio)."),
        ("ana,bob\n\ncarl\n", "Line 3: a pair needs two usernames (three for a trio)."),
        # cells a spreadsheet would run as formulas
        ('ana,bob\n=HYPERLINK("http://x.example"),dora\n', 'Line 2: =HYPERLINK("http://x.example") looks like a'),
        ("+carl,dora\n", "Line 1: +carl looks like a spreadsheet formula, not a username."),
        ("carl,-dora\n", "Line 1: -dora looks like a spreadsheet formula, not a username."),
        ("@carl,dora\n", "Line 1: @carl looks like a spreadsheet formula, not a username."),
        # the same learner twice, however written
        ("ana,bob\nAna,carl\n", "Line 2: Ana is already listed on line 1."),
        ("ana,bob\ncarl,BOB \n", "Line 2: BOB is already listed on line 1."),
        # only the exact username finds a learner (MariaDB would take "ANA" for "ana")
        ("ANA,bob\n", "Line 1: ANA is not a learner of this course."),
        ("anä,bob\n", "Line 1: anä is not a learner of this course."),
    ],
)
def test_a_malformed_list_is_refused_with_its_line_and_changes_nothing(block, text, message):
    error = refused(block, "assign_pairs", "staff", {"csv": text})
    assert error.startswith(message), error
    assert not Pair.objects.exists()


def test_too_many_pairs_names_the_line(block):
    text = "".join(f"a{i},b{i}\n" for i in range(5_001))
    error = refused(block, "assign_pairs", "staff", {"csv": text})
    assert error == "Line 5001: the list has too many pairs (at most 5000)."


def test_a_spreadsheet_export_is_read(block):
    # A byte order mark at the start (a spreadsheet's UTF-8 signature), CRLF line endings,
    # semicolons (French spreadsheets), quotes, spaces around names, a title line and a comment.
    text = '\ufeffusername1;username2\r\n"ana"; bob \r\n# second pair\r\n carl; "dora"\r\n'
    reply = block.ok("assign_pairs", "staff", {"csv": text})
    assert reply["message"] == "Pairs created: 2."
    assert groups() == [["ana", "bob"], ["carl", "dora"]]


def test_refusals_are_translated(bench_fr):
    block = Block(bench_fr, TRAINER)
    block.ok("declare_profile", "ana", {"profile": "theoretician"})
    error = refused(block, "assign_pairs", "staff", {"csv": "ana,bob\rcarl,dora"})
    assert error == (
        spaced(
            "La ligne 1 se termine par un retour chariot seul (ancien format Mac) : "
            "enregistrez la liste avec des fins de ligne Windows ou Unix."
        )
    )
    error = refused(block, "assign_pairs", "staff", {"csv": "=1+1,ana"})
    assert error == spaced("Ligne 1 : =1+1 ressemble à une formule de tableur, pas à un nom d'utilisateur.")

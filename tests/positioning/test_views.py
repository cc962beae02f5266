"""What the block shows, through the workbench."""

from __future__ import annotations

import pytest

from tests.xblock_client import Workbench

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_default_title_is_shown_in_the_learners_language(scenarios):
    from workbench.scenarios import add_xml_scenario

    add_xml_scenario("untitled", "untitled positioning", '<devisus_self_positioning item_set="principles"/>')
    french = Workbench("fr").page("untitled", "ana")
    english = Workbench("en").page("untitled", "ana")
    assert '<h2 class="devisus-positioning-title">Auto-positionnement</h2>' in french
    assert '<h2 class="devisus-positioning-title">Self-assessment: where I stand</h2>' in english

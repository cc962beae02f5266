"""The radar chart is valid XML with one polygon per series, accessible and escaped."""

from __future__ import annotations

import pytest
from lxml import etree

from devisus_xblocks.positioning.radar import Series, radar_svg

SVG = "{http://www.w3.org/2000/svg}"
AXES = [f"Pr{n}" for n in range(1, 9)]


def _chart(series, axes=AXES, **kwargs):
    options = {"title": "Radar", "description": "Ratings from 1 to 5.", "id_prefix": "block-1"} | kwargs
    return etree.fromstring(radar_svg(axes, series, **options).encode("utf-8"))


@pytest.mark.parametrize("count", [1, 2, 3])
def test_one_polygon_per_series(count):
    keys = ["learner", "before", "cohort"][:count]
    root = _chart([Series(key, key, tuple(float(n % 5 + 1) for n in range(8))) for key in keys])
    polygons = root.findall(f".//{SVG}polygon")
    assert len(polygons) == count
    assert [p.getparent().get("data-series") for p in polygons] == keys
    assert all(len(p.get("points").split()) == 8 for p in polygons)


def test_accessible_name_and_description():
    root = _chart([Series("learner", "Me", (3,) * 8)], title="My chart", description="What it shows")
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and root.find(f"{SVG}title").text == "My chart"
    assert root.find(f"{SVG}desc").get("id") == desc_id and root.find(f"{SVG}desc").text == "What it shows"
    labels = [text.text for text in root.iterfind(f".//{SVG}g[@class='devisus-positioning-radar-labels']/{SVG}text")]
    assert labels == AXES


def test_texts_are_escaped_and_ids_made_safe():
    hostile = '<script>alert("x")</script> & \x01'
    root = _chart(
        [Series("learner", hostile, (1, 2, 3))], axes=["A&B", "<C>", "D"], title=hostile, id_prefix='a" onload="x'
    )
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script> & '
    assert root.find(f".//{SVG}script") is None
    assert all(name in ("class", "role", "viewBox", "aria-labelledby") for name in root.attrib)
    assert " " not in root.find(f"{SVG}title").get("id")


def test_values_are_placed_by_rating_and_clamped():
    root = _chart([Series("learner", "Me", (5, None, 9, 0))], axes=["N", "E", "S", "W"])
    points = [tuple(map(float, pair.split(","))) for pair in root.find(f".//{SVG}polygon").get("points").split()]
    centre = (240.0, 200.0)
    assert points[0] == (240.0, 60.0)  # 5: the outer ring, straight up
    assert points[1] == centre  # unrated: the centre
    assert points[2] == (240.0, 340.0)  # 9 is drawn as 5
    assert points[3] == centre


def test_series_must_match_the_axes():
    with pytest.raises(ValueError):
        radar_svg(AXES, [Series("learner", "Me", (1, 2))], title="t", description="d", id_prefix="p")

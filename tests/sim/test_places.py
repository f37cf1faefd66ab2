"""The shipped gazetteer of 崇川区 and the checks that keep a hall's own file honest."""

from __future__ import annotations

from pathlib import Path

import pytest

from commandcenter.domain.catalog import default_catalog
from commandcenter.sim import PlacesError, load_places
from commandcenter.sim.places import STREETS, in_district

BASE = """
[[place]]
name = "测试小区"
kind = "estate"
lat = 32.02
lon = 120.87
street = "学田街道"
"""


def test_the_named_places_are_present() -> None:
    places = load_places()
    for name in ("民安花苑", "融悦华庭", "南通万达广场", "怡园北村农贸市场", "晨苑小区"):
        assert places.find(name) is not None, name
    assert places.find("万达广场") is places.find("南通万达广场")  # the name people use


def test_the_shipped_file_has_what_the_demo_needs() -> None:
    places = load_places()
    assert len(places.sites()) >= 30
    assert len(places.restaurants) >= 10
    assert len(places.cameras) >= 8
    assert [len(s.officers) for s in places.squads] == [4, 4, 4]
    assert all(s.name.endswith("中队") for s in places.squads)
    assert len({o.id for o in places.officers}) == 12
    assert {p.street for p in places.places} == STREETS  # every 街道 has something
    assert all(in_district(p.lat, p.lon) for p in places.places)
    catalog = default_catalog()
    for r in places.restaurants:
        assert len(r.mn) == 24 and r.limit == 2.0
    for c in places.cameras:
        assert all(catalog.get(code) is not None for code in c.categories)
        assert c.category == c.categories[0]


@pytest.mark.parametrize(("extra", "message"), [
    ('kind = "castle"\n', "kind"),
    ('street = "不存在街道"\n', "街道"),
    ("lat = 33.5\n", "outside"),
])
def test_a_bad_entry_is_refused_with_its_reason(tmp_path: Path, extra: str, message: str) -> None:
    key = extra.split(" ", 1)[0]
    body = "\n".join(line for line in BASE.splitlines() if not line.startswith(key + " "))
    path = tmp_path / "places.toml"
    path.write_text(body + "\n" + extra, encoding="utf-8")
    with pytest.raises(PlacesError, match=message):
        load_places(path)


def test_a_restaurant_needs_a_24_character_mn(tmp_path: Path) -> None:
    path = tmp_path / "places.toml"
    path.write_text(BASE.replace('"estate"', '"restaurant"') + 'mn = "A001"\nlimit = 2.0\n',
                    encoding="utf-8")
    with pytest.raises(PlacesError, match="24"):
        load_places(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PlacesError, match="cannot read"):
        load_places(tmp_path / "nope.toml")

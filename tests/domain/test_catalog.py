"""The shipped category tree and how codes are shown."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from commandcenter.domain.catalog import Catalog, default_catalog
from commandcenter.resources import resource_path

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_the_standard_classes_are_there(catalog: Catalog) -> None:
    names = {c.zh for c in catalog.classes.values()}
    assert {"市容环境", "宣传广告", "施工管理", "突发事件", "街面秩序", "扩展"} <= names


def test_every_category_hangs_under_an_existing_class(catalog: Catalog) -> None:
    assert len(catalog.categories) >= 10
    for code, cat in catalog.categories.items():
        assert cat.code == code
        assert cat.parent in catalog.classes, code
        assert code.startswith(cat.parent or "?"), code


def test_every_entry_has_a_chinese_and_an_english_name(catalog: Catalog) -> None:
    for cat in [*catalog.classes.values(), *catalog.categories.values()]:
        assert CJK.search(cat.zh), cat.code
        assert cat.en and cat.en.isascii() and not CJK.search(cat.en), cat.code
        assert cat.name("zh_CN") == cat.zh
        assert cat.name("en_US") == cat.en
        assert 1 <= cat.priority <= 3


def test_names_and_priorities(catalog: Catalog) -> None:
    assert catalog.name("0501") == "占道经营（流动摊贩）"
    assert catalog.name("0501", "en") == "Vendor on the road"
    assert catalog.name("0601") == "餐饮油烟超标"
    assert catalog.name("05") == "街面秩序"  # a class code shows its class name
    assert catalog.priority("0401") == 1  # 人群聚集 is urgent
    assert catalog.priority("0101") == 3
    assert catalog.priority("05") == 3


def test_unknown_code_is_shown_as_itself(catalog: Catalog) -> None:
    assert catalog.get("9999") is None
    assert catalog.name("9999") == "9999"
    assert catalog.name("9999", "en") == "9999"
    assert catalog.priority("9999") == 3
    assert catalog.name(None) == "未分类"
    assert catalog.name(None, "en") == "Uncategorised"
    assert catalog.get(None) is None


def test_sla_policy_only_names_known_codes(catalog: Catalog) -> None:
    """sla.toml is keyed by the same codes; a code missing from the catalog is a typo."""
    with open(resource_path("sla.toml"), "rb") as fh:
        sla = tomllib.load(fh)
    for code in sla.get("category", {}):
        assert catalog.get(code) is not None, code


def test_default_catalog_is_loaded_once() -> None:
    assert default_catalog() is default_catalog()
    assert "0501" in default_catalog().categories


def test_a_category_under_an_unknown_class_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(
        '[classes]\n"05" = { zh = "街面秩序", en = "Street order" }\n'
        '[categories]\n"0701" = { parent = "07", zh = "无主", en = "Orphan" }\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"0701.*'07'"):
        Catalog.load(path)


def test_a_city_can_ship_its_own_tree(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(
        '[classes]\n"07" = { zh = "河道管理", en = "Waterways" }\n'
        '[categories]\n"0701" = { parent = "07", zh = "水面漂浮物", en = "Floating litter",'
        " priority = 2 }\n",
        encoding="utf-8",
    )
    city = Catalog.load(path)
    assert city.name("0701") == "水面漂浮物" and city.priority("0701") == 2
    assert city.name("0501") == "0501"

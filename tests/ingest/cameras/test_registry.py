"""The camera registry: the shipped file agrees with the demo's cameras, and a broken file stops
the start with a message that names the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from commandcenter.domain.event import Severity
from commandcenter.domain.geo import gcj02_to_wgs84, haversine_m
from commandcenter.ingest.cameras.registry import (
    DEFAULT,
    CameraRegistryError,
    load_camera_registry,
)
from commandcenter.sim.places import load_places
from tests.ingest.cameras.support import docs_registry, shipped_registry

GOOD = """
version = 1
[[camera]]
id = "cam-1"
name = "测试相机"
lat = 32.0125
lon = 120.8650
category = "0502"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cameras.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_cameras_are_the_demo_cameras_at_the_same_places() -> None:
    registry = shipped_registry()
    places = {camera.id: camera for camera in load_places().cameras}
    assert {camera.id for camera in registry} == set(places)
    for camera in registry:
        place = places[camera.id]
        assert camera.name == place.name
        assert (camera.location.lat, camera.location.lon) == (place.place.lat, place.place.lon)
        assert camera.category == place.category
        # a rule may only produce what the simulator says this camera detects
        for rule in camera.rules:
            assert camera.category_of(rule) in place.categories, (camera.id, rule)


def test_shipped_isapi_table_maps_the_documented_event_types() -> None:
    registry = shipped_registry()
    camera = registry.get("32061300001310000002")
    assert camera is not None
    for event_type, category in [("parking", "0503"), ("illegalParking", "0503"),
                                 ("ILLEGALPARKING", "0503"), ("peopleGathering", "0401"),
                                 ("personDensityDetection", "0401"),
                                 ("regionEntrance", "0503"), ("fielddetection", "0503")]:
        rule = registry.isapi_rule(camera, event_type)
        assert rule is not None and camera.category_of(rule) == category, event_type
    assert registry.isapi_rule(camera, "VMD") is None
    assert registry.severity(camera, registry.isapi_rule(camera, "peopleGathering")) \
        is Severity.CRITICAL


def test_a_region_rule_applies_only_to_its_region() -> None:
    registry = shipped_registry()
    camera = registry.get("32061300001310000006")
    assert camera is not None
    assert camera.category_of(registry.isapi_rule(camera, "fielddetection", ["2"])) == "0502"
    assert camera.category_of(registry.isapi_rule(camera, "fielddetection", ["1"])) == "0501"


def test_gcj02_positions_are_converted_and_frigate_names_resolve() -> None:
    registry = docs_registry()
    plain = registry.get("32061300001310000098")
    assert plain is not None
    lat, lon = gcj02_to_wgs84(32.0130, 120.8660)
    assert haversine_m(plain.location.lat, plain.location.lon, lat, lon) < 0.01
    assert haversine_m(plain.location.lat, plain.location.lon, 32.0130, 120.8660) > 100
    assert registry.for_frigate("front_door") is registry.get("32061300001310000099")
    assert registry.for_frigate("32061300001310000098") is plain  # the id works as a name
    assert registry.frigate_base_url == "http://frigate.hall.local:5000"
    assert registry.get("front_door") is None  # get() is by the hall's id only


def test_default_category_in_a_rule_means_the_cameras_own() -> None:
    registry = load_camera_registry(None)
    camera = registry.get("32061300001310000001")
    assert camera is not None
    rule = registry.isapi_rule(camera, "regionEntrance")
    assert rule is not None and rule.category == DEFAULT
    assert camera.category_of(rule) == "0502"


@pytest.mark.parametrize(("text", "problem"), [
    ("version = 1\n", "no [[camera]] entries"),
    ("version = 2\n" + GOOD.replace("version = 1", ""), "version 2 is not supported"),
    (GOOD + GOOD.replace("version = 1", ""), "'cam-1' is used twice"),
    (GOOD.replace('category = "0502"', 'category = "9999"'), "'9999' is not in the catalog"),
    (GOOD.replace('lat = 32.0125', 'lat = 132.0'), "outside the valid range"),
    (GOOD.replace('lat = 32.0125', 'lat = "32.0"'), "lat is missing or not a number"),
    (GOOD + 'crs = "utm"\n', "crs 'utm' is not one of"),
    (GOOD.replace('name = "测试相机"', ''), "name is missing"),
    (GOOD + '[[camera.rule]]\nzone = "sidewalk"\ncatgory = "0502"\n', "unknown key(s) catgory"),
    (GOOD + '[[camera.rule]]\nzone = "a"\nevent_type = "parking"\ncategory = "0503"\n',
     "either for ISAPI"),
    (GOOD + '[[camera.rule]]\ncategory = "0503"\n', "needs a condition"),
    (GOOD + '[[camera.rule]]\nregion = 1\nzone = "a"\ncategory = "0503"\n',
     "region needs event_type"),
    (GOOD + '[[camera.rule]]\nzone = "a"\nstationary = "yes"\ncategory = "0503"\n',
     "stationary must be true or false"),
    (GOOD + '[[camera.rule]]\nzone = "a"\ncategory = "0503"\nseverity = "loud"\n',
     "severity 'loud'"),
    (GOOD + 'frigate_name = "front door"\n', "frigate_name must be"),
    ('[defaults]\nutc_offset = "8"\n' + GOOD, "utc_offset '8' must look like +08:00"),
    ('[frigate]\nbase_url = "frigate:5000"\n' + GOOD, "base_url must be an http(s) URL"),
    ('[isapi.event_types]\nparking = "0999"\n' + GOOD, "'0999' is not in the catalog"),
    (GOOD.replace("[[camera]]", "[camera]"), "no [[camera]] entries"),
    ("[[camera\n", "not valid TOML"),
])
def test_a_broken_file_names_itself_and_the_problem(tmp_path: Path, text: str,
                                                    problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as info:
        load_camera_registry(path)
    assert isinstance(info.value, CameraRegistryError)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_two_cameras_claiming_one_frigate_name_are_refused(tmp_path: Path) -> None:
    text = GOOD + 'frigate_name = "gate"\n' + GOOD.replace("version = 1", "").replace(
        "cam-1", "cam-2") + 'frigate_name = "gate"\n'
    with pytest.raises(CameraRegistryError, match="'gate' names both cam-1 and cam-2"):
        load_camera_registry(write(tmp_path, text))


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CameraRegistryError, match="cannot read the file"):
        load_camera_registry(tmp_path / "nope.toml")

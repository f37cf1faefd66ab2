"""Oil-fume sites on the map: squares by alarm state, clicked by MN, never in a case's way."""

from __future__ import annotations

import random

import pytest

from commandcenter.domain.alarm import AlarmPhase
from tests.ui.test_map import (
    AREAS,
    CASES,
    CENTRE,
    EMPTY_SPOT,
    HALF,
    OUTLINE,
    UNITS,
    click,
    close_to,
    hover,
    pixel,
    tooltip_at,
)
from ui.map import MapMarker, MapView, SiteMarker, SiteState, TimerState, site_marker, site_state
from ui.map.overlays import MapLegend
from ui.qt import QColor, QPoint

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SITES = [
    SiteMarker("MN-OK", 32.020, 120.860, "老街饭店 油烟 0.80 mg/m³ 正常", SiteState.OK),
    SiteMarker("MN-ALARM", 32.020, 120.880, "老街饭店 油烟 3.20 mg/m³ 超标", SiteState.ALARM),
    SiteMarker(
        "MN-PENDING", 31.980, 120.870, "川菜馆 油烟 2.40 mg/m³ 超标待确认", SiteState.PENDING
    ),
    SiteMarker("MN-OFFLINE", 32.000, 120.850, "面馆 离线（最后 0.50 mg/m³）", SiteState.OFFLINE),
]


@pytest.fixture
def sites_view(qtbot) -> MapView:
    """The map of tests/ui/test_map.py (district, cases, units) with the sites added."""
    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_outline(OUTLINE)
    view.set_areas(AREAS)
    view.set_cases(CASES)
    view.set_units(UNITS)
    view.set_sites(SITES)
    view.fit_to_district()
    return view


def image_at(view: MapView, lat: float, lon: float, dx: int = 0, dy: int = 0) -> QColor:
    image = view.grab().toImage()
    point = view.viewport().mapTo(view, view.map_to_viewport(lat, lon) + QPoint(dx, dy))
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def test_sites_are_squares_in_their_state_colour(sites_view):
    for site in SITES:
        assert close_to(pixel(sites_view, site.lat, site.lon), site.state.colour), site
    # A square fills its corners, where a case's dot of the same size shows the map below it.
    alarm = SITES[1]
    corner = round(SiteState.ALARM.size / 2) - 3
    for dx, dy in ((corner, corner), (-corner, -corner), (corner, -corner), (-corner, corner)):
        assert close_to(image_at(sites_view, alarm.lat, alarm.lon, dx, dy), SiteState.ALARM.colour)


def test_an_offline_site_has_a_dark_rim_and_an_alarm_is_larger(sites_view):
    offline = SITES[3]
    fill = image_at(sites_view, offline.lat, offline.lon)
    rim = image_at(sites_view, offline.lat, offline.lon, round(SiteState.OFFLINE.size / 2))
    assert rim.lightness() < fill.lightness() - 60
    # Six pixels out from its centre an alarm square is still red, a normal one is long over.
    ok, alarm = SITES[0], SITES[1]
    assert close_to(image_at(sites_view, alarm.lat, alarm.lon, 6), SiteState.ALARM.colour)
    assert not close_to(image_at(sites_view, ok.lat, ok.lon, 6), SiteState.OK.colour)


def test_an_alarm_is_drawn_over_a_quiet_site_at_the_same_place(sites_view):
    spot = EMPTY_SPOT
    quiet = SiteMarker("MN-A", *spot, "甲", SiteState.OK)
    loud = SiteMarker("MN-B", *spot, "乙", SiteState.ALARM)
    for order in ([quiet, loud], [loud, quiet]):
        sites_view.set_sites(order)
        assert close_to(pixel(sites_view, *spot), SiteState.ALARM.colour)


def test_sites_are_drawn_below_cases_and_an_alarm_frames_its_case(sites_view):
    # An alarm opens a case at the restaurant itself: the case's dot shows, in a red frame.
    case = MapMarker(50, *EMPTY_SPOT, TimerState.OK, "CC-0050 油烟扰民")
    sites_view.set_cases([case])
    sites_view.set_sites([SiteMarker("MN-X", *EMPTY_SPOT, "老街饭店", SiteState.ALARM)])
    assert close_to(pixel(sites_view, *EMPTY_SPOT), TimerState.OK.colour)
    assert close_to(image_at(sites_view, *EMPTY_SPOT, 6, 6), SiteState.ALARM.colour)
    assert close_to(image_at(sites_view, *EMPTY_SPOT, -6, -6), SiteState.ALARM.colour)


def test_clicking_a_site_emits_its_mn_and_not_a_case(qtbot, sites_view):
    for site in SITES:
        with (
            qtbot.assertNotEmitted(sites_view.caseClicked, wait=50),
            qtbot.waitSignal(sites_view.siteClicked, timeout=1000) as blocker,
        ):
            click(qtbot, sites_view, site.lat, site.lon)
        assert blocker.args == [site.mn]


def test_a_case_at_a_restaurant_wins_the_click(qtbot, sites_view):
    case = MapMarker(50, *EMPTY_SPOT, TimerState.OK, "CC-0050 油烟扰民")
    sites_view.set_cases([*CASES, case])
    sites_view.set_sites([*SITES, SiteMarker("MN-X", *EMPTY_SPOT, "老街饭店", SiteState.ALARM)])
    with (
        qtbot.assertNotEmitted(sites_view.siteClicked, wait=50),
        qtbot.waitSignal(sites_view.caseClicked, timeout=1000) as blocker,
    ):
        click(qtbot, sites_view, *EMPTY_SPOT)
    assert blocker.args == [50]


def test_a_site_next_to_the_selected_case_is_still_clickable(qtbot, sites_view):
    # The selection ring reaches past its case's dot; it is decoration and takes no clicks.
    case = CASES[0]
    sites_view.select_case(case.case_id)
    start = sites_view.map_to_viewport(case.lat, case.lon).x()
    px_per_degree = (sites_view.map_to_viewport(case.lat, case.lon + 0.01).x() - start) / 0.01
    near = SiteMarker("MN-NEAR", case.lat, case.lon + 10 / px_per_degree, "隔壁饭店", SiteState.OK)
    sites_view.set_sites([near])
    with (
        qtbot.assertNotEmitted(sites_view.caseClicked, wait=50),
        qtbot.waitSignal(sites_view.siteClicked, timeout=1000) as blocker,
    ):
        click(qtbot, sites_view, near.lat, near.lon)
    assert blocker.args == ["MN-NEAR"]


def test_clicking_empty_space_or_a_case_does_not_emit_a_site(qtbot, sites_view):
    with qtbot.assertNotEmitted(sites_view.siteClicked, wait=100):
        click(qtbot, sites_view, *EMPTY_SPOT)
    with qtbot.assertNotEmitted(sites_view.siteClicked, wait=100):
        click(qtbot, sites_view, CASES[0].lat, CASES[0].lon)


def test_hovering_a_site_shows_its_label(qtbot, sites_view):
    site = SITES[1]
    pos = sites_view.map_to_viewport(site.lat, site.lon)
    hover(qtbot, sites_view, pos)
    assert tooltip_at(sites_view, pos) == "老街饭店 油烟 3.20 mg/m³ 超标"
    hover(qtbot, sites_view, sites_view.map_to_viewport(*EMPTY_SPOT))
    assert tooltip_at(sites_view, pos) == ""


def test_the_legend_lists_site_states_only_while_there_are_sites(sites_view):
    legend = sites_view.findChild(MapLegend)
    texts = [text for _kind, _colour, text in legend._entries()]
    assert [t for t in texts if t.startswith("油烟站点")] == [
        "油烟站点（超标）",
        "油烟站点（待确认）",
        "油烟站点（正常）",
        "油烟站点（离线）",
    ]
    assert legend.height() >= legend.sizeHint().height()
    assert sites_view.rect().contains(legend.geometry())
    sites_view.set_sites([])
    assert not [t for _k, _c, t in legend._entries() if t.startswith("油烟站点")]
    assert not close_to(pixel(sites_view, SITES[1].lat, SITES[1].lon), SiteState.ALARM.colour)


def test_repeated_updates_reuse_scene_items(sites_view):
    rng = random.Random(5)
    states = list(SiteState)

    def batch() -> list[SiteMarker]:
        return [
            SiteMarker(
                f"MN{i:04d}",
                CENTRE[0] + rng.uniform(-HALF, HALF),
                CENTRE[1] + rng.uniform(-HALF, HALF),
                f"饭店 {i}",
                rng.choice(states),
            )
            for i in range(300)
        ]

    scene = sites_view.graphics_view.scene()
    sites_view.set_sites(batch())
    before = len(scene.items())
    for _ in range(200):
        sites_view.set_sites(batch())
        sites_view.set_units(UNITS)
    assert len(scene.items()) == before


@pytest.mark.parametrize(
    ("phase", "offline", "state", "label"),
    [
        ("normal", False, SiteState.OK, "老街饭店 油烟 0.80 mg/m³ 正常"),
        ("pending", False, SiteState.PENDING, "老街饭店 油烟 0.80 mg/m³ 超标待确认"),
        ("active", False, SiteState.ALARM, "老街饭店 油烟 0.80 mg/m³ 超标"),
        ("clearing", False, SiteState.ALARM, "老街饭店 油烟 0.80 mg/m³ 超标恢复中"),
        ("normal", True, SiteState.OFFLINE, "老街饭店 离线（最后 0.80 mg/m³）"),
        ("pending", True, SiteState.OFFLINE, "老街饭店 离线（最后 0.80 mg/m³）"),
        ("active", True, SiteState.ALARM, "老街饭店 离线·超标未恢复（最后 0.80 mg/m³）"),
    ],
)
def test_site_marker_words_the_state_as_the_site_list_does(phase, offline, state, label):
    marker = site_marker("MN1", "老街饭店", 32.0, 120.87, phase=phase, offline=offline, value=0.8)
    assert (marker.state, marker.label) == (state, label)


def test_every_alarm_phase_of_the_core_has_a_square():
    for phase in AlarmPhase:
        assert site_state(phase, offline=False) in SiteState
    with pytest.raises(ValueError, match="unknown"):
        site_state("flapping", offline=False)
    silent = site_marker("MN1", "面馆", 32.0, 120.87, phase="normal", offline=True, value=None)
    assert silent.label == "面馆 离线（无数据）"
    new = site_marker("MN2", "粥铺", 32.0, 120.87, phase="normal", offline=False, value=None)
    assert (new.state, new.label) == (SiteState.OK, "粥铺 油烟 暂无数据")

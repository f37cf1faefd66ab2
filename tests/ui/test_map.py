"""The map widget: what a dispatcher sees (colours, labels) and does (click, select) on it."""

from __future__ import annotations

import math
import random

import pytest

from commandcenter.domain.geo import haversine_m
from ui.map import MapMarker, MapView, TimerState, UnitMarker
from ui.map.fonts import map_font
from ui.map.overlays import ApproximateCaption, ScaleBar, nice_length
from ui.map.projection import LocalProjection
from ui.qt import QColor, QFontMetricsF, QGraphicsSimpleTextItem, QPoint, Qt

# Showing a top-level window on the offscreen platform logs this warning; it is not the map's.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CENTRE = (32.00, 120.87)
HALF = 0.04


def square(lat: float, lon: float, half: float) -> list[tuple[float, float]]:
    """A closed ring (lon, lat) around a centre, GeoJSON order."""
    return [
        (lon - half, lat - half),
        (lon + half, lat - half),
        (lon + half, lat + half),
        (lon - half, lat + half),
        (lon - half, lat - half),
    ]


OUTLINE = [[square(*CENTRE, HALF)]]
AREAS = [
    (
        "和平桥",
        [[[(120.83, 31.96), (120.87, 31.96), (120.87, 32.04), (120.83, 32.04), (120.83, 31.96)]]],
        (120.85, 32.00),
    ),
    (
        "城东",
        [[[(120.87, 31.96), (120.91, 31.96), (120.91, 32.04), (120.87, 32.04), (120.87, 31.96)]]],
        (120.89, 32.00),
    ),
]
CASES = [
    MapMarker(11, 32.010, 120.860, TimerState.OK, "CC-20240611-0011 占道经营"),
    MapMarker(12, 32.010, 120.880, TimerState.WARN, "CC-20240611-0012 油烟超标"),
    MapMarker(13, 31.990, 120.860, TimerState.OVERDUE, "CC-20240611-0013 违章停车"),
    MapMarker(14, 31.990, 120.880, TimerState.IDLE, "CC-20240611-0014 店外经营"),
]
UNITS = [
    UnitMarker("u1", 31.975, 120.845, "张伟", True),
    UnitMarker("u2", 32.025, 120.895, "王芳", False),
]
EMPTY_SPOT = (32.030, 120.850)  # inside the district, far from every marker


@pytest.fixture
def map_view(qtbot):
    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_outline(OUTLINE)
    view.set_areas(AREAS)
    view.set_cases(CASES)
    view.set_units(UNITS)
    view.fit_to_district()
    return view


def visible_texts(view: MapView) -> set[str]:
    """Every map label a user can read right now."""
    return {
        item.text()
        for item in view.graphics_view.scene().items()
        if isinstance(item, QGraphicsSimpleTextItem) and item.isVisible()
    }


def pixel(view: MapView, lat: float, lon: float) -> QColor:
    image = view.grab().toImage()
    point = view.viewport().mapTo(view, view.map_to_viewport(lat, lon))
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def close_to(actual: QColor, expected: str, tolerance: int = 12) -> bool:
    want = QColor(expected)
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(
            (actual.red(), actual.green(), actual.blue()),
            (want.red(), want.green(), want.blue()),
            strict=True,
        )
    )


def click(qtbot, view: MapView, lat: float, lon: float) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.map_to_viewport(lat, lon))


def test_markers_are_drawn_in_their_timer_colour(map_view):
    for marker in CASES:
        assert close_to(pixel(map_view, marker.lat, marker.lon), marker.state.colour), marker


def test_units_are_blue_and_dimmed_when_busy_with_names_shown(map_view):
    # The triangle's centroid sits a little below its box centre; sample just below the point.
    for unit, colour in ((UNITS[0], "#1565c0"), (UNITS[1], "#5c6bc0")):
        point = map_view.map_to_viewport(unit.lat, unit.lon) + QPoint(0, 2)
        image = map_view.grab().toImage()
        assert close_to(image.pixelColor(map_view.viewport().mapTo(map_view, point)), colour)
    assert {"张伟", "王芳"} <= visible_texts(map_view)


def test_empty_updates_clear_markers(map_view):
    map_view.select_case(13)
    map_view.set_cases([])
    map_view.set_units([])
    assert not close_to(pixel(map_view, CASES[2].lat, CASES[2].lon), TimerState.OVERDUE.colour)
    assert not close_to(pixel(map_view, UNITS[0].lat, UNITS[0].lon), "#1565c0")
    assert not {"张伟", CASES[2].label} & visible_texts(map_view)


def test_district_is_filled_and_outside_is_background(map_view):
    inside = pixel(map_view, *EMPTY_SPOT)
    outside = pixel(map_view, CENTRE[0], CENTRE[1] + 1.5 * HALF)
    assert inside.lightness() > outside.lightness()


def test_area_names_and_approximate_caption_are_shown(qtbot):
    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    caption = view.findChild(ApproximateCaption)
    assert not caption.isVisible()  # no areas, no claim about them
    view.set_areas(AREAS)
    assert {"和平桥", "城东"} <= visible_texts(view)
    assert caption.isVisible()
    assert caption.text() == "街道范围为示意"
    assert view.rect().contains(caption.geometry())


def test_only_the_selected_case_is_labelled(map_view):
    labels = {marker.label for marker in CASES}
    assert not labels & visible_texts(map_view)
    map_view.select_case(13)
    assert labels & visible_texts(map_view) == {CASES[2].label}
    map_view.select_case(None)
    assert not labels & visible_texts(map_view)


def test_selection_follows_updates_and_disappears_with_its_case(map_view):
    map_view.select_case(12)
    moved = [
        m if m.case_id != 12 else MapMarker(12, 32.02, 120.89, m.state, "已移动") for m in CASES
    ]
    map_view.set_cases(moved)
    assert "已移动" in visible_texts(map_view)
    map_view.set_cases([m for m in CASES if m.case_id != 12])
    assert "已移动" not in visible_texts(map_view)
    assert map_view.selected_case == 12  # it comes back ringed if the case reappears
    map_view.set_cases(moved)
    assert "已移动" in visible_texts(map_view)


def test_clicking_a_case_marker_emits_its_id(qtbot, map_view):
    for marker in CASES:
        with qtbot.waitSignal(map_view.caseClicked, timeout=1000) as blocker:
            click(qtbot, map_view, marker.lat, marker.lon)
        assert blocker.args == [marker.case_id]


def test_clicking_empty_space_or_a_unit_does_not_emit(qtbot, map_view):
    with qtbot.assertNotEmitted(map_view.caseClicked, wait=100):
        click(qtbot, map_view, *EMPTY_SPOT)
    with qtbot.assertNotEmitted(map_view.caseClicked, wait=100):
        click(qtbot, map_view, UNITS[0].lat, UNITS[0].lon)


def test_clicking_the_selected_case_still_emits(qtbot, map_view):
    map_view.select_case(11)
    with qtbot.waitSignal(map_view.caseClicked, timeout=1000) as blocker:
        click(qtbot, map_view, CASES[0].lat, CASES[0].lon)
    assert blocker.args == [11]


def test_select_case_does_not_emit(qtbot, map_view):
    with qtbot.assertNotEmitted(map_view.caseClicked, wait=50):
        map_view.select_case(11)
        map_view.select_case(12, reveal=True)
        map_view.select_case(None)
    assert map_view.selected_case is None


def hover(qtbot, view: MapView, pos: QPoint) -> None:
    # Qt drops a move to where the cursor already is (an earlier test may have left it there),
    # and pyqtgraph drops moves closer together than one display frame: step in, then wait.
    qtbot.mouseMove(view.viewport(), pos + QPoint(4, 4))
    qtbot.wait(50)
    qtbot.mouseMove(view.viewport(), pos)


def tooltip_at(view: MapView, pos: QPoint) -> str:
    """The tooltip Qt would show here: the topmost item's at this point that has one."""
    tips = [item.toolTip() for item in view.graphics_view.items(pos) if item.toolTip()]
    return tips[0] if tips else ""


def test_hovering_a_case_shows_its_label_as_tooltip(qtbot, map_view):
    pos = map_view.map_to_viewport(CASES[1].lat, CASES[1].lon)
    hover(qtbot, map_view, pos)
    assert tooltip_at(map_view, pos) == CASES[1].label
    hover(qtbot, map_view, map_view.map_to_viewport(*EMPTY_SPOT))
    assert tooltip_at(map_view, pos) == ""


def test_overlapping_cases_share_one_tooltip(qtbot, map_view):
    stack = [
        MapMarker(100 + i, *EMPTY_SPOT, TimerState.OK, f"同址案件 {i}") for i in range(5)
    ]
    map_view.set_cases(stack)
    pos = map_view.map_to_viewport(*EMPTY_SPOT)
    hover(qtbot, map_view, pos)
    lines = tooltip_at(map_view, pos).split("\n")
    assert len(lines) == 4
    assert lines[-1] == "另有 2 起案件"


def test_scale_bar_follows_the_zoom(map_view):
    scale_bar = map_view.findChild(ScaleBar)
    assert scale_bar.text() == "1 公里"
    map_view.centre_on(*CENTRE)
    map_view.graphics_view.centralWidget.scaleBy((0.1, 0.1))
    assert scale_bar.text() == "100 米"
    assert map_view.rect().contains(scale_bar.geometry())


def test_reveal_pans_to_a_case_out_of_view_and_centre_on_centres(map_view):
    far = MapMarker(99, 32.10, 121.00, TimerState.OVERDUE, "远处案件")
    map_view.set_cases([*CASES, far])
    assert not map_view.viewport().rect().contains(map_view.map_to_viewport(far.lat, far.lon))
    map_view.select_case(99, reveal=True)
    assert map_view.viewport().rect().contains(map_view.map_to_viewport(far.lat, far.lon))

    map_view.centre_on(*CENTRE)
    centre = map_view.map_to_viewport(*CENTRE)
    middle = map_view.viewport().rect().center()
    assert abs(centre.x() - middle.x()) <= 2
    assert abs(centre.y() - middle.y()) <= 2


def test_fit_to_district_shows_the_whole_outline(map_view):
    map_view.centre_on(32.5, 121.5)
    map_view.fit_to_district()
    rect = map_view.viewport().rect()
    for lon, lat in OUTLINE[0][0]:
        assert rect.contains(map_view.map_to_viewport(lat, lon))


def test_repeated_updates_reuse_scene_items(map_view):
    rng = random.Random(3)
    states = list(TimerState)

    def batch() -> list[MapMarker]:
        return [
            MapMarker(
                i,
                CENTRE[0] + rng.uniform(-HALF, HALF),
                CENTRE[1] + rng.uniform(-HALF, HALF),
                rng.choice(states),
                f"案件 {i}",
            )
            for i in range(500)
        ]

    scene = map_view.graphics_view.scene()
    map_view.select_case(7)
    map_view.set_cases(batch())
    before = len(scene.items())
    for _ in range(200):
        map_view.set_cases(batch())
        map_view.set_units(UNITS)
    assert len(scene.items()) == before
    map_view.set_units(UNITS[:1])
    map_view.set_units(UNITS)
    assert len(scene.items()) == before


def test_map_font_renders_chinese():
    metrics = QFontMetricsF(map_font(9.0))
    assert all(metrics.inFontUcs4(ord(char)) for char in "崇川区街道范围为示意")


@pytest.mark.parametrize(
    ("limit", "expected"), [(0.4, 1.0), (140.0, 100.0), (2300.0, 2000.0), (7_000.0, 5000.0)]
)
def test_scale_bar_uses_round_lengths(limit, expected):
    assert nice_length(limit) == expected


def test_projection_keeps_distances_true_at_the_districts_latitude():
    projection = LocalProjection(*CENTRE)
    a = (32.01, 120.85)
    b = (31.98, 120.90)
    ax, ay = projection.point(*a)
    bx, by = projection.point(*b)
    assert math.hypot(bx - ax, by - ay) == pytest.approx(haversine_m(*a, *b), rel=2e-3)
    assert projection.inverse(ax, ay) == pytest.approx(a)


def test_an_update_redraws_only_the_changed_markers_and_keeps_the_rest(qtbot, map_view):
    """A batch re-sends only its own markers to the scatter items, yet every case is drawn in
    its colour and a click still finds a case drawn earlier."""
    many = [
        MapMarker(1000 + i, CENTRE[0] + 0.02 + (i % 50) * 0.0003,
                  CENTRE[1] + 0.02 + (i // 50) * 0.0003, TimerState.OK, f"案件 {i}")
        for i in range(2000)
    ]
    map_view.set_cases([*CASES, *many])
    map_view.update_cases([MapMarker(11, CASES[0].lat, CASES[0].lon, TimerState.OVERDUE,
                                     CASES[0].label)], removed=[12])
    assert map_view.case_marker(11).state is TimerState.OVERDUE
    assert map_view.case_marker(12) is None
    assert map_view.case_marker(1500) == many[500]
    assert close_to(pixel(map_view, CASES[0].lat, CASES[0].lon), TimerState.OVERDUE.colour)
    assert close_to(pixel(map_view, CASES[2].lat, CASES[2].lon), TimerState.OVERDUE.colour)
    with qtbot.waitSignal(map_view.caseClicked, timeout=1000) as blocker:
        click(qtbot, map_view, CASES[3].lat, CASES[3].lon)
    assert blocker.args == [14]


def test_the_selected_label_stays_readable_at_the_edge_of_the_map(qtbot, map_view):
    """A case at the left or right edge keeps its whole label on screen; in the middle the
    label is centred over it."""
    long_title = "CC-20240611-0011 新城小区小区门口暴露垃圾未清运，气味很大"
    cases = [MapMarker(11, 32.010, 120.860, TimerState.OK, long_title)]
    map_view.set_cases(cases)
    map_view.select_case(11)
    viewport = map_view.graphics_view.viewport().rect()

    def label_rect():
        (item,) = [i for i in map_view.graphics_view.scene().items()
                   if isinstance(i, QGraphicsSimpleTextItem) and i.isVisible()
                   and i.text() == long_title]
        box = item.parentItem()  # the label's box, which ignores the view's zoom
        device = box.deviceTransform(map_view.graphics_view.viewportTransform())
        return device.mapRect(box.boundingRect())

    map_view.centre_on(32.010, 120.860)
    qtbot.wait(20)
    centred = label_rect()
    assert abs(centred.center().x() - map_view.map_to_viewport(32.010, 120.860).x()) <= 2
    for target in (40, viewport.width() - 40):  # the marker near the left edge, the right
        for _ in range(3):  # pan until the marker is there (the view pans in its own units)
            shift = target - map_view.map_to_viewport(32.010, 120.860).x()
            map_view._view_box.translateBy(x=-shift * map_view._view_box.viewPixelSize()[0])
            qtbot.wait(20)
        assert abs(map_view.map_to_viewport(32.010, 120.860).x() - target) <= 2
        rect = label_rect()
        assert viewport.left() <= rect.left() and rect.right() <= viewport.right(), (target, rect)
        map_view.centre_on(32.010, 120.860)

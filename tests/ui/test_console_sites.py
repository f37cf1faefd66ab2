"""The console puts the oil-fume sites on its map, keeps them live, and opens the site list."""

from __future__ import annotations

from typing import Any

from commandcenter.domain.site import Site
from commandcenter.services.sites import SiteService
from tests.conftest import FakeClock
from tests.ui.conftest import ConsoleUnderTest
from tests.ui.test_map import click, close_to, pixel
from tests.ui.test_map_sites import image_at
from tests.ui.test_sites import reading
from ui.map import SiteState
from ui.sites import SitesDialog

EXCEEDING = Site("32061300000000000000A001", "老街饭店", lat=32.035, lon=120.875, limit=2.0)
QUIET = Site("32061300000000000000A003", "南大街面馆", lat=32.035, lon=120.885, limit=2.0)


def test_sites_follow_their_readings_and_a_click_opens_the_site_list(
    qtbot: Any, console: ConsoleUnderTest, clock: FakeClock
) -> None:
    hall, window = console.hall, console.window
    SiteService(hall.ctx).register([EXCEEDING, QUIET])
    window.site_feed.refresh()  # as the 30 s timer does
    window.map.centre_on(EXCEEDING.lat, EXCEEDING.lon)
    for site in (EXCEEDING, QUIET):
        qtbot.waitUntil(lambda s=site: close_to(pixel(window.map, s.lat, s.lon),
                                                SiteState.OK.colour))

    for value in (2.6, 2.8, 3.1, 3.4, 3.2):  # above the limit for four minutes: raised
        hall.ingest.put(reading(EXCEEDING.mn, clock.now, value))
        clock.advance(minutes=1)
    # No refresh by hand: stored readings make the console reload the sites within seconds.
    # The alarm also opened a case at the restaurant; the red square frames its dot.
    qtbot.waitUntil(lambda: close_to(image_at(window.map, EXCEEDING.lat, EXCEEDING.lon, 6, 6),
                                     SiteState.ALARM.colour))
    with (qtbot.assertNotEmitted(window.map.siteClicked, wait=50),
          qtbot.waitSignal(window.map.caseClicked, timeout=1000)):
        click(qtbot, window.map, EXCEEDING.lat, EXCEEDING.lon)  # the case wins

    with (qtbot.assertNotEmitted(window.map.caseClicked, wait=50),
          qtbot.waitSignal(window.map.siteClicked, timeout=1000) as blocker):
        click(qtbot, window.map, QUIET.lat, QUIET.lon)
    assert blocker.args == [QUIET.mn]
    dialog = window.findChild(SitesDialog)
    assert dialog is not None and dialog.isVisible()
    # Let its load and the selected site's readings arrive before the console shuts down.
    qtbot.waitUntil(lambda: not dialog.loading and dialog.selected_mn() == QUIET.mn)
    qtbot.waitUntil(lambda: "南大街面馆" in dialog.details.text())

    # Open and filtered to something else: the clicked site is still the one shown.
    dialog.filter.setText("老街")
    qtbot.waitUntil(lambda: dialog.selected_mn() == EXCEEDING.mn)
    qtbot.waitUntil(lambda: not dialog.loading)
    click(qtbot, window.map, QUIET.lat, QUIET.lon)
    qtbot.waitUntil(lambda: not dialog.loading and dialog.selected_mn() == QUIET.mn)
    assert dialog.filter.text() == ""
    qtbot.waitUntil(lambda: "南大街面馆" in dialog.details.text())

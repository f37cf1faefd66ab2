"""A report platform configured in the settings feeds the hall like any other source."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commandcenter.config import Settings
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.open311.wiring import start_open311
from tests.ingest.open311.server import GeoReportServer, Reply

SAMPLE = json.loads((Path(__file__).parent / "samples" / "georeport_v2_requests.json")
                    .read_bytes())


def fresh_sample() -> bytes:
    """The spec's two requests, as if made a minute ago (the first poll looks back a day)."""
    now = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    items = [{**item, "requested_datetime": now, "updated_datetime": now} for item in SAMPLE]
    items[1]["service_code"] = "099"  # a code the hall has not mapped yet
    return json.dumps(items).encode()


@pytest.fixture
def server() -> Iterator[GeoReportServer]:
    geo = GeoReportServer()
    geo.start()
    yield geo
    geo.stop()


@pytest.fixture
def hall(sqlite_url: str) -> Iterator[Hall]:
    h = open_hall(Settings(db_url=sqlite_url))
    h.ingest.start()
    yield h
    h.close()


def test_nothing_configured_nothing_polled(hall: Hall) -> None:
    assert start_open311(hall, Settings()) is None


def test_configured_platform_reports_become_cases(hall: Hall, server: GeoReportServer) -> None:
    body = fresh_sample()
    server.script = lambda n, seen: Reply(body=body)
    poller = start_open311(hall, Settings(open311_url=server.url, open311_interval="3600",
                                          open311_categories="006=0103"))
    assert poller is not None
    try:
        poller.poll_once()  # the thread's first poll may also run: dedup makes that harmless
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(hall.cases.snapshot().cases) < 2:
            time.sleep(0.05)
        cases = hall.cases.snapshot().cases
        assert len(cases) == 2
        assert sorted(c.category for c in cases) == ["01", "0103"]  # mapped, and the default
    finally:
        poller.stop()

"""The Open311 poller against a real HTTP server on 127.0.0.1: paging, retries, timeouts,
ETags and incremental polling, with every report decoded by the real ingest decoder."""

from __future__ import annotations

import itertools
import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from commandcenter.domain.event import Event
from commandcenter.ingest.decode import RejectedMessage, decode
from commandcenter.ingest.open311.client import Open311Client, Open311Error
from commandcenter.ingest.open311.convert import ServiceMapping, updated_at
from commandcenter.ingest.open311.poller import Open311Poller
from tests.ingest.open311.server import GeoReportServer, Reply, Seen, json_reply

SAMPLES = Path(__file__).parent / "samples"
SPEC_SAMPLE = (SAMPLES / "georeport_v2_requests.json").read_bytes()
SPEC_VERBATIM = (SAMPLES / "georeport_v2_requests_verbatim.json").read_bytes()
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
KEY = "s3cr3t+key/42"


@pytest.fixture
def server() -> Iterator[GeoReportServer]:
    geo = GeoReportServer()
    geo.start()
    yield geo
    geo.stop()


class Harness:
    """A client, a poller and what they handed on, around one server."""

    def __init__(self, server: GeoReportServer, tmp_path: Path, *, now: datetime = NOW,
                 lookback: timedelta = timedelta(days=1), **client_kw: Any) -> None:
        self.sleeps: list[float] = []
        self.sent: list[tuple[str, bytes]] = []
        self.rejects: list[tuple[bytes, RejectedMessage]] = []
        self.state = tmp_path / "state" / "open311.json"
        self.now = now
        self.lookback = lookback
        client_kw.setdefault("timeout", (1.0, 2.0))
        self.client = Open311Client(server.url, sleep=self.sleeps.append,
                                    clock=lambda: self.now, **client_kw)
        self.poller = self.new_poller()

    def new_poller(self, **kw: Any) -> Open311Poller:
        return Open311Poller(self.client, lambda t, p: self.sent.append((t, p)),
                             state_path=self.state, interval_s=0.05,
                             mapping=ServiceMapping({"006": "0103"}, default_category="0501"),
                             on_reject=lambda raw, exc: self.rejects.append((raw, exc)),
                             initial_lookback=self.lookback, clock=lambda: self.now, **kw)

    def events(self) -> list[Event]:
        """Through the real decoder, as the ingest worker will see them."""
        out = []
        for topic, payload in self.sent:
            event = decode(topic, payload)
            assert isinstance(event, Event)
            out.append(event)
        return out


@pytest.fixture
def harness(server: GeoReportServer, tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    made: list[Harness] = []

    def make(**kw: Any) -> Harness:
        made.append(Harness(server, tmp_path, **kw))
        return made[-1]

    yield make
    for h in made:
        h.poller.stop()
        h.client.close()


def w3(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def report(n: int, updated: datetime, **over: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "service_request_id": f"NT-{n:04d}", "status": "open", "service_name": "流动摊贩",
        "service_code": "A17", "description": f"第 {n} 件", "address": "崇川区任港路",
        "requested_datetime": (updated - timedelta(minutes=5)).isoformat(),
        "updated_datetime": updated.isoformat(), "lat": 32.0152, "long": 120.8252,
    }
    item.update(over)
    return item


def paged(items: list[dict[str, Any]], size: int) -> Callable[[int, Seen], Reply]:
    """A platform that pages and filters by update time, as Chicago's `updated_after` does."""
    def answer(n: int, seen: Seen) -> Reply:
        since = w3(seen.query["start_date"])
        chosen = [i for i in items if (updated_at(i) or since) >= since]
        page = int(seen.query.get("page", "1"))
        return json_reply(chosen[(page - 1) * size: page * size])
    return answer


def test_the_spec_sample_is_polled_into_two_reports(server: GeoReportServer,
                                                    harness: Callable[..., Harness]) -> None:
    server.script = lambda n, seen: Reply(body=SPEC_SAMPLE)
    h = harness(now=datetime(2010, 4, 20, tzinfo=UTC), lookback=timedelta(days=30),
                jurisdiction_id="city.gov")
    result = h.poller.poll_once()
    assert (result.emitted, result.rejected) == (2, 0)
    assert [t for t, _ in h.sent] == ["cc/v1/event/open311"] * 2
    events = h.events()
    assert [e.source_id for e in events] == ["638344", "638349"]
    assert all(e.category == "0103" and e.raw["service_name"] == "Sidewalk and Curb Issues"
               for e in events)
    [seen] = server.requests
    assert seen.path == "/dev/v2/requests.json"
    assert seen.query["start_date"] == "2010-03-21T00:00:00Z"
    assert seen.query["end_date"] == "2010-06-19T00:00:00Z"  # 90 days: the spec's limit
    assert (seen.query["jurisdiction_id"], seen.query["page"]) == ("city.gov", "1")
    assert seen.headers["accept"] == "application/json"
    state = json.loads(h.state.read_text())
    assert datetime.fromisoformat(state["since"]) == datetime.fromisoformat(
        "2010-04-19T06:37:38-08:00")
    assert state["seen"] == ["638349"]


def test_pages_until_a_short_page(server: GeoReportServer,
                                  harness: Callable[..., Harness]) -> None:
    items = [report(i, NOW - timedelta(hours=5 - i)) for i in range(5)]
    server.script = paged(items, 2)
    h = harness(page_size=2)
    assert h.poller.poll_once().emitted == 5
    assert [s.query["page"] for s in server.requests] == ["1", "2", "3"]
    assert {s.query["page_size"] for s in server.requests} == {"2"}
    assert [e.source_id for e in h.events()] == [f"NT-{i:04d}" for i in range(5)]


def test_pages_until_an_empty_page(server: GeoReportServer,
                                   harness: Callable[..., Harness]) -> None:
    server.script = paged([report(i, NOW - timedelta(hours=i + 1)) for i in range(4)], 2)
    h = harness(page_size=2)
    assert h.poller.poll_once().emitted == 4
    assert [s.query["page"] for s in server.requests] == ["1", "2", "3"]


def test_a_platform_that_ignores_page_is_read_once(server: GeoReportServer,
                                                   harness: Callable[..., Harness]) -> None:
    items = [report(i, NOW - timedelta(hours=i + 1)) for i in range(3)]
    server.script = lambda n, seen: json_reply(items)  # the spec has no paging
    h = harness(page_size=3)
    assert h.poller.poll_once().emitted == 3
    assert len(server.requests) == 2  # page 2 came back as page 1: stop, no duplicates


def test_a_500_is_retried_with_backoff_then_succeeds(server: GeoReportServer,
                                                     harness: Callable[..., Harness]) -> None:
    item = report(1, NOW - timedelta(hours=1))
    server.script = lambda n, seen: (Reply(status=500, body=b"oops") if n <= 2
                                     else json_reply([item]))
    h = harness(backoff=0.5)
    assert h.poller.poll_once().emitted == 1
    assert len(server.requests) == 3
    assert h.sleeps == [0.5, 1.0]


def test_a_platform_that_keeps_failing_is_a_clear_error(server: GeoReportServer,
                                                        harness: Callable[..., Harness]) -> None:
    server.script = lambda n, seen: Reply(status=503, body=b"maintenance")
    h = harness(retries=3, backoff=0.25, api_key=KEY)
    with pytest.raises(Open311Error) as info:
        h.poller.poll_once()
    message = str(info.value)
    assert "failed 4 times" in message and "HTTP 503" in message and server.url in message
    assert len(server.requests) == 4 and h.sleeps == [0.25, 0.5, 1.0]
    assert h.sent == [] and not h.state.exists()  # nothing handed on, nothing remembered


def test_a_slow_platform_times_out_and_the_retry_succeeds(server: GeoReportServer,
                                                          harness: Callable[..., Harness]) -> None:
    item = report(1, NOW - timedelta(hours=1))
    server.script = lambda n, seen: json_reply([item], delay=1.0 if n == 1 else 0.0)
    h = harness(timeout=(1.0, 0.2))
    started = time.monotonic()
    assert h.poller.poll_once().emitted == 1
    assert len(server.requests) == 2 and len(h.sleeps) == 1
    assert time.monotonic() - started < 1.0  # gave up on the slow answer, did not wait for it


def test_a_malformed_body_is_a_clear_error_and_nothing_is_emitted(
        server: GeoReportServer, harness: Callable[..., Harness]) -> None:
    server.script = lambda n, seen: Reply(body=SPEC_VERBATIM)  # `"service_code":006`
    h = harness()
    with pytest.raises(Open311Error, match=r"page 1 is not GeoReport JSON \(not JSON: "):
        h.poller.poll_once()
    assert h.sent == [] and h.rejects == [] and not h.state.exists()
    assert len(server.requests) == 1  # a wrong body is not retried within the poll


def test_etag_304_means_nothing_new(server: GeoReportServer,
                                    harness: Callable[..., Harness]) -> None:
    item = report(1, NOW - timedelta(hours=1))

    def answer(n: int, seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(status=304, body=b"")
        return json_reply([item], headers={"ETag": '"v1"'})

    server.script = answer
    h = harness()
    # poll 1 moves `since` to the item's time; poll 2 asks anew and learns the window's ETag;
    # from poll 3 on, an unchanged platform answers 304
    assert [h.poller.poll_once().emitted for _ in range(4)] == [1, 0, 0, 0]
    assert [s.headers.get("if-none-match") for s in server.requests] == [
        None, None, '"v1"', '"v1"']
    assert [s.query["start_date"] for s in server.requests][1:] == [
        (NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")] * 3


def test_incremental_polls_follow_updated_datetime_across_restarts(
        server: GeoReportServer, harness: Callable[..., Harness]) -> None:
    items = [report(1, NOW - timedelta(hours=3)), report(2, NOW - timedelta(hours=2))]
    server.script = paged(items, 100)
    h = harness()
    assert h.poller.poll_once().emitted == 2
    # the platform gets a new report and an update of NT-0001; the hall restarts in between
    items.append(report(3, NOW + timedelta(minutes=1)))
    items[0] = report(1, NOW + timedelta(minutes=2), status="closed")
    h.poller = h.new_poller()
    assert h.poller.since == NOW - timedelta(hours=2)
    result = h.poller.poll_once()
    assert result.emitted == 2 and result.since == NOW + timedelta(minutes=2)
    assert server.requests[-1].query["start_date"] == (
        (NOW - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    ids = [e.source_id for e in h.events()]
    assert ids[:2] == ["NT-0001", "NT-0002"] and sorted(ids[2:]) == ["NT-0001", "NT-0003"]
    assert h.poller.poll_once().emitted == 0  # the boundary item is not handed on twice


def test_refused_requests_go_to_the_quarantine_hook(server: GeoReportServer,
                                                    harness: Callable[..., Harness]) -> None:
    items = [report(1, NOW - timedelta(hours=3)),
             report(2, NOW - timedelta(hours=2), lat=95.0),
             report(3, NOW - timedelta(hours=1), service_request_id=None)]
    server.script = lambda n, seen: json_reply(items)
    h = harness()
    result = h.poller.poll_once()
    assert (result.emitted, result.rejected) == (1, 2)
    assert [exc.code for _, exc in h.rejects] == ["bad_location", "missing_field"]
    assert json.loads(h.rejects[0][0])["service_request_id"] == "NT-0002"
    assert result.since == NOW - timedelta(hours=1)  # refused items are not fetched again


def test_a_4xx_is_not_retried_and_the_key_stays_secret(server: GeoReportServer,
                                                       harness: Callable[..., Harness]) -> None:
    server.script = lambda n, seen: Reply(status=403,
                                          body=f"invalid api_key {seen.query['api_key']}".encode())
    h = harness(api_key=KEY)
    with pytest.raises(Open311Error) as info:
        h.poller.poll_once()
    assert "HTTP 403" in str(info.value) and "invalid api_key ***" in str(info.value)
    assert KEY not in str(info.value)
    assert len(server.requests) == 1 and server.requests[0].query["api_key"] == KEY


def test_an_unreachable_platform_names_the_cause_not_the_key(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps: list[float] = []
    with Open311Client(f"http://127.0.0.1:{port}", api_key=KEY, retries=2,
                       sleep=sleeps.append, clock=lambda: NOW) as client:
        with pytest.raises(Open311Error) as info:
            list(client.fetch_updated(NOW - timedelta(hours=1)))
    message = str(info.value)
    assert "failed 3 times" in message and "ConnectionError" in message
    assert KEY not in message and "s3cr3t" not in message
    assert sleeps == [0.5, 1.0]


def test_a_long_gap_is_queried_in_90_day_windows(server: GeoReportServer,
                                                 harness: Callable[..., Harness]) -> None:
    server.script = lambda n, seen: json_reply([])
    h = harness(lookback=timedelta(days=200))
    h.poller.poll_once()
    spans = [(s.query["start_date"], s.query["end_date"]) for s in server.requests]
    assert len(spans) == 3
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    for start, end in spans:
        assert w3(end) - w3(start) == timedelta(days=90)


def test_the_thread_polls_until_stopped(server: GeoReportServer,
                                        harness: Callable[..., Harness]) -> None:
    items = [report(1, NOW - timedelta(hours=1))]
    server.script = lambda n, seen: (Reply(status=400, body=b"bad") if n == 1
                                     else json_reply(items))
    h = harness()
    h.poller.start()
    with pytest.raises(RuntimeError):
        h.poller.start()
    deadline = time.monotonic() + 5
    while not h.sent and time.monotonic() < deadline:
        time.sleep(0.02)
    h.poller.stop()
    assert len(h.sent) == 1 and h.poller.last_error is None
    assert h.poller.last_success == NOW
    count = len(server.requests)
    time.sleep(0.15)
    assert len(server.requests) == count  # stopped means stopped


def test_an_unusable_state_file_starts_over_with_a_warning(
        server: GeoReportServer, harness: Callable[..., Harness], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    state = tmp_path / "state" / "open311.json"
    state.parent.mkdir(parents=True)
    state.write_text('{"version": 1, "since": "yesterday"}')
    with caplog.at_level(logging.WARNING, logger="commandcenter.ingest.open311.poller"):
        h = harness()
    assert h.poller.since == NOW - timedelta(days=1)
    assert "is unusable" in caplog.text

"""Every wire format through the one ingest path: HJ 212 frames from the gateway, the gateway's
rejections, ISAPI and Frigate camera alerts, loudspeaker acks — stored, cased or quarantined."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandcenter.config import Settings
from commandcenter.domain.site import Site
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.sites import SiteService
from commandcenter.store.schema import QuarantineRow
from tests.conftest import FakeClock
from tests.ingest.hj212.builders import MN, oil_2011

SAMPLES = Path(__file__).parent / "cameras" / "samples"
RENGANG = "32061300001310000006"


@pytest.fixture
def hall(sqlite_url: str, clock: FakeClock) -> Iterator[Hall]:
    h = open_hall(Settings(db_url=sqlite_url))
    h.ctx.clock = clock
    yield h
    h.close()


def feed(hall: Hall, clock: FakeClock, topic: str, payload: bytes):
    return hall.ingest.process_now([InboundMessage(topic, payload, clock.now)])


def test_hj212_frame_becomes_a_reading_of_its_site(hall: Hall, clock: FakeClock) -> None:
    SiteService(hall.ctx).register([Site(MN, "老街饭店", lat=32.03, lon=120.87)])
    changes = feed(hall, clock, f"cc/v1/hj212/{MN}", oil_2011())
    assert changes.events_stored == 1 and changes.quarantined == 0
    assert feed(hall, clock, f"cc/v1/hj212/{MN}", oil_2011()).duplicates == 1, "a resend"
    series = SiteService(hall.ctx).readings(MN, hours=24 * 365)
    assert series and series[0][1]["a34041"] == 1.23


def test_frame_filed_under_another_mn_is_quarantined(hall: Hall, clock: FakeClock) -> None:
    changes = feed(hall, clock, "cc/v1/hj212/SOMEONEELSE", oil_2011())
    assert changes.quarantined == 1 and changes.events_stored == 0


def test_gateway_rejection_keeps_the_device_bytes(hall: Hall, clock: FakeClock) -> None:
    garbage = b"##0099QN=bad\r\n"
    report = json.dumps({"peer": "10.0.0.7:50311", "code": "crc", "reason": "CRC mismatch",
                         "raw_b64": base64.b64encode(garbage).decode()}).encode()
    assert feed(hall, clock, "cc/v1/hj212/_rejected", report).quarantined == 1
    with hall.ctx.db.read() as s:
        row = s.query(QuarantineRow).one()
    assert row.payload == garbage and row.reason == "CRC mismatch"
    assert row.reason_code == "hj212_crc" and "10.0.0.7" in row.source


def test_isapi_alert_becomes_a_case(hall: Hall, clock: FakeClock) -> None:
    changes = feed(hall, clock, f"cc/v1/isapi/{RENGANG}",
                   (SAMPLES / "isapi_hikvision_ns.xml").read_bytes())
    (case_id,) = changes.new_case_ids
    case = changes.cases[case_id]
    assert case.category == "0502" and case.location is not None
    heartbeat = feed(hall, clock, f"cc/v1/isapi/{RENGANG}",
                     (SAMPLES / "isapi_heartbeat.xml").read_bytes())
    assert heartbeat.quarantined == 0 and not heartbeat.new_case_ids


def test_unknown_camera_and_unsafe_xml_are_quarantined(hall: Hall, clock: FakeClock) -> None:
    changes = feed(hall, clock, "cc/v1/isapi/nosuchcamera",
                   (SAMPLES / "isapi_hikvision_ns.xml").read_bytes())
    assert changes.quarantined == 1
    changes = feed(hall, clock, f"cc/v1/isapi/{RENGANG}",
                   (SAMPLES / "isapi_billion_laughs.xml").read_bytes())
    assert changes.quarantined == 1


def test_frigate_topic_is_routed(hall: Hall, clock: FakeClock) -> None:
    event = {"type": "new", "before": None, "after": {
        "id": "1700000000.1-abc", "camera": "32061300001310000002", "label": "car",
        "score": 0.9, "top_score": 0.9, "start_time": 1795884000.0, "end_time": None,
        "current_zones": ["no_parking"], "entered_zones": ["no_parking"],
        "false_positive": False,
        "has_snapshot": True, "stationary": True}}
    changes = feed(hall, clock, "frigate/events", json.dumps(event).encode())
    assert changes.quarantined == 0
    (case_id,) = changes.new_case_ids
    assert changes.cases[case_id].category == "0503"  # a car at rest in the no-parking zone


def test_a_late_failure_replays_the_batch_carefully_and_the_chain_holds(
        hall: Hall, clock: FakeClock) -> None:
    """A message that only fails inside the database phase (an officer's reply about a case
    that does not exist) sends the whole batch down the savepoint path; the audit chain, kept
    in memory on the fast path, must still verify afterwards."""
    from commandcenter.domain.unit import Unit
    from commandcenter.services import audit
    from tests.conftest import event_payload

    hall.cases.register_units([Unit("u-1", "张伟")])
    reply = json.dumps({"status": "accepted", "case_id": "CC-NOPE", "ts": clock.now.isoformat()})
    batch = [("cc/v1/event/suishoupai", event_payload(source_id=f"r-{i}")) for i in range(5)]
    batch.insert(3, ("cc/v1/unit/u-1/status", reply.encode()))
    changes = hall.ingest.process_now([InboundMessage(t, p, clock.now) for t, p in batch])
    assert changes.quarantined == 1 and len(changes.new_case_ids) == 5
    more = hall.ingest.process_now([InboundMessage(
        "cc/v1/event/suishoupai", event_payload(source_id="r-9"), clock.now)])
    assert len(more.new_case_ids) == 1
    with hall.ctx.db.read() as s:
        result = audit.verify(s)
    assert result.ok and result.entries == 6

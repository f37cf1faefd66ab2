"""The supervisor's view of rejected messages: real rejections through the real ingest writer,
paged and filtered in a real database, previewed safely whatever the bytes are."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from commandcenter.config import Settings
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.quarantine import (
    PAYLOAD_HEAD,
    list_quarantine,
    payload_preview,
    reason_name_zh,
)
from tests.conftest import FakeClock, event_payload

TOPIC = "cc/v1/event/suishoupai"


def _without(field: str) -> bytes:
    body = json.loads(event_payload(source_id="r-missing"))
    del body[field]
    return json.dumps(body, ensure_ascii=False).encode()


# (topic, payload, the reason code the writer must give it) — what halls actually receive.
BAD_MESSAGES: list[tuple[str, bytes, str]] = [
    (TOPIC, b'{"source": "suishoupai", "source_id": "r-9", "kind": "report",', "not_json"),
    (TOPIC, event_payload(source_id="r-lat", location={"lat": 1000, "lon": 120.87,
                                                       "crs": "wgs84"}), "bad_location"),
    (TOPIC, _without("source_id"), "missing_field"),
    (TOPIC, event_payload(source_id="r-big", description="很长的描述" * 20_480), "too_large"),
    ("cc/v1/event/cam-07", bytes(range(256)) * 2, "encoding"),
    ("cc/v1/weather/chongchuan", b'{"temp": 8.5}', "unknown_topic"),
    (TOPIC, event_payload(source="frigate", source_id="r-src"), "invalid_field"),
    ("cc/v1/unit/u-ghost/status",
     b'{"status": "accepted", "case_id": "CC-20261128-0001", "ts": "2026-11-28T17:01:00+08:00"}',
     "unknown_unit"),
    ("cc/v1/unit/u-1/location", b'{"lat": 32.03, "lon": 120.87, "ts": "2026-11-28T17:01:00+08:00"}',
     "bad_location"),
    (TOPIC, event_payload(source_id="r-kind", kind="rumour"), "invalid_field"),
    (TOPIC, b"", "not_json"),
    (TOPIC, "纯文本：北门有摊贩".encode(), "not_json"),
]


def feed_bad_messages(hall: Hall, clock: FakeClock,
                      messages: list[tuple[str, bytes, str]] = BAD_MESSAGES) -> None:
    """One message a minute, as they would arrive; the writer decides each reason code."""
    for topic, payload, _code in messages:
        hall.ingest.process_now([InboundMessage(topic, payload, clock.now)])
        clock.advance(minutes=1)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hall(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Hall]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    h = open_hall(Settings(db_url=url))
    h.ctx.clock = clock
    yield h
    h.close()


def test_newest_first_with_the_writers_reasons(hall: Hall, clock: FakeClock) -> None:
    feed_bad_messages(hall, clock)
    entries = list_quarantine(hall.ctx.db)
    assert [(e.source, e.reason_code) for e in entries] == [
        (topic, code) for topic, _payload, code in reversed(BAD_MESSAGES)]
    assert [e.received_at for e in entries] == sorted((e.received_at for e in entries),
                                                      reverse=True)
    assert all(e.received_at.utcoffset() is not None for e in entries)
    lat = next(e for e in entries if b'"r-lat"' in e.payload)
    assert "1000" in lat.reason and "location" in lat.reason
    missing = next(e for e in entries if e.reason_code == "missing_field")
    assert "source_id" in missing.reason


def test_paging_by_id_is_stable_while_messages_keep_arriving(hall: Hall,
                                                             clock: FakeClock) -> None:
    feed_bad_messages(hall, clock)
    first = list_quarantine(hall.ctx.db, limit=5)
    feed_bad_messages(hall, clock, BAD_MESSAGES[:2])  # arrive between the two pages
    second = list_quarantine(hall.ctx.db, limit=5, before_id=first[-1].id)
    rest = list_quarantine(hall.ctx.db, limit=100, before_id=second[-1].id)
    ids = [e.id for e in first + second + rest]
    assert len(ids) == len(BAD_MESSAGES) and len(set(ids)) == len(ids)
    assert ids == sorted(ids, reverse=True)
    assert list_quarantine(hall.ctx.db, before_id=min(ids)) == []


def test_filter_by_reason_code(hall: Hall, clock: FakeClock) -> None:
    feed_bad_messages(hall, clock)
    not_json = list_quarantine(hall.ctx.db, reason_code="not_json")
    assert len(not_json) == 3 and {e.reason_code for e in not_json} == {"not_json"}
    page = list_quarantine(hall.ctx.db, reason_code="bad_location", limit=1)
    older = list_quarantine(hall.ctx.db, reason_code="bad_location", before_id=page[0].id)
    assert [e.source for e in page + older] == ["cc/v1/unit/u-1/location", TOPIC]
    assert list_quarantine(hall.ctx.db, reason_code="internal_error") == []


def test_a_huge_payload_is_carried_as_its_head_with_its_true_size(hall: Hall,
                                                                  clock: FakeClock) -> None:
    feed_bad_messages(hall, clock)
    (big,) = list_quarantine(hall.ctx.db, reason_code="too_large")
    stored = BAD_MESSAGES[3][1]
    assert big.size == len(stored) > 300_000
    assert big.payload == stored[:PAYLOAD_HEAD] and not big.complete
    preview = payload_preview(big.payload, size=big.size)
    assert len(preview) < 5_000
    note, body = preview.split("\n", 1)
    # 4,096 bytes less a Chinese character the cut split (dropped, not shown as hex).
    assert re.fullmatch(f"（已截断：载荷共 {len(stored):,} 字节，以下只显示前 4,09[4-6] 字节）",
                        note)
    assert body.startswith('{"source": "suishoupai"') and body.endswith("\n…")
    (binary,) = list_quarantine(hall.ctx.db, reason_code="encoding")
    assert binary.payload == bytes(range(256)) * 2 and binary.complete and binary.size == 512


def test_json_is_pretty_printed() -> None:
    preview = payload_preview(event_payload())
    assert preview.splitlines()[:2] == ["{", '  "source": "suishoupai",']
    assert '"title": "民安花苑北门有流动摊贩占道经营"' in preview  # readable, not \\u escapes


def test_text_that_is_not_json_is_shown_as_it_is() -> None:
    assert payload_preview(b'{"source": "x", ') == '{"source": "x", '
    assert payload_preview("纯文本：北门有摊贩".encode()) == "纯文本：北门有摊贩"
    assert payload_preview(b"") == "（空载荷）"


def test_binary_is_a_hex_dump() -> None:
    preview = payload_preview(b"\xff\xfe\x00\x01GET /\x1b[0m")
    assert preview == ("00000000  ff fe 00 01 47 45 54 20 2f 1b 5b 30 6d" + " " * 11
                       + "|....GET /.[0m|")
    # Valid UTF-8 full of control characters is still binary: text would hide the bytes.
    assert payload_preview(b"\x00\x00\x00\x07").startswith("00000000  00 00 00 07")


def test_huge_payloads_are_truncated_with_a_note() -> None:
    big_json = json.dumps({"cells": list(range(100_000))}).encode()
    preview = payload_preview(big_json, limit=4096)
    note, body = preview.split("\n", 1)
    assert note == f"（已截断：载荷共 {len(big_json):,} 字节，以下只显示开头 4,096 个字符）"
    assert body.startswith('{\n  "cells": [\n    0,') and body.endswith("\n…")
    assert len(body) == 4096 + 2

    garbage = bytes(range(256)) * 1000
    dump = payload_preview(garbage, limit=4096)
    note, body = dump.split("\n", 1)
    assert note.endswith("以下只显示前 4,096 字节的十六进制）")
    assert body.count("\n") == 4096 // 16  # 256 dump lines, then the ellipsis
    assert body.splitlines()[-2].startswith("00000ff0  f0 f1")


def test_a_multibyte_character_cut_by_the_head_is_dropped_not_turned_into_hex() -> None:
    text = "摊贩占道经营" * 1000  # 3 bytes a character
    preview = payload_preview(text.encode()[:4097], limit=4096, size=len(text.encode()))
    note, shown = preview.split("\n", 1)
    assert shown == text[:1365] + "\n…" and "前 4,095 字节" in note


def test_reason_names() -> None:
    assert reason_name_zh("not_json") == "非JSON格式"
    assert reason_name_zh("something_new") == "something_new"

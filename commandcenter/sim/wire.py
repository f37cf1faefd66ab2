"""Encode what the simulated devices and officers send, exactly as DESIGN.md §4 specifies.

The simulator writes bytes on topics rather than domain objects so that its output goes through
the same decoder, validation and store as a real device's — the demo exercises the real path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from commandcenter.domain.event import SCHEMA
from commandcenter.sim.agenda import CST, Message

DEFAULT_PREFIX = "cc/v1"
DEMO_MEDIA = "https://demo.invalid"  # .invalid never resolves (RFC 6761): no real host is hit


def iso(at: datetime) -> str:
    return at.astimezone(CST).isoformat()


def dumps(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def stamp(at: datetime) -> str:
    """yyyymmddHHMMSS in CST, as HJ 212's DataTime and many platforms' ids use it."""
    return at.astimezone(CST).strftime("%Y%m%d%H%M%S")


class Wire:
    """Topics under one prefix, and the three payload shapes the simulator sends."""

    def __init__(self, prefix: str = DEFAULT_PREFIX) -> None:
        prefix = prefix.strip("/")
        if not prefix:
            raise ValueError("the topic prefix must not be empty")
        self.prefix = prefix

    def event(
        self,
        *,
        source: str,
        source_id: str,
        kind: str,
        at: datetime,
        lat: float,
        lon: float,
        crs: str = "wgs84",
        address: str | None = None,
        category: str | None = None,
        severity: str = "info",
        title: str = "",
        description: str = "",
        media: Sequence[str] = (),
        device: str | None = None,
        measurements: Mapping[str, Mapping[str, Any]] | None = None,
        reporter: str | None = None,
    ) -> Message:
        location: dict[str, Any] = {"lat": round(lat, 7), "lon": round(lon, 7), "crs": crs}
        if address:
            location["address"] = address
        payload = {
            "schema": SCHEMA,
            "source": source,
            "source_id": source_id,
            "kind": kind,
            "category": category,
            "severity": severity,
            "occurred_at": iso(at),
            "location": location,
            "title": title,
            "description": description,
            "media": list(media),
            "device": device,
            "measurements": {k: dict(v) for k, v in (measurements or {}).items()},
            "reporter": reporter,
        }
        return f"{self.prefix}/event/{source}", dumps(payload)

    def status(
        self,
        unit_id: str,
        status: str,
        at: datetime,
        *,
        case_id: str | None = None,
        note: str | None = None,
        media: Sequence[str] = (),
    ) -> Message:
        payload: dict[str, Any] = {"status": status}
        if case_id is not None:
            payload["case_id"] = case_id
        payload["ts"] = iso(at)
        if note:
            payload["note"] = note
        if media:
            payload["media"] = list(media)
        return f"{self.prefix}/unit/{unit_id}/status", dumps(payload)

    def location(
        self, unit_id: str, lat: float, lon: float, at: datetime, *, speed: float | None = None
    ) -> Message:
        payload: dict[str, Any] = {"lat": round(lat, 7), "lon": round(lon, 7), "crs": "wgs84",
                                   "ts": iso(at)}
        if speed is not None:
            payload["speed"] = round(speed, 1)  # metres per second, as WeChat's getLocation
        return f"{self.prefix}/unit/{unit_id}/location", dumps(payload)

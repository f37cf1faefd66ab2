"""Every inbound topic to its adapter; each message gives zero or more typed values.

`<prefix>/event/…` and `<prefix>/unit/…` (decode.py), `<prefix>/hj212/<MN>` (HJ 212 frames from
the gateway) and `<prefix>/hj212/_rejected` (frames the gateway refused), `frigate/events`,
`<prefix>/isapi/<camera>`, `<prefix>/speaker/<id>/ack` (DESIGN.md §4). A command frame or a
camera heartbeat legitimately yields nothing: it is acked, not quarantined.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime

from commandcenter.domain.errors import InvalidEvent
from commandcenter.domain.speaker import SpeakerAck, ack_from_json
from commandcenter.ingest.cameras.frigate import frigate_to_events
from commandcenter.ingest.cameras.isapi import isapi_to_events
from commandcenter.ingest.cameras.registry import CameraRegistry
from commandcenter.ingest.decode import (
    DEFAULT_MAX_PAYLOAD,
    Decoded,
    RejectedMessage,
    decode,
    load_json,
    rejection_for,
)
from commandcenter.ingest.hj212 import STRICT, Hj212Error, Mode, events_from_payload

FRIGATE_TOPIC = "frigate/events"
HJ212_REJECTED = "_rejected"

Routed = Decoded | SpeakerAck


@dataclass(slots=True)
class Router:
    prefix: str = "cc/v1"
    max_payload: int = DEFAULT_MAX_PAYLOAD
    cameras: CameraRegistry | None = None
    hj212_modes: dict[str, Mode] = field(default_factory=dict)

    def route(self, topic: str, payload: bytes, received_at: datetime) -> list[Routed]:
        if topic == FRIGATE_TOPIC:
            return list(frigate_to_events(payload, self._cameras(), received_at=received_at,
                                          max_payload=self.max_payload))
        parts = topic.split("/")
        base = self.prefix.split("/")
        rest = parts[len(base):] if parts[:len(base)] == base else []
        if len(rest) == 2 and rest[0] == "hj212" and rest[1]:
            return list(self._hj212(rest[1], payload, received_at))
        if len(rest) == 2 and rest[0] == "isapi" and rest[1]:
            return list(isapi_to_events(payload, rest[1], self._cameras(),
                                        received_at=received_at, max_payload=self.max_payload))
        if len(rest) == 3 and rest[0] == "speaker" and rest[1] and rest[2] == "ack":
            try:
                return [ack_from_json(rest[1], load_json(payload, self.max_payload))]
            except InvalidEvent as exc:
                raise rejection_for(exc) from None
        return [decode(topic, payload, prefix=self.prefix, max_payload=self.max_payload)]

    def _cameras(self) -> CameraRegistry:
        if self.cameras is None:
            raise RejectedMessage("unknown_device", "no camera registry is configured")
        return self.cameras

    def _hj212(self, mn: str, payload: bytes, received_at: datetime) -> list[Routed]:
        if mn == HJ212_REJECTED:
            raise _gateway_rejection(payload, self.max_payload)
        if len(payload) > self.max_payload:
            raise RejectedMessage("too_large", f"HJ 212 frame of {len(payload)} bytes")
        try:
            return list(events_from_payload(payload, topic_mn=mn, received_at=received_at,
                                            mode=self.hj212_modes.get(mn, STRICT)))
        except Hj212Error as exc:
            raise RejectedMessage(f"hj212_{exc.code}"[:32], str(exc)) from None


def _gateway_rejection(payload: bytes, max_payload: int) -> RejectedMessage:
    """The gateway refused a device's frame: quarantine the device's own bytes and reason."""
    data = load_json(payload, max_payload)
    if not isinstance(data, dict):
        return RejectedMessage("invalid_field", "gateway rejection report is not an object")
    try:
        raw = base64.b64decode(str(data.get("raw_b64", "")), validate=True)
    except (binascii.Error, ValueError):
        raw = payload
    code = str(data.get("code") or "hj212_rejected")
    reason = str(data.get("reason") or "rejected by the HJ 212 gateway")
    peer = data.get("peer")
    return RejectedMessage(f"hj212_{code}"[:32] if not code.startswith("hj212") else code[:32],
                           reason, raw=raw,
                           source=f"hj212 gateway, device {peer}" if peer else "hj212 gateway")


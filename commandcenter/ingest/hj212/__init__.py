"""HJ 212 (HJ 212-2017, HJ/T 212-2005): the restaurant oil-fume monitors' protocol.

`parse_frame` validates one frame, `build_reply` answers it, `frame_to_events` turns it into
readings, and `Hj212Gateway` is the TCP server that devices talk to.
"""

from __future__ import annotations

from commandcenter.ingest.hj212.codes import Hj212Version
from commandcenter.ingest.hj212.crc import crc16, crc16_hex
from commandcenter.ingest.hj212.envelope import encode_frame
from commandcenter.ingest.hj212.errors import Hj212Error
from commandcenter.ingest.hj212.events import (
    SiteInfo,
    events_from_payload,
    frame_to_events,
)
from commandcenter.ingest.hj212.frame import Hj212Frame, ParsedFrame, parse_frame
from commandcenter.ingest.hj212.gateway import (
    GatewayStats,
    Hj212Gateway,
    parse_listen,
    run_gateway,
)
from commandcenter.ingest.hj212.mode import STRICT, Deviation, Lenient, Mode, Strict, parse_mode
from commandcenter.ingest.hj212.reply import build_reply

__all__ = [
    "STRICT",
    "Deviation",
    "GatewayStats",
    "Hj212Error",
    "Hj212Frame",
    "Hj212Gateway",
    "Hj212Version",
    "Lenient",
    "Mode",
    "ParsedFrame",
    "SiteInfo",
    "Strict",
    "build_reply",
    "crc16",
    "crc16_hex",
    "encode_frame",
    "events_from_payload",
    "frame_to_events",
    "parse_frame",
    "parse_listen",
    "parse_mode",
    "run_gateway",
]

"""`commandcenter parse --format {json,hj212,frigate,isapi,open311} FILE…` (DESIGN.md §7).

One `cc.event/1` object per line on stdout; each rejected input as one `{file, error}` line on
stderr; exit 0 if everything parsed, 3 if anything was rejected. The same adapters as ingest.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EXIT_REJECTED = 3
FORMATS = ("json", "hj212", "frigate", "isapi", "open311")


def add_parse_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "parse", help="turn saved device/platform payloads into cc.event/1 JSON lines",
        description="Parse files in a device's or platform's own format and print one "
                    "cc.event/1 JSON object per line; rejected inputs go to stderr as "
                    "{file, error} lines (exit 3).")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--camera", help="camera id for --format isapi (the topic's last level)")
    p.add_argument("--mode", default="strict",
                   help="HJ 212 mode: strict, lenient or lenient:<deviation>,… (default strict)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=run_parse)
    return p


def _events(fmt: str, payload: bytes, args: argparse.Namespace, received_at: datetime,
            ) -> list[Any]:
    from commandcenter.domain.errors import InvalidEvent
    from commandcenter.domain.event import Event
    from commandcenter.ingest.decode import RejectedMessage, load_json, rejection_for

    if fmt == "json":
        data = load_json(payload, 1 << 20)
        items = data if isinstance(data, list) else [data]
        try:
            return [Event.from_json(item) for item in items]
        except InvalidEvent as exc:
            raise rejection_for(exc) from None
    if fmt == "hj212":
        from commandcenter.ingest.hj212 import Hj212Error, frame_to_events, parse_frame, parse_mode

        try:
            parsed = parse_frame(payload.strip() + b"\r\n", mode=parse_mode(args.mode),
                                 received_at=received_at)
            return list(frame_to_events(parsed.frame, received_at=received_at, site=None))
        except Hj212Error as exc:
            raise RejectedMessage(exc.code, str(exc)) from None
    if fmt in ("frigate", "isapi"):
        from commandcenter.ingest.cameras.frigate import frigate_to_events
        from commandcenter.ingest.cameras.isapi import isapi_to_events
        from commandcenter.ingest.cameras.registry import load_camera_registry

        registry = load_camera_registry()
        if fmt == "frigate":
            return list(frigate_to_events(payload, registry, received_at=received_at))
        if not args.camera:
            raise RejectedMessage("invalid_field", "--camera is required for --format isapi")
        return list(isapi_to_events(payload, args.camera, registry, received_at=received_at))
    from commandcenter.ingest.open311.convert import open311_to_events

    return list(open311_to_events(payload, received_at=received_at))


def run_parse(args: argparse.Namespace) -> int:
    from commandcenter.domain.errors import KnownError
    from commandcenter.ingest.decode import RejectedMessage

    status = 0
    received_at = datetime.now(UTC)
    for name in args.files:
        try:
            payload = Path(name).read_bytes()
            events = _events(args.format, payload, args, received_at)
        except (OSError, RejectedMessage, KnownError) as exc:
            error = exc.reason if isinstance(exc, RejectedMessage) else str(exc)
            print(json.dumps({"file": name, "error": error}, ensure_ascii=False),
                  file=sys.stderr)
            status = EXIT_REJECTED
            continue
        for event in events:
            print(json.dumps(event.to_json(), ensure_ascii=False))
    return status

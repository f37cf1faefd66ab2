"""Shared by the camera adapter tests: sample files, registries and the round-trip check."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from commandcenter.domain.event import Event
from commandcenter.ingest.cameras.registry import CameraRegistry, load_camera_registry

SAMPLES = Path(__file__).parent / "samples"
RECEIVED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def shipped_registry() -> CameraRegistry:
    return load_camera_registry()


def docs_registry() -> CameraRegistry:
    return load_camera_registry(SAMPLES / "cameras_frigate_docs.toml")


def round_trips(event: Event) -> Event:
    """Every adapter's event must survive the wire: what the writer will see is what we made."""
    again = Event.from_json(event.to_json())
    assert again.to_json() == event.to_json()
    return again

"""The hall's camera registry (`resources/cameras.toml`): what each camera is, where, and what its
detections mean.

Why a registry: a camera message carries only a device name and a detector's vocabulary (Frigate
zones and labels, ISAPI event types). The hall decides once, in one file, that "a stationary
person in the `sidewalk` zone of 南大街北口" is 店外经营 (0502) at that corner — adapters never
guess a category or a position.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

from commandcenter.domain.catalog import Catalog
from commandcenter.domain.errors import InvalidEvent, KnownError
from commandcenter.domain.event import Location, Severity
from commandcenter.domain.geo import DATUMS, to_wgs84
from commandcenter.resources import read_toml

DEFAULT = "default"  # a rule's category meaning "this camera's own default category"
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")
_FRIGATE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what Frigate allows as a camera name


class CameraRegistryError(KnownError, ValueError):
    """cameras.toml is unusable; the message names the file, the entry and the problem."""


@dataclass(frozen=True, slots=True)
class ZoneRule:
    """One "this detection means that category" line.

    A Frigate rule matches on `zone`, `labels` and `stationary`; an ISAPI rule on `event_type`
    (compared case-insensitively, stored lower case) and optionally the detection `region` id.
    """

    category: str  # a catalog code, or DEFAULT
    zone: str | None = None
    labels: frozenset[str] = frozenset()
    stationary: bool | None = None
    event_type: str | None = None
    region: str | None = None
    severity: Severity | None = None

    @property
    def is_isapi(self) -> bool:
        return self.event_type is not None

    @property
    def key(self) -> str:
        """A short stable name for the rule, used to tell apart events of one detection."""
        if self.event_type is not None:
            return self.event_type + (f"-r{self.region}" if self.region else "")
        parts = [self.zone or "any", *sorted(self.labels)]
        if self.stationary is not None:
            parts.append("stationary" if self.stationary else "moving")
        return "-".join(parts)


@dataclass(frozen=True, slots=True)
class RegisteredCamera:
    id: str  # the hall's device id (GB/T 28181 style), `device` on every event it produces
    name: str
    location: Location  # WGS-84, converted at load when the file gives another datum
    category: str  # what the camera watches for when a rule says DEFAULT or nothing matches
    rules: tuple[ZoneRule, ...] = ()
    frigate_name: str | None = None  # Frigate's camera name, when it is not the id
    severity: Severity | None = None

    def category_of(self, rule: ZoneRule | None) -> str:
        if rule is None or rule.category == DEFAULT:
            return self.category
        return rule.category


class CameraRegistry:
    def __init__(
        self,
        cameras: Iterable[RegisteredCamera],
        *,
        isapi_event_types: Mapping[str, str] | None = None,
        severities: Mapping[str, Severity] | None = None,
        default_severity: Severity = Severity.MINOR,
        utc_offset: timezone | None = None,
        frigate_base_url: str | None = None,
    ) -> None:
        self._by_id: dict[str, RegisteredCamera] = {}
        self._by_frigate: dict[str, RegisteredCamera] = {}
        for camera in cameras:
            if camera.id in self._by_id:
                raise CameraRegistryError(f"camera id {camera.id!r} is used twice")
            self._by_id[camera.id] = camera
        for camera in self._by_id.values():
            for name in {camera.id, camera.frigate_name or camera.id}:
                other = self._by_frigate.get(name)
                if other is not None and other is not camera:
                    raise CameraRegistryError(f"Frigate camera name {name!r} names both "
                                              f"{other.id} and {camera.id}")
                self._by_frigate[name] = camera
        self.isapi_event_types = {k.lower(): v for k, v in (isapi_event_types or {}).items()}
        self.severities = dict(severities or {})
        self.default_severity = default_severity
        self.utc_offset = utc_offset
        self.frigate_base_url = frigate_base_url.rstrip("/") if frigate_base_url else None

    def get(self, camera_id: str) -> RegisteredCamera | None:
        return self._by_id.get(camera_id)

    def for_frigate(self, name: str) -> RegisteredCamera | None:
        """Frigate names cameras by its config key: the hall's id, or the `frigate_name` alias."""
        return self._by_frigate.get(name)

    def severity(self, camera: RegisteredCamera, rule: ZoneRule | None) -> Severity:
        """The rule's severity, else the camera's, else the category's, else the default."""
        if rule is not None and rule.severity is not None:
            return rule.severity
        if camera.severity is not None:
            return camera.severity
        return self.severities.get(camera.category_of(rule), self.default_severity)

    def isapi_rule(self, camera: RegisteredCamera, event_type: str,
                   regions: Iterable[str] = ()) -> ZoneRule | None:
        """The camera's own rule for this event type (and region) first, then the hall-wide
        event-type table; None when the hall does not care about this event type."""
        wanted = event_type.lower()
        region_ids = set(regions)
        for rule in camera.rules:
            if rule.event_type == wanted and (rule.region is None or rule.region in region_ids):
                return rule
        category = self.isapi_event_types.get(wanted)
        return ZoneRule(category, event_type=wanted) if category is not None else None

    def __iter__(self) -> Iterator[RegisteredCamera]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)


def load_camera_registry(path: str | Path | None = None, *,
                         catalog: Catalog | None = None) -> CameraRegistry:
    """Read cameras.toml (the shipped one by default) and check every entry before any is used.

    Category codes are checked against the catalog so a typo stops the start instead of filing
    every detection of that camera under a code nobody can triage.
    """
    if path is None:
        from commandcenter.resources import resource_path

        path = resource_path("cameras.toml")
    if catalog is None:
        from commandcenter.domain.catalog import default_catalog

        catalog = default_catalog()
    path = Path(path)
    data = read_toml(path, CameraRegistryError)
    return _Builder(str(path), catalog).build(data)


class _Builder:
    def __init__(self, where: str, catalog: Catalog) -> None:
        self.where = where
        self.catalog = catalog

    def fail(self, label: str, problem: str) -> CameraRegistryError:
        return CameraRegistryError(f"{self.where}: {label}: {problem}")

    def build(self, data: Mapping[str, Any]) -> CameraRegistry:
        if data.get("version", 1) != 1:
            raise self.fail("file", f"version {data.get('version')!r} is not supported "
                                    "(this program reads version 1)")
        defaults = self.table(data, "defaults", "[defaults]")
        crs = self.text(defaults, "crs", "[defaults]", default="wgs84")
        if crs not in DATUMS:
            raise self.fail("[defaults]", f"crs {crs!r} is not one of {', '.join(DATUMS)}")
        offset = defaults.get("utc_offset")
        utc_offset = self.offset(offset, "[defaults]") if offset is not None else None
        default_severity = self.severity_value(defaults.get("severity", "minor"), "[defaults]")
        severities = {self.category(code, "[severity]", allow_default=False):
                      self.severity_value(value, f"[severity] {code}")
                      for code, value in self.table(data, "severity", "[severity]").items()}
        frigate = self.table(data, "frigate", "[frigate]")
        base_url = frigate.get("base_url")
        if base_url is not None and (not isinstance(base_url, str)
                                     or not re.match(r"^https?://[^\s/]+", base_url)):
            raise self.fail("[frigate]", "base_url must be an http(s) URL such as "
                                         "http://frigate.local:5000")
        isapi = self.table(data, "isapi", "[isapi]")
        event_types = {name: self.category(code, f"[isapi.event_types] {name}")
                       for name, code in self.table(isapi, "event_types",
                                                    "[isapi.event_types]").items()}
        entries = data.get("camera")
        if not isinstance(entries, list) or not entries:
            raise self.fail("file", "no [[camera]] entries")
        cameras = [self.camera(entry, index, crs) for index, entry in enumerate(entries)]
        try:
            return CameraRegistry(cameras, isapi_event_types=event_types, severities=severities,
                                  default_severity=default_severity, utc_offset=utc_offset,
                                  frigate_base_url=base_url or None)
        except CameraRegistryError as exc:
            raise self.fail("[[camera]]", str(exc)) from None

    def camera(self, entry: Any, index: int, default_crs: str) -> RegisteredCamera:
        if not isinstance(entry, Mapping):
            raise self.fail(f"camera {index}", "is not a table")
        label = f"camera {index} ({entry.get('id', '?')})"
        camera_id = self.text(entry, "id", label)
        if len(camera_id) > 64:
            raise self.fail(label, "id is longer than 64 characters")
        lat, lon = self.number(entry, "lat", label), self.number(entry, "lon", label)
        crs = self.text(entry, "crs", label, default=default_crs)
        if crs not in DATUMS:
            raise self.fail(label, f"crs {crs!r} is not one of {', '.join(DATUMS)}")
        address = entry.get("address")
        if address is not None and not isinstance(address, str):
            raise self.fail(label, "address must be text")
        try:
            Location(lat, lon)  # range check before the datum arithmetic
            wlat, wlon = to_wgs84(crs, lat, lon)
            location = Location(wlat, wlon, address or None)
        except InvalidEvent as exc:
            raise self.fail(label, exc.reason) from None
        frigate_name = entry.get("frigate_name")
        if frigate_name is not None and (not isinstance(frigate_name, str)
                                         or not _FRIGATE_NAME.match(frigate_name)):
            raise self.fail(label, "frigate_name must be Frigate's camera name "
                                   "(letters, digits, _ and -)")
        rules = entry.get("rule", [])
        if not isinstance(rules, list):
            raise self.fail(label, "rule must be an array of tables [[camera.rule]]")
        severity = entry.get("severity")
        return RegisteredCamera(
            id=camera_id,
            name=self.text(entry, "name", label),
            location=location,
            category=self.category(entry.get("category"), label, allow_default=False),
            rules=tuple(self.rule(rule, f"{label} rule {i}") for i, rule in enumerate(rules)),
            frigate_name=frigate_name,
            severity=self.severity_value(severity, label) if severity is not None else None,
        )

    def rule(self, entry: Any, label: str) -> ZoneRule:
        if not isinstance(entry, Mapping):
            raise self.fail(label, "is not a table")
        known = {"category", "zone", "label", "labels", "stationary", "event_type", "region",
                 "severity"}
        unknown = sorted(set(entry) - known)
        if unknown:  # a misspelt condition would silently widen the rule
            raise self.fail(label, f"unknown key(s) {', '.join(unknown)}")
        event_type = entry.get("event_type")
        frigate_keys = {"zone", "label", "labels", "stationary"} & set(entry)
        if event_type is not None and frigate_keys:
            raise self.fail(label, "a rule is either for ISAPI (event_type, region) or for "
                                   f"Frigate (zone, label, stationary), not both: "
                                   f"{', '.join(sorted(frigate_keys))}")
        if event_type is None and "region" in entry:
            raise self.fail(label, "region needs event_type")
        if event_type is None and not frigate_keys:
            raise self.fail(label, "needs a condition: zone/label/stationary or event_type")
        labels = [self.text(entry, "label", label)] if "label" in entry else []
        extra = entry.get("labels", [])
        if not isinstance(extra, list) or not all(isinstance(v, str) and v for v in extra):
            raise self.fail(label, "labels must be a list of text")
        stationary = entry.get("stationary")
        if stationary is not None and not isinstance(stationary, bool):
            raise self.fail(label, "stationary must be true or false")
        region = entry.get("region")
        if region is not None and (isinstance(region, bool)
                                   or not isinstance(region, str | int)):
            raise self.fail(label, "region must be a region id (text or number)")
        severity = entry.get("severity")
        return ZoneRule(
            category=self.category(entry.get("category"), label),
            zone=self.text(entry, "zone", label) if "zone" in entry else None,
            labels=frozenset(labels + list(extra)),
            stationary=stationary,
            event_type=self.text(entry, "event_type", label).lower() if event_type else None,
            region=str(region) if region is not None else None,
            severity=self.severity_value(severity, label) if severity is not None else None,
        )

    def category(self, value: Any, label: str, *, allow_default: bool = True) -> str:
        if allow_default and value == DEFAULT:
            return DEFAULT
        if not isinstance(value, str) or not value:
            raise self.fail(label, "category is missing or not text")
        if self.catalog.get(value) is None:
            raise self.fail(label, f"category {value!r} is not in the catalog")
        return value

    def severity_value(self, value: Any, label: str) -> Severity:
        try:
            return Severity(value)
        except ValueError:
            raise self.fail(label, f"severity {value!r} is not one of "
                                   f"{', '.join(s.value for s in Severity)}") from None

    def offset(self, value: Any, label: str) -> timezone:
        match = _OFFSET.match(value) if isinstance(value, str) else None
        if match is None or int(match[2]) > 14 or int(match[3]) > 59:
            raise self.fail(label, f"utc_offset {value!r} must look like +08:00")
        sign = -1 if match[1] == "-" else 1
        return timezone(sign * timedelta(hours=int(match[2]), minutes=int(match[3])))

    def table(self, data: Mapping[str, Any], name: str, label: str) -> Mapping[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, Mapping):
            raise self.fail(label, "must be a table")
        return value

    def text(self, entry: Mapping[str, Any], name: str, label: str, *,
             default: str | None = None) -> str:
        value = entry.get(name, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(label, f"{name} is missing or not text")
        return value.strip()

    def number(self, entry: Mapping[str, Any], name: str, label: str) -> float:
        value = entry.get(name)
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value)):
            raise self.fail(label, f"{name} is missing or not a number")
        return float(value)

"""From a validated frame to `cc.event/1` readings the hall's alarm logic consumes.

One `reading` per data frame: real-time (2011, the `Rtd` values), minute/hourly/daily (2051,
2061, 2031, the `Avg` values) and equipment run state (2021). Other commands (answers, settings)
carry no reading and give no event. Alarms are not raised here: the alarm service applies the
site's limit with a hold time and hysteresis (DESIGN.md §3); a reading only marks itself
`warning` so the console can colour it.

Equipment state: any group with an `RS` item (`SB1-RS=1`, in 2021 frames or inline in 2011 ones)
becomes a measurement with unit "state", value = RS and flag = the state's name (0 off,
1 running, 2 calibrating, 3 maintenance, 4 alarm, 5 backflush). HJ 212 numbers equipment
(SB1…SBn) without saying what it is; by this hall's convention SB1 is the exhaust fan (风机) and
SB2 the purifier (净化器), keyed "fan" and "purifier"; other equipment is keyed `<code>-RS`.
Pass `roles` to change the assignment for a deployment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commandcenter.domain.alarm import GB_18483_LIMIT
from commandcenter.domain.event import MAX_TEXT, Event, EventKind, Location, Severity
from commandcenter.domain.site import Site
from commandcenter.ingest.hj212.codes import NMHC, OIL_FUME, PARTICULATES
from commandcenter.ingest.hj212.errors import Hj212Error
from commandcenter.ingest.hj212.frame import Hj212Frame, parse_frame
from commandcenter.ingest.hj212.mode import STRICT, Mode
from commandcenter.ingest.hj212.timefmt import CHINA, format_stamp, parse_stamp

SOURCE = "hj212"
CONCENTRATION_UNIT = "mg/m3"
STATE_UNIT = "state"
UNITS = {OIL_FUME: CONCENTRATION_UNIT, PARTICULATES: CONCENTRATION_UNIT, NMHC: CONCENTRATION_UNIT}
VALUE_KEY = {"2011": "Rtd", "2051": "Avg", "2061": "Avg", "2031": "Avg"}
STATE_COMMAND = "2021"
RUN_STATES = {0: "off", 1: "running", 2: "calibrating", 3: "maintenance", 4: "alarm",
              5: "backflush"}
EQUIPMENT_ROLES: Mapping[str, str] = {"SB1": "fan", "SB2": "purifier"}

_PERIOD_ZH = {"2011": "实时数据", "2051": "分钟数据", "2061": "小时数据", "2031": "日数据",
              "2021": "设备运行状态"}
_ROLE_ZH = {"fan": "风机", "purifier": "净化器"}
_STATE_ZH = {"off": "停止", "running": "运行", "calibrating": "校准", "maintenance": "维护",
             "alarm": "报警", "backflush": "反吹", "unknown": "状态未知"}
_NAME_LIMIT = 80


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What a reading needs from the site registry: where the monitor is and its limit."""

    name: str
    lat: float | None
    lon: float | None
    limit: float = GB_18483_LIMIT  # mg/m³ oil fume

    @classmethod
    def from_site(cls, site: Site) -> SiteInfo:
        return cls(site.name, site.lat, site.lon, site.limit)


def frame_to_events(frame: Hj212Frame, *, received_at: datetime, site: SiteInfo | None,
                    roles: Mapping[str, str] = EQUIPMENT_ROLES) -> list[Event]:
    """The readings in one frame: one event for a data or state frame, none otherwise."""
    value_key = VALUE_KEY.get(frame.cn)
    if value_key is None and frame.cn != STATE_COMMAND:
        return []
    measurements: dict[str, dict[str, Any]] = {}
    if value_key is not None:
        for code, group in frame.data.items():
            value = group.get(value_key)
            if isinstance(value, float):
                flag = group.get("Flag")
                measurements[code] = {"value": value, "unit": UNITS.get(code),
                                      "flag": flag if isinstance(flag, str) else None}
    states: dict[str, str] = {}
    for code, group in frame.data.items():
        state = group.get("RS")
        if isinstance(state, float):
            key = roles.get(code, f"{code}-RS")
            states[key] = RUN_STATES.get(int(state), "unknown")
            measurements[key] = {"value": state, "unit": STATE_UNIT, "flag": states[key]}
    at = _occurred_at(frame, received_at)
    name = (site.name if site else frame.mn)[:_NAME_LIMIT]
    oil = measurements.get(OIL_FUME, {}).get("value")
    limit = site.limit if site else GB_18483_LIMIT
    over = isinstance(oil, float) and oil > limit
    bypassed = states.get("fan") == "running" and states.get("purifier") == "off"
    title = (f"{name} 油烟 {oil:.2f} mg/m³" if isinstance(oil, float)
             else f"{name} {_PERIOD_ZH[frame.cn]}")
    return [Event(
        source=SOURCE,
        source_id=f"{frame.mn}-{frame.cn}-{_stamp(frame, received_at)}",
        kind=EventKind.READING,
        occurred_at=at,
        severity=Severity.WARNING if over or bypassed else Severity.INFO,
        location=(Location(site.lat, site.lon, site.name[:200])
                  if site and site.lat is not None and site.lon is not None else None),
        title=title,
        description=_description(frame, oil, limit, states, bypassed),
        device=frame.mn,
        measurements=measurements,
        raw=frame.raw.decode("ascii"),
    )]


def events_from_payload(payload: bytes, *, topic_mn: str, received_at: datetime,
                        mode: Mode = STRICT, site: SiteInfo | None = None) -> list[Event]:
    """The ingest's entry point for `<prefix>/hj212/<MN>`: re-check the frame the gateway
    published and make sure it is filed under the device that sent it."""
    frame = parse_frame(payload, mode=mode, received_at=received_at).frame
    if frame.mn != topic_mn:
        raise Hj212Error("MN", topic_mn, frame.mn,
                         message=f"frame's MN {frame.mn} does not match the topic's {topic_mn}")
    return frame_to_events(frame, received_at=received_at, site=site)


def _occurred_at(frame: Hj212Frame, received_at: datetime) -> datetime:
    if frame.data_time is not None:
        return frame.data_time
    if frame.qn is not None:
        return parse_stamp(frame.qn, "QN", millis=True)
    return received_at.astimezone(CHINA)


def _stamp(frame: Hj212Frame, received_at: datetime) -> str:
    """DataTime identifies a reading (a resent frame repeats it); QN or arrival otherwise."""
    if frame.data_time is not None:
        return format_stamp(frame.data_time)
    return frame.qn or format_stamp(received_at)


def _description(frame: Hj212Frame, oil: object, limit: float, states: Mapping[str, str],
                 bypassed: bool) -> str:
    parts = [f"HJ 212 {_PERIOD_ZH[frame.cn]}（MN {frame.mn}）"]
    if isinstance(oil, float):
        parts.append(f"油烟浓度 {oil:.2f} mg/m³，限值 {limit:g} mg/m³"
                     + ("，超标" if oil > limit else ""))
    for key, state in states.items():
        parts.append(f"{_ROLE_ZH.get(key, key)} {_STATE_ZH[state]}")
    if bypassed:
        parts.append("风机运行而净化器停止：油烟未经净化直排")
    return "；".join(parts)[:MAX_TEXT]  # a frame may list hundreds of SBn

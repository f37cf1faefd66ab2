"""One HJ 212 frame, parsed and checked field by field (HJ 212-2017 and HJ/T 212-2005).

The data segment is `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;]CP=&&…&&`. HJ/T 212-2005
frames may omit QN and Flag; a 2017 frame says so in Flag's version bits and must carry both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from commandcenter.ingest.hj212.codes import (
    ANSWER_COMMANDS,
    COMMANDS,
    FLAG_REPLY,
    FLAG_SPLIT,
    VERSION_BITS,
    VERSION_SHIFT,
    Hj212Version,
)
from commandcenter.ingest.hj212.cp import DataValue, parse_data_area
from commandcenter.ingest.hj212.envelope import open_envelope
from commandcenter.ingest.hj212.errors import Hj212Error, show
from commandcenter.ingest.hj212.mode import STRICT, Deviation, Mode, Tally
from commandcenter.ingest.hj212.timefmt import CHINA, parse_stamp

HEADER_FIELDS = ("QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO")
CP_OPEN = "CP=&&"
CP_CLOSE = "&&"
CLOCK_RESET_BEFORE = 2001  # RTCs that lost power restart at 2000-01-01 (or 1970)

# Syntax per field (HJ 212-2017 field table: ST ≤ 5, CN ≤ 7, PW 6, MN ≤ 24 characters).
# MN also names an MQTT topic level: letters, digits, '-' and '_' only, and never a leading
# '_', which the gateway keeps for its own topics (`_rejected`).
_SYNTAX = {
    "ST": (re.compile(r"[0-9]{1,5}"), "1–5 digits"),
    "CN": (re.compile(r"[0-9]{1,7}"), "1–7 digits"),
    "PW": (re.compile(r"[0-9A-Za-z]{1,6}"), "1–6 letters or digits"),
    "MN": (re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,23}"),
           "1–24 letters, digits, '-' or '_' (not starting with '_')"),
    "Flag": (re.compile(r"[0-9]{1,3}"), "a number 0–255"),
    "PNUM": (re.compile(r"[0-9]{1,4}"), "1–4 digits"),
    "PNO": (re.compile(r"[0-9]{1,4}"), "1–4 digits"),
}


@dataclass(frozen=True, slots=True)
class Hj212Frame:
    """A validated frame. `data` maps a pollutant/equipment code to its items
    (`{"a34041": {"Rtd": 1.23, "Flag": "N"}}`); `cp` holds the plain fields (`DataTime`…)."""

    version: Hj212Version
    qn: str | None
    st: str
    cn: str
    pw: str
    mn: str
    flag: int | None
    pnum: int | None
    pno: int | None
    cp: Mapping[str, str]
    data: Mapping[str, Mapping[str, DataValue]]
    data_time: datetime | None  # China time; the receive time when lenient replaced it
    raw: bytes

    @property
    def reply_requested(self) -> bool:
        """Flag bit A is set and the frame is not itself an answer (answers are not answered)."""
        return bool((self.flag or 0) & FLAG_REPLY) and self.cn not in ANSWER_COMMANDS

    @property
    def known_command(self) -> bool:
        return self.cn in COMMANDS


@dataclass(frozen=True, slots=True)
class ParsedFrame:
    frame: Hj212Frame
    deviations: Mapping[Deviation, int]  # what lenient mode accepted, and how often
    notes: tuple[str, ...]  # let through but worth a log line: unknown command, unknown key


def parse_frame(raw: bytes, *, mode: Mode = STRICT,
                received_at: datetime | None = None) -> ParsedFrame:
    """Check one complete frame (`##` … CRLF) or raise `Hj212Error` saying what is wrong.

    `received_at` stands in for a reset device clock when the mode allows it (default: now).
    """
    tally = Tally(mode)
    segment = open_envelope(raw, tally).decode("ascii")
    header, inner = _split_cp(segment)
    fields = _header_fields(header)
    flag = int(fields["Flag"]) if "Flag" in fields else None
    version = _version(flag)
    for name in ("ST", "CN", "PW", "MN") + (("QN", "Flag") if version is Hj212Version.V2017
                                             else ()):
        if name not in fields:
            raise Hj212Error(name, f"a {name} field", "none",
                             message=f"{name} is missing ({version} requires it)")
    qn = fields.get("QN")
    if qn is not None:
        parse_stamp(qn, "QN", millis=True)
    pnum, pno = _packets(fields, flag)
    area = parse_data_area(inner, version, tally)
    notes = list(area.notes)
    if fields["CN"] not in COMMANDS:
        notes.insert(0, f"command code CN={fields['CN']} is not one the hall interprets")
    frame = Hj212Frame(
        version=version, qn=qn, st=fields["ST"], cn=fields["CN"], pw=fields["PW"],
        mn=fields["MN"], flag=flag, pnum=pnum, pno=pno, cp=area.fields, data=area.data,
        data_time=_data_time(area.fields.get("DataTime"), tally, received_at), raw=raw)
    return ParsedFrame(frame, dict(tally.counts), tuple(notes))


def _split_cp(segment: str) -> tuple[str, str]:
    """Cut the segment into the header fields and the data area between `CP=&&` and `&&`.

    Header values may not contain '&', so the first `CP=&&` is the data area's start.
    """
    at = segment.find(CP_OPEN)
    if at < 0:
        raise Hj212Error("CP", "a CP=&&…&& data area", "none",
                         message="no CP=&&…&& data area in the data segment")
    if at > 0 and segment[at - 1] != ";":
        raise Hj212Error("CP", "';' before CP=", show(segment[max(0, at - 10):at + 5]),
                         message="CP= must follow the other fields after a ';'")
    if len(segment) < at + len(CP_OPEN) + len(CP_CLOSE) or not segment.endswith(CP_CLOSE):
        raise Hj212Error("CP", "the data area to close with &&", show(segment[-10:]),
                         message="the CP data area does not close with && at the end of the "
                                 "data segment")
    inner = segment[at + len(CP_OPEN):-len(CP_CLOSE)]
    if "&" in inner:
        raise Hj212Error("CP", "no '&' inside the data area", show(inner),
                         message="CP: '&' inside the data area (only && delimits it)")
    return segment[:max(0, at - 1)], inner


def _header_fields(header: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    if not header:
        return fields
    for part in header.split(";"):
        name, sep, value = part.partition("=")
        if not sep:
            raise Hj212Error("header", "name=value", show(part),
                             message=f"field {show(part)} is not name=value")
        if name not in HEADER_FIELDS:
            raise Hj212Error("header", f"one of {', '.join(HEADER_FIELDS)}", show(name),
                             message=f"unknown field {show(name)} before CP")
        if name in fields:
            raise Hj212Error(name, "the field once", "twice", message=f"{name} appears twice")
        if name in _SYNTAX:
            pattern, expected = _SYNTAX[name]
            if not pattern.fullmatch(value):
                raise Hj212Error(name, expected, show(value),
                                 message=f"{name}={show(value)}: expected {expected}")
        fields[name] = value
    return fields


def _version(flag: int | None) -> Hj212Version:
    if flag is None:
        return Hj212Version.V2005
    if flag > 255:
        raise Hj212Error("Flag", "a number 0–255", str(flag), message=f"Flag={flag} is over 255")
    bits = flag >> VERSION_SHIFT
    if bits not in VERSION_BITS:
        raise Hj212Error("Flag", "version bits 000000 (2005) or 000001 (2017)", f"{bits:06b}",
                         message=f"Flag={flag} names protocol version bits {bits:06b}; known: "
                                 f"000000 (HJ/T 212-2005), 000001 (HJ 212-2017)")
    return VERSION_BITS[bits]


def _packets(fields: Mapping[str, str], flag: int | None) -> tuple[int | None, int | None]:
    """PNUM/PNO are present exactly when Flag's D bit says the message was split."""
    split = bool((flag or 0) & FLAG_SPLIT)
    present = [name for name in ("PNUM", "PNO") if name in fields]
    if not split:
        if present:
            raise Hj212Error(present[0], "no packet numbers (Flag bit D is 0)", "present",
                             message=f"{present[0]} is present but Flag bit D (split) is 0")
        return None, None
    if len(present) < 2:
        raise Hj212Error("PNUM", "PNUM and PNO", ", ".join(present) or "neither",
                         message="Flag bit D (split) is set but PNUM and PNO are not both given")
    pnum, pno = int(fields["PNUM"]), int(fields["PNO"])
    if not 1 <= pno <= pnum:
        raise Hj212Error("PNO", f"1–{pnum}", str(pno),
                         message=f"packet PNO={pno} is outside 1–PNUM ({pnum})")
    return pnum, pno


def _data_time(text: str | None, tally: Tally, received_at: datetime | None) -> datetime | None:
    if text is None:
        return None
    at = parse_stamp(text, "DataTime", millis=False)
    if at.year >= CLOCK_RESET_BEFORE:
        return at
    if not tally.allow(Deviation.CLOCK_RESET):
        raise Hj212Error("DataTime", "the time of the measurement", text,
                         message=f"DataTime {text} is in {at.year}: the device's clock was "
                                 f"reset", deviation=Deviation.CLOCK_RESET)
    received = received_at or datetime.now(UTC)
    return received.astimezone(CHINA).replace(microsecond=0)

"""The frame's envelope: `##`, 4-digit length, data segment, CRC, CRLF — opened and sealed.

Layout per HJ 212-2017's packet structure (通讯包结构, unchanged from HJ/T 212-2005): `##` +
data-segment length as 4 decimal digits + data segment (0–1024 printable ASCII bytes) + CRC16
of the data segment as 4 hex digits + `\\r\\n`.
"""

from __future__ import annotations

import re

from commandcenter.ingest.hj212.crc import crc16_hex
from commandcenter.ingest.hj212.errors import Hj212Error, show
from commandcenter.ingest.hj212.mode import Deviation, Tally

HEADER = b"##"
TERMINATOR = b"\r\n"
MAX_SEGMENT = 1024  # HJ 212-2017: the data segment holds at most 1024 bytes
MAX_DECLARABLE = 9999  # what a 4-digit length field can say: the lenient ceiling
MAX_RAW = len(HEADER) + 4 + MAX_DECLARABLE + 4 + len(TERMINATOR)

_LENGTH = re.compile(rb"[0-9]{1,4}")
_HEX = re.compile(rb"[0-9A-Fa-f]{4}")
_NOT_PRINTABLE = re.compile(rb"[^\x20-\x7e]")


def encode_frame(segment: str | bytes) -> bytes:
    """Seal a data segment: what the hall sends (replies) and what tests sign frames with."""
    data = segment.encode("ascii") if isinstance(segment, str) else segment
    return b"%s%04d%s%s%s" % (HEADER, len(data), data, crc16_hex(data).encode(), TERMINATOR)


def open_envelope(raw: bytes, tally: Tally) -> bytes:
    """Check the envelope and return the data segment (guaranteed printable ASCII).

    The length is checked before the CRC: a dropped byte then reads as "truncated", which says
    more than a CRC mismatch would.
    """
    if len(raw) > MAX_RAW:
        raise Hj212Error("frame", f"at most {MAX_RAW} bytes", f"{len(raw)} bytes")
    if not raw.startswith(HEADER):
        raise Hj212Error("header", "'##'", show(raw[:2]),
                         message=f"frame does not start with ## (starts with {show(raw[:2])})")
    if not raw.endswith(TERMINATOR):
        raise Hj212Error("terminator", "CRLF", show(raw[-2:]),
                         message=f"frame does not end with CRLF (ends with {show(raw[-2:])})")
    length = _LENGTH.match(raw, len(HEADER))
    if length is None:
        raise Hj212Error("length", "4 decimal digits", show(raw[2:6]),
                         message=f"no length field after ## (found {show(raw[2:6])})")
    digits = length.group().decode()
    if len(digits) < 4 and not tally.allow(Deviation.SHORT_LENGTH_FIELD):
        raise Hj212Error("length", "4 zero-padded digits", digits,
                         message=f"length field {digits} has {len(digits)} digits, expected 4",
                         deviation=Deviation.SHORT_LENGTH_FIELD)
    body = raw[length.end():-len(TERMINATOR)]
    if len(body) < 4:
        raise Hj212Error("CRC", "4 hex digits before CRLF", show(body),
                         message="frame too short to hold a CRC")
    segment, crc = body[:-4], body[-4:]
    if len(segment) != int(digits):
        raise Hj212Error("length", str(len(segment)), digits,
                         message=f"length field says {digits} but the data segment is "
                                 f"{len(segment)} bytes")
    if len(segment) > MAX_SEGMENT and not tally.allow(Deviation.OVERLONG_SEGMENT):
        raise Hj212Error("length", f"at most {MAX_SEGMENT} bytes", str(len(segment)),
                         message=f"data segment is {len(segment)} bytes, the standard allows "
                                 f"{MAX_SEGMENT}", deviation=Deviation.OVERLONG_SEGMENT)
    if not _HEX.fullmatch(crc):
        raise Hj212Error("CRC", "4 hex digits", show(crc),
                         message=f"CRC {show(crc)} is not 4 hex digits")
    computed = crc16_hex(segment)
    crc_text = crc.decode()
    if crc_text.upper() != computed:
        raise Hj212Error("CRC", computed, crc_text,
                         message=f"CRC {crc_text} does not match computed {computed}")
    if crc_text != computed and not tally.allow(Deviation.LOWERCASE_CRC):
        raise Hj212Error("CRC", computed, crc_text,
                         message=f"CRC {crc_text} is not upper-case hex (expected {computed})",
                         deviation=Deviation.LOWERCASE_CRC)
    bad = _NOT_PRINTABLE.search(segment)
    if bad is not None:
        raise Hj212Error("data segment", "printable ASCII", f"0x{bad.group()[0]:02X}",
                         message=f"data segment holds byte 0x{bad.group()[0]:02X} at offset "
                                 f"{bad.start()}; only printable ASCII is allowed")
    return segment

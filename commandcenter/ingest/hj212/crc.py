"""HJ 212's own CRC16, the checksum that closes every frame (4 upper-case hex digits).

Source: HJ 212-2017《污染物在线监控（监测）系统数据传输标准》, the CRC algorithm given in C in
its appendix, unchanged from HJ/T 212-2005. It is NOT the Modbus CRC16 (which feeds the whole byte
into the low half of the register): register 0xFFFF; per byte `crc = (crc >> 8) ^ byte`, then
eight shifts right, XOR 0xA001 whenever a 1 falls out. The standard's example frame
`##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;
CP=&&RtdInterval=30&&1C80` checks out: its 101-byte data segment gives 1C80 (tests/ingest/hj212).
"""

from __future__ import annotations

POLY = 0xA001
INITIAL = 0xFFFF


def _step(value: int) -> int:
    """The eight shift/XOR rounds the standard applies after folding in one byte."""
    for _ in range(8):
        value = (value >> 1) ^ POLY if value & 1 else value >> 1
    return value


# (crc >> 8) ^ byte is always < 256, so the eight rounds are a function of one byte: a table.
_TABLE = tuple(_step(i) for i in range(256))


def crc16(data: bytes) -> int:
    """The checksum of a data segment (the bytes between the length field and the CRC).

    Beware what it proves: the register's low byte is discarded at every step, so the result
    depends only on an 8-bit value and takes at most 256 distinct values — a random corruption
    passes with odds of 1 in 256. A passing CRC is no proof of a good frame; `parse_frame`
    therefore also checks the length, every field's syntax and the values' plausible ranges.
    """
    crc = INITIAL
    for byte in data:
        crc = _TABLE[(crc >> 8) ^ byte]
    return crc


def crc16_hex(data: bytes) -> str:
    """The form the frame carries: 4 upper-case hex digits."""
    return f"{crc16(data):04X}"

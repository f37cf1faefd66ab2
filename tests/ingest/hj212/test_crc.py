"""HJ 212's CRC16 against the standard's example and frames from independent implementations."""

from __future__ import annotations

import os
import re

from commandcenter.ingest.hj212 import crc16, crc16_hex
from tests.ingest.hj212.builders import STANDARD_EXAMPLE


def test_the_standards_example_frame_checks_out() -> None:
    segment = STANDARD_EXAMPLE[6:-6]
    assert len(segment) == 101 and STANDARD_EXAMPLE[2:6] == b"0101"
    assert crc16_hex(segment) == "1C80" == STANDARD_EXAMPLE[-6:-2].decode()


def test_frames_signed_by_other_implementations_check_out() -> None:
    """Uploads from device software written elsewhere (a 2017 oil-fume monitor and HJ/T
    212-2005 devices): the same algorithm, so interoperable."""
    for frame in (
        b"##0158QN=20180531225849000;ST=31;CN=2011;PW=123456;MN=010000A8900016F018010001;"
        b"Flag=5;CP=&&DataTime=20180531225849;a34041-Rtd=0.00,a34041-Flag=N;SB7-RS=2;SB8-RS=2"
        b"&&9181",
        b"##0149ST=32;CN=2011;PW=123456;MN=12091200160055;CP=&&DataTime=20150430135830;"
        b"B01-Rtd=880.17,B01-Flag=N;011-Rtd=999.99,011-Flag=N;060-Rtd=30.18,060-Flag=N&&F881",
    ):
        assert crc16_hex(frame[6:-4]) == frame[-4:].decode()


def test_it_is_not_the_modbus_crc() -> None:
    # Modbus CRC16 of "123456789" is 0x4B37; HJ 212's variant gives something else.
    assert crc16(b"123456789") != 0x4B37


def test_it_takes_at_most_256_values_so_a_pass_proves_little() -> None:
    seen = {crc16(os.urandom(40)) for _ in range(20_000)}
    assert len(seen) <= 256
    assert len(seen) > 200  # and it does use them: a corruption slips through 1 time in 256


def test_hex_form_is_four_upper_case_digits() -> None:
    assert crc16_hex(b"") == "FFFF"
    assert all(re.fullmatch("[0-9A-F]{4}", crc16_hex(bytes([b]))) for b in range(256))

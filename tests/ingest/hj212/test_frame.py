"""Parsing HJ 212 frames: what a good frame yields and exactly why a bad one is refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from commandcenter.ingest.hj212 import (
    Hj212Error,
    Hj212Version,
    encode_frame,
    parse_frame,
)
from tests.ingest.hj212.builders import (
    MN,
    MN_2005,
    OIL_2011_CP,
    STANDARD_EXAMPLE,
    frame,
    oil_2005,
    oil_2011,
    oil_2051,
    resign,
    segment,
)

CST = timezone(timedelta(hours=8))


def reject(raw: bytes) -> Hj212Error:
    with pytest.raises(Hj212Error) as info:
        parse_frame(raw)
    return info.value


def test_the_standards_example_parses() -> None:
    parsed = parse_frame(STANDARD_EXAMPLE)
    f = parsed.frame
    assert (f.version, f.qn, f.st, f.cn, f.pw, f.mn, f.flag) == (
        Hj212Version.V2017, "20160801085857223", "32", "1062", "100000",
        "010000A8900016F000169DC0", 5)
    assert f.cp == {"RtdInterval": "30"} and f.data == {} and f.data_time is None
    assert f.reply_requested and not f.known_command
    assert parsed.deviations == {}
    assert parsed.notes == ("command code CN=1062 is not one the hall interprets",)


def test_a_2017_real_time_oil_fume_frame() -> None:
    parsed = parse_frame(oil_2011())
    f = parsed.frame
    assert f.version is Hj212Version.V2017 and f.cn == "2011" and f.mn == MN
    assert f.data_time == datetime(2026, 11, 28, 16, 58, tzinfo=CST)
    assert f.data == {"a34041": {"Rtd": 1.23, "Flag": "N"}, "a34000": {"Rtd": 0.87, "Flag": "N"},
                      "a24088": {"Rtd": 3.41, "Flag": "N"}, "SB1": {"RS": 1.0},
                      "SB2": {"RS": 1.0}}
    assert f.cp == {"DataTime": "20261128165800"}
    assert parsed.notes == () and parsed.deviations == {}


def test_a_2017_minute_frame() -> None:
    f = parse_frame(oil_2051()).frame
    assert f.cn == "2051" and f.known_command
    assert f.data["a34041"] == {"Min": 0.95, "Avg": 1.12, "Max": 1.40, "Flag": "N"}
    assert f.data_time == datetime(2026, 11, 28, 16, 50, tzinfo=CST)


def test_a_2005_frame_without_qn_or_flag() -> None:
    f = parse_frame(oil_2005()).frame
    assert f.version is Hj212Version.V2005 and f.qn is None and f.flag is None
    assert f.mn == MN_2005 and not f.reply_requested
    assert f.data["a34000"] == {"Rtd": 0.70, "Flag": "P"}  # 2005's power-failure flag


def test_a_2005_frame_asking_for_an_answer() -> None:
    f = parse_frame(oil_2005(qn="20261128165800001", flag=1)).frame
    assert f.version is Hj212Version.V2005 and f.reply_requested


def test_2005_frames_from_the_field() -> None:
    """Uploads as HJ/T 212-2005 devices send them: 2005 pollutant codes, eight SBn states."""
    flow = parse_frame(b"##0149ST=32;CN=2011;PW=123456;MN=12091200160055;CP=&&DataTime="
                       b"20150430135830;B01-Rtd=880.17,B01-Flag=N;011-Rtd=999.99,011-Flag=N;"
                       b"060-Rtd=30.18,060-Flag=N&&F881\r\n").frame
    assert flow.data["B01"]["Rtd"] == 880.17 and flow.version is Hj212Version.V2005
    state = parse_frame(b"##0144ST=31;CN=2021;PW=123456;MN=ZG130102201666;CP=&&DataTime="
                        b"20180119131000;SB1-RS=0;SB2-RS=0;SB3-RS=0;SB4-RS=0;SB5-RS=0;SB6-RS=0;"
                        b"SB7-RS=0;SB8-RS=0&&CAC1\r\n").frame
    assert len(state.data) == 8 and state.data["SB8"] == {"RS": 0.0}


def test_the_p_flag_is_2005_only_and_b_2017_only() -> None:
    e = reject(frame("DataTime=20261128165800;a34041-Rtd=1.0,a34041-Flag=P"))
    assert str(e) == "a34041-Flag='P' is not a HJ 212-2017 data flag (B C D F M N S T)"
    assert e.code == "value"
    e = reject(oil_2005("DataTime=20261128165800;a34041-Rtd=1.0,a34041-Flag=B"))
    assert "not a HJ/T 212-2005 data flag (C D F M N P S T)" in str(e)


def test_split_packets_carry_pnum_and_pno() -> None:
    f = parse_frame(frame(flag=7, extra="PNUM=3;PNO=2")).frame
    assert (f.pnum, f.pno, f.reply_requested) == (3, 2, True)
    assert "PNUM and PNO are not both given" in str(reject(frame(flag=7, extra="PNUM=3")))
    assert "PNO=4 is outside 1–PNUM (3)" in str(reject(frame(flag=7, extra="PNUM=3;PNO=4")))
    assert "Flag bit D (split) is 0" in str(reject(frame(flag=5, extra="PNUM=3;PNO=1")))


# --- the envelope ------------------------------------------------------------------------------
def test_length_mismatch_says_both_numbers() -> None:
    good = STANDARD_EXAMPLE
    short = good[:40] + good[44:]  # four bytes lost in transit
    e = reject(short)
    assert str(e) == "length field says 0101 but the data segment is 97 bytes"
    assert (e.field, e.expected, e.got, e.code) == ("length", "97", "0101", "length")


def test_crc_mismatch_says_both_values() -> None:
    e = reject(STANDARD_EXAMPLE.replace(b"1C80\r\n", b"1C81\r\n"))
    assert str(e) == "CRC 1C81 does not match computed 1C80"
    assert (e.expected, e.got, e.code) == ("1C80", "1C81", "crc")


def test_a_changed_byte_with_the_old_crc_is_caught() -> None:
    e = reject(STANDARD_EXAMPLE.replace(b"RtdInterval=30", b"RtdInterval=31"))
    assert str(e).startswith("CRC 1C80 does not match computed ")


@pytest.mark.parametrize(("raw", "message"), [
    (b"#0101QN=1\r\n", "frame does not start with ## (starts with '#0')"),
    (STANDARD_EXAMPLE[:-2], "frame does not end with CRLF (ends with '80')"),
    (STANDARD_EXAMPLE[:-2] + b"\n", "frame does not end with CRLF (ends with '0\\n')"),
    (b"##QN=1;CP=&&&&ABCD\r\n", "no length field after ## (found 'QN=1')"),
    (b"##0000AB\r\n", "frame too short to hold a CRC"),
    (b"##0000XYZW\r\n", "CRC 'XYZW' is not 4 hex digits"),
    (encode_frame(b"QN=1\x00"), "data segment holds byte 0x00 at offset 4; only printable "
                                 "ASCII is allowed"),
    (encode_frame("ST=31;CN=2011;PW=1;MN=A;CP=&&a34041-Rtd=1\u00e9&&".encode("latin-1")),
     "data segment holds byte 0xE9 at offset 41; only printable ASCII is allowed"),
    (b"##" + b"9" * 20000 + b"\r\n", "frame: expected at most 10011 bytes, got 20004 bytes"),
])
def test_envelope_errors(raw: bytes, message: str) -> None:
    assert str(reject(raw)) == message


# --- fields ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "message"), [
    ({"qn": "2026112816580012"}, "QN: expected yyyyMMddHHmmssSSS (17 digits), got "
                                 "'2026112816580012'"),
    ({"qn": "20261332165800123"}, "QN: 20261332165800123 is not a valid calendar time"),
    ({"st": "3a"}, "ST='3a': expected 1–5 digits"),
    ({"cn": "20111111"}, "CN='20111111': expected 1–7 digits"),
    ({"pw": "1234567"}, "PW='1234567': expected 1–6 letters or digits"),
    ({"mn": MN + "X"}, "MN='3206130001000000OIL00001X': expected 1–24 letters, digits, '-' or "
                       "'_' (not starting with '_')"),
    ({"mn": "_rejected"}, "MN='_rejected': expected 1–24 letters, digits, '-' or '_' (not "
                          "starting with '_')"),
    ({"mn": "a/b"}, "MN='a/b': expected 1–24 letters, digits, '-' or '_' (not starting with "
                    "'_')"),
    ({"flag": 300}, "Flag=300 is over 255"),
    ({"flag": 9}, "Flag=9 names protocol version bits 000010; known: 000000 (HJ/T 212-2005), "
                  "000001 (HJ 212-2017)"),
    ({"qn": None}, "QN is missing (HJ 212-2017 requires it)"),
    ({"extra": "XX=1"}, "unknown field 'XX' before CP"),
    ({"extra": "ST=31"}, "ST appears twice"),
    ({"extra": "oops"}, "field 'oops' is not name=value"),
])
def test_field_errors(change: dict[str, Any], message: str) -> None:
    assert str(reject(frame(**change))) == message


def test_missing_required_fields() -> None:
    raw = encode_frame("QN=20261128165800123;ST=31;CN=2011;MN=A1;Flag=5;CP=&&&&")
    assert str(reject(raw)) == "PW is missing (HJ 212-2017 requires it)"


@pytest.mark.parametrize(("segment_text", "message"), [
    ("ST=31;CN=2011;PW=1;MN=A1", "no CP=&&…&& data area in the data segment"),
    ("ST=31;CN=2011;PW=1;MN=A1CP=&&&&", "CP= must follow the other fields after a ';'"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&a=1&", "the CP data area does not close with && at the "
                                          "end of the data segment"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&&", "the CP data area does not close with && at the end "
                                       "of the data segment"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&a=1&b=2&&", "CP: '&' inside the data area (only && "
                                               "delimits it)"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&a34041-Rtd=1;&&", "CP: group 2 is empty (a stray ';')"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&a34041-Rtd=1,,x=1&&", "CP: '' is not a single name=value "
                                                         "item"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&a=1=2&&", "CP: 'a=1=2' is not a single name=value item"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&a34041-Rtd=1;a34041-Rtd=2&&", "CP: a34041-Rtd appears "
                                                                 "more than once"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&a34 041-Rtd=1&&", "CP: 'a34 041-Rtd' is not a code-Key "
                                                     "name"),
    ("ST=31;CN=2011;PW=1;MN=A1;CP=&&1x=1&&", "CP: expected a field name of letters and "
                                            "digits, got '1x'"),
])
def test_data_area_syntax(segment_text: str, message: str) -> None:
    assert str(reject(encode_frame(segment_text))) == message


@pytest.mark.parametrize(("items", "message"), [
    ("a34041-Rtd=abc", "a34041-Rtd='abc' is not a decimal number"),
    ("a34041-Rtd=1e3", "a34041-Rtd='1e3' is not a decimal number"),
    ("a34041-Rtd=nan", "a34041-Rtd='nan' is not a decimal number"),
    ("a34041-Rtd=inf", "a34041-Rtd='inf' is not a decimal number"),
    ("a34041-Rtd=" + "9" * 400, "a34041-Rtd='9999999999999999999999999999999999999999'… is not "
                                "a decimal number"),
    ("a34041-Rtd=", "a34041-Rtd='' is not a decimal number"),
    ("a34041-Rtd=100.5", "a34041-Rtd=100.5 is outside the plausible range 0–100 mg/m³"),
    ("a34041-Rtd=-0.5", "a34041-Rtd=-0.5 is outside the plausible range 0–100 mg/m³"),
    ("a34000-Avg=1200", "a34000-Avg=1200 is outside the plausible range 0–1000 mg/m³"),
    ("a24088-Max=1000.01", "a24088-Max=1000.01 is outside the plausible range 0–1000 mg/m³"),
    ("a34041-Flag=X", "a34041-Flag='X' is not a HJ 212-2017 data flag (B C D F M N S T)"),
    ("SB1-RS=1.5", "SB1-RS=1.5 is not a run state (an integer 0–99)"),
    ("a34041-Rtd=-99", "a34041-Rtd=-99 is a 'no data' placeholder, not a measurement "
                       "(accepted in lenient mode as 'placeholder_value')"),
    ("DataTime=2026112816580", "DataTime: expected yyyyMMddHHmmss (14 digits), got "
                               "'2026112816580'"),
    ("DataTime=20261128165800000", "DataTime: expected yyyyMMddHHmmss (14 digits), got "
                                   "'20261128165800000'"),
    ("DataTime=20260230120000", "DataTime: 20260230120000 is not a valid calendar time"),
])
def test_value_errors(items: str, message: str) -> None:
    assert str(reject(frame(items))) == message


def test_values_outside_the_oil_fume_table_are_only_checked_for_syntax() -> None:
    f = parse_frame(frame("a01012-Rtd=-12.5;a01014-Rtd=65.2;a34041-Cou=1200")).frame
    assert f.data == {"a01012": {"Rtd": -12.5}, "a01014": {"Rtd": 65.2},
                      "a34041": {"Cou": 1200.0}}


def test_unknown_data_keys_are_kept_and_noted() -> None:
    parsed = parse_frame(frame("a34041-Rtd=1.0,a34041-Class=3,a34041-EFlag=A01"))
    assert parsed.frame.data["a34041"] == {"Rtd": 1.0, "Class": "3", "EFlag": "A01"}
    assert parsed.notes == ("data key a34041-Class is not one the hall interprets",)


def test_boundaries_are_inclusive() -> None:
    f = parse_frame(frame("a34041-Rtd=0,a34041-Max=100;a34000-Max=1000.0")).frame
    assert f.data["a34041"] == {"Rtd": 0.0, "Max": 100.0}


def test_empty_data_area_and_resigning_helpers() -> None:
    assert parse_frame(frame("")).frame.data == {}
    assert resign(oil_2011()) == oil_2011()
    assert segment(OIL_2011_CP).endswith("&&")

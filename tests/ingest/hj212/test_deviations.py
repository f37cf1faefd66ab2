"""Each known device quirk: refused in strict mode, accepted and counted in lenient mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from commandcenter.ingest.hj212 import (
    Deviation,
    Hj212Error,
    Lenient,
    encode_frame,
    parse_frame,
    parse_mode,
)
from commandcenter.ingest.hj212.mode import STRICT, ModeError
from tests.ingest.hj212.builders import OIL_2011_CP, frame, oil_2011, segment

RECEIVED = datetime(2026, 11, 28, 8, 58, 30, 250_000, tzinfo=UTC)
CST = timezone(timedelta(hours=8))


def lowercase_crc() -> bytes:
    raw = frame("a34041-Rtd=1.50,a34041-Flag=N")  # its CRC has letters: lower-casing shows
    assert any(c in b"ABCDEF" for c in raw[-6:-2])
    return raw[:-6] + raw[-6:-2].lower() + b"\r\n"


def short_length_field() -> bytes:
    data = segment("").encode()
    assert len(data) < 1000
    raw = encode_frame(data)
    return b"##" + str(len(data)).encode() + raw[6:]  # "##87QN=…" instead of "##0087QN=…"


def overlong_segment() -> bytes:
    items = ";".join(f"a{30000 + i}-Rtd=1.{i:03d},a{30000 + i}-Flag=N" for i in range(40))
    raw = frame(items)
    assert len(raw) - 12 > 1024
    return raw


def placeholders() -> bytes:
    return frame("DataTime=20261128165800;a34041-Rtd=-99,a34041-Flag=D;a34000-Rtd=0.5;"
                 "a24088-Rtd=-9999.00")


def clock_reset() -> bytes:
    return frame("DataTime=20000101000512;a34041-Rtd=1.10,a34041-Flag=N")


CASES = {
    Deviation.LOWERCASE_CRC: (lowercase_crc, "is not upper-case hex (expected "),
    Deviation.SHORT_LENGTH_FIELD: (short_length_field, "length field 87 has 2 digits, "
                                                       "expected 4"),
    Deviation.OVERLONG_SEGMENT: (overlong_segment, "bytes, the standard allows 1024"),
    Deviation.PLACEHOLDER_VALUE: (placeholders, "a34041-Rtd=-99 is a 'no data' placeholder"),
    Deviation.CLOCK_RESET: (clock_reset, "DataTime 20000101000512 is in 2000: the device's "
                                         "clock was reset"),
}


@pytest.mark.parametrize("deviation", list(Deviation))
def test_strict_refuses_and_names_the_deviation(deviation: Deviation) -> None:
    make, text = CASES[deviation]
    with pytest.raises(Hj212Error) as info:
        parse_frame(make(), mode=STRICT, received_at=RECEIVED)
    assert text in str(info.value)
    assert info.value.deviation is deviation
    assert str(info.value).endswith(f"(accepted in lenient mode as '{deviation.value}')")


@pytest.mark.parametrize("deviation", list(Deviation))
def test_lenient_accepts_and_counts(deviation: Deviation) -> None:
    make, _ = CASES[deviation]
    parsed = parse_frame(make(), mode=Lenient(frozenset({deviation})), received_at=RECEIVED)
    expected = 2 if deviation is Deviation.PLACEHOLDER_VALUE else 1
    assert parsed.deviations == {deviation: expected}


@pytest.mark.parametrize("deviation", list(Deviation))
def test_lenient_for_one_deviation_still_refuses_the_others(deviation: Deviation) -> None:
    others = frozenset(Deviation) - {deviation}
    make, _ = CASES[deviation]
    with pytest.raises(Hj212Error):
        parse_frame(make(), mode=Lenient(others), received_at=RECEIVED)


def test_placeholders_are_dropped_but_the_flag_and_other_values_stay() -> None:
    f = parse_frame(placeholders(), mode=Lenient(), received_at=RECEIVED).frame
    assert f.data == {"a34041": {"Flag": "D"}, "a34000": {"Rtd": 0.5}}


def test_a_reset_clock_is_replaced_by_the_receive_time_in_china_time() -> None:
    f = parse_frame(clock_reset(), mode=Lenient(), received_at=RECEIVED).frame
    assert f.data_time == datetime(2026, 11, 28, 16, 58, 30, tzinfo=CST)
    assert f.cp["DataTime"] == "20000101000512"  # what the device said is kept
    assert f.data["a34041"]["Rtd"] == 1.10


def test_a_1970_clock_counts_as_reset_too() -> None:
    raw = frame("DataTime=19700101080000;a34041-Rtd=1.10")
    assert parse_frame(raw, mode=Lenient(), received_at=RECEIVED).deviations == {
        Deviation.CLOCK_RESET: 1}


def test_lenient_reports_several_deviations_at_once() -> None:
    raw = frame("DataTime=20000101000000;a34041-Rtd=-99.0")
    assert raw[-6:-2] == b"FCC1"
    raw = raw[:-6] + b"fcc1\r\n"
    parsed = parse_frame(raw, mode=Lenient(), received_at=RECEIVED)
    assert parsed.deviations == {Deviation.LOWERCASE_CRC: 1, Deviation.CLOCK_RESET: 1,
                                 Deviation.PLACEHOLDER_VALUE: 1}


def test_lenient_never_accepts_a_wrong_crc_or_length() -> None:
    raw = oil_2011()
    with pytest.raises(Hj212Error, match="does not match computed"):
        parse_frame(raw[:-6] + b"0000\r\n", mode=Lenient())
    with pytest.raises(Hj212Error, match="length field says"):
        parse_frame(b"##0100" + raw[6:], mode=Lenient())


def test_a_clean_frame_has_no_deviations_in_lenient_mode() -> None:
    assert parse_frame(oil_2011(), mode=Lenient()).deviations == {}
    assert parse_frame(frame(OIL_2011_CP), mode=Lenient()).frame.data["a34041"]["Rtd"] == 1.23


def test_modes_from_configuration_text() -> None:
    assert parse_mode("strict") == STRICT
    assert parse_mode("lenient") == Lenient()
    assert parse_mode(" lenient:lowercase_crc, clock_reset") == Lenient(
        frozenset({Deviation.LOWERCASE_CRC, Deviation.CLOCK_RESET}))
    with pytest.raises(ModeError, match="unknown deviation 'lowercase'"):
        parse_mode("lenient:lowercase")
    with pytest.raises(ModeError, match="expected 'strict', 'lenient'"):
        parse_mode("loose")

"""No input makes the parser fail any other way than with a precise `Hj212Error`."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from commandcenter.domain.event import Event
from commandcenter.ingest.hj212 import (
    Hj212Error,
    Lenient,
    Mode,
    build_reply,
    encode_frame,
    frame_to_events,
    parse_frame,
)
from commandcenter.ingest.hj212.mode import STRICT
from tests.ingest.hj212.builders import (
    STANDARD_EXAMPLE,
    STATE_2021_CP,
    frame,
    oil_2005,
    oil_2011,
    oil_2051,
)

RECEIVED = datetime(2026, 11, 28, 8, 58, 31, tzinfo=UTC)
VALID = [STANDARD_EXAMPLE, oil_2011(), oil_2051(), oil_2005(), frame(STATE_2021_CP, cn="2021"),
         oil_2011(flag=7, extra="PNUM=2;PNO=1")]
MODES = st.sampled_from([STRICT, Lenient()])
# Bytes that matter to the grammar, so mutations hit separators rather than only letters.
SPECIAL = st.sampled_from([b";", b",", b"=", b"&", b"&&", b"-", b"#", b"\r\n", b"\x00", b"9",
                           b"-99", b".", b"Flag=", b"CP=&&", b"\xff", b" ", b"N", b"P"])

# Mostly printable, so that most mutations get past the encoding check into the fields.
BYTE = st.one_of(st.integers(min_value=0x20, max_value=0x7E), st.integers(0, 255))


def survives(raw: bytes, mode: Mode) -> None:
    """Either a frame whose derived products are valid, or an Hj212Error with a message."""
    try:
        parsed = parse_frame(raw, mode=mode, received_at=RECEIVED)
    except Hj212Error as exc:
        assert str(exc) and exc.code
        return
    build_reply(parsed.frame)
    for event in frame_to_events(parsed.frame, received_at=RECEIVED, site=None):
        Event.from_json(event.to_json())


@settings(max_examples=400, deadline=None)
@given(raw=st.binary(max_size=300), mode=MODES)
@example(raw=b"##0000\r\n", mode=STRICT)
@example(raw=b"##0004&&&&\r\n", mode=STRICT)
def test_arbitrary_bytes(raw: bytes, mode: Mode) -> None:
    survives(raw, mode)


@settings(max_examples=400, deadline=None)
@given(text=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200),
       mode=MODES)
def test_arbitrary_printable_segments_in_a_valid_envelope(text: str, mode: Mode) -> None:
    survives(encode_frame(text), mode)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID))[6:-6])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "special"]))
        if action == "replace" and data:
            data[at] = draw(BYTE)
        elif action == "insert":
            data[at:at] = bytes([draw(BYTE)])
        elif action == "delete" and data:
            del data[at]
        else:
            data[at:at] = draw(SPECIAL)
    return bytes(data)


@settings(max_examples=600, deadline=None)
@given(segment=mutated(), resign=st.booleans(), mode=MODES)
def test_mutated_valid_frames(segment: bytes, resign: bool, mode: Mode) -> None:
    """Re-signed mutations get past the CRC and exercise every field check."""
    raw = encode_frame(segment) if resign else (
        b"##%04d" % len(segment) + segment + b"0000\r\n")
    survives(raw, mode)


@settings(max_examples=200, deadline=None)
@given(raw=st.sampled_from(VALID), cut=st.integers(min_value=0, max_value=400))
def test_every_truncation(raw: bytes, cut: int) -> None:
    survives(raw[:cut], STRICT)
    survives(raw[:cut] + b"\r\n", STRICT)

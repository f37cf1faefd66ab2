"""Cutting a byte stream into frames: resync after garbage, bounded memory, chunking-proof."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.ingest.hj212.splitter import Chunk, Discard, FrameSplitter
from tests.ingest.hj212.builders import oil_2011, oil_2051

A, B = oil_2011(), oil_2051()


def run(*reads: bytes, max_frame: int = 2048) -> list[Chunk | Discard]:
    splitter = FrameSplitter(max_frame)
    out: list[Chunk | Discard] = []
    for data in reads:
        out += splitter.feed(data)
    out += splitter.finish("closed")
    return out


def test_frames_back_to_back_and_split_anywhere() -> None:
    assert run(A + B) == [Chunk(A), Chunk(B)]
    assert run(*[bytes([b]) for b in A + B]) == [Chunk(A), Chunk(B)]
    assert run(A[:5], A[5:-1], A[-1:] + B) == [Chunk(A), Chunk(B)]


def test_garbage_before_between_and_after_is_reported_once_per_stretch() -> None:
    out = run(b"\x00\xffhello" + A + b"\r\n#x" + B + b"bye")
    assert [type(o).__name__ for o in out] == ["Discard", "Chunk", "Discard", "Chunk",
                                               "Discard"]
    first = out[0]
    assert isinstance(first, Discard) and first.code == "garbage"
    assert first.sample == b"\x00\xffhello" and first.size == 7
    assert first.reason == "bytes outside any frame (7 bytes)"


def test_a_frame_cut_off_by_a_new_header() -> None:
    out = run(A[:50] + B)
    assert out[1] == Chunk(B)
    cut = out[0]
    assert isinstance(cut, Discard) and cut.code == "truncated" and cut.size == 50


def test_half_a_frame_then_the_connection_ends() -> None:
    out = run(A[:60])
    assert len(out) == 1 and isinstance(out[0], Discard)
    assert out[0].code == "truncated"
    assert out[0].reason == "closed after 60 bytes of an unfinished frame"


def test_a_flood_without_crlf_is_dropped_in_bounded_memory_and_reported_once() -> None:
    splitter = FrameSplitter(2048)
    out: list[Chunk | Discard] = []
    out += splitter.feed(b"##0101")
    for _ in range(256):  # 1 MiB in 4 KiB reads
        out += splitter.feed(b"A" * 4096)
        assert splitter.buffered <= 2048 + 4096
    out += splitter.feed(A)
    out += splitter.finish("closed")
    assert len(out) == 2 and out[1] == Chunk(A)
    flood = out[0]
    assert isinstance(flood, Discard) and flood.code == "oversize"
    assert flood.size == 6 + 256 * 4096 and len(flood.sample) == 512
    assert "no CRLF within 2048 bytes" in flood.reason


def test_stray_hashes_do_not_eat_the_next_frame() -> None:
    assert run(b"#" + A)[1:] == [Chunk(A)]
    assert run(b"###" + A[2:])[1:] == [Chunk(A)]


PIECES = st.lists(st.one_of(
    st.sampled_from([A, B, A[:40], b"##", b"#", b"\r\n", b"\r", b"\n", b"##0101"]),
    st.binary(max_size=30),
    st.binary(max_size=300).map(lambda b: b"##" + b.replace(b"\r\n", b"")),
), max_size=12)


@settings(max_examples=300, deadline=None)
@given(pieces=PIECES, cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=20))
def test_the_outcome_never_depends_on_how_the_stream_was_read(pieces: list[bytes],
                                                              cuts: list[int]) -> None:
    stream = b"".join(pieces)
    points = sorted({c % (len(stream) + 1) for c in cuts})
    reads = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    whole = run(stream, max_frame=256)
    assert run(*reads, max_frame=256) == whole
    assert run(*[bytes([b]) for b in stream], max_frame=256) == whole
    chunks = [o.raw for o in whole if isinstance(o, Chunk)]
    assert all(c.startswith(b"##") and c.endswith(b"\r\n") and len(c) <= 256 for c in chunks)
    # every byte is either in a frame or accounted for in a report
    assert sum(len(c) for c in chunks) + sum(
        o.size for o in whole if isinstance(o, Discard)) == len(stream)


def test_a_device_streaming_junk_forever_is_still_reported_now_and_then() -> None:
    splitter = FrameSplitter(2048)
    reports = []
    for _ in range(17 * 16):  # 17 MiB in 64 KiB reads, never a frame, never a hang-up
        reports += splitter.feed(b"\x00" * 65536)
    assert len(reports) == 2 and all(isinstance(r, Discard) and r.code == "garbage"
                                     for r in reports)
    assert splitter.buffered == 0

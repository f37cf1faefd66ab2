"""Cut a device's TCP byte stream into candidate frames, resynchronising after garbage.

A frame runs from `##` to the first CRLF: the data segment is printable ASCII, so CRLF cannot
occur inside a good one. The CRLF, not the declared length, marks the end, so that a device
whose length field is wrong loses that one frame (rejected with a precise reason by
`parse_frame`) rather than desynchronising every frame after it. Memory is bounded: a frame
that has not ended within `max_frame` bytes is dropped and the stream skipped to the next `##`.
Dropped bytes are reported, coalesced, so a 1 MB flood is one report, not thousands.
"""

from __future__ import annotations

from dataclasses import dataclass

from commandcenter.ingest.hj212.envelope import HEADER, MAX_RAW, TERMINATOR

DEFAULT_MAX_FRAME = MAX_RAW  # the longest frame a 4-digit length field can describe
SAMPLE = 512  # bytes of dropped input kept for the quarantine: enough to recognise it
REPORT_EVERY = 8 << 20  # a device that streams junk forever still gets a report per 8 MiB


@dataclass(frozen=True, slots=True)
class Chunk:
    """A candidate frame, `##` through CRLF, still to be validated."""

    raw: bytes


@dataclass(frozen=True, slots=True)
class Discard:
    """Input that never became a frame: why, how much, and the first bytes of it."""

    code: str  # garbage | truncated | oversize
    reason: str
    sample: bytes
    size: int


class FrameSplitter:
    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self.max_frame = max_frame
        self._buf = bytearray()
        self._junk = bytearray()
        self._junk_size = 0
        self._junk_why: tuple[str, str] | None = None

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def feed(self, data: bytes) -> list[Chunk | Discard]:
        """Take the next bytes read from the socket; return what they completed."""
        self._buf += data
        out: list[Chunk | Discard] = []
        while self._buf:
            start = self._buf.find(HEADER)
            if start < 0:
                keep = 1 if self._buf.endswith(b"#") else 0  # maybe half of the next ##
                self._drop(len(self._buf) - keep, "garbage", "bytes outside any frame")
                break
            if start > 0 or self._buf.startswith(b"###"):
                self._drop(max(start, 1), "garbage", "bytes outside any frame")
                continue
            # Whichever completes first wins — a CRLF ending a frame of at most max_frame
            # bytes, a new ## (this frame was cut off), or max_frame bytes without either — so
            # the outcome never depends on how the stream was chunked into reads.
            never = self.max_frame + 2
            end = self._buf.find(TERMINATOR, len(HEADER), self.max_frame)
            ends_at = end + len(TERMINATOR) if end >= 0 else never
            restart = self._buf.find(HEADER, len(HEADER), self.max_frame + 1)
            restarts_at = restart + len(HEADER) if restart >= 0 else never
            if restarts_at < ends_at:
                self._report(out)
                out.append(Discard("truncated", "frame cut off: a new ## began before its "
                                   "CRLF", bytes(self._buf[:min(restart, SAMPLE)]), restart))
                del self._buf[:restart]
                continue
            if ends_at < never:
                self._report(out)
                out.append(Chunk(bytes(self._buf[:ends_at])))
                del self._buf[:ends_at]
                continue
            if len(self._buf) > self.max_frame:
                keep = 1 if self._buf[self.max_frame] == ord("#") else 0
                self._drop(self.max_frame + 1 - keep, "oversize",
                           f"no CRLF within {self.max_frame} bytes of ##: dropped until the "
                           f"next ##")
                continue
            break
        if self._junk_size >= REPORT_EVERY:
            self._report(out)
        return out

    def finish(self, why: str) -> list[Discard]:
        """The connection ended (`why`): report what was dropped and any unfinished frame."""
        out: list[Chunk | Discard] = []
        if self._buf.startswith(HEADER):
            self._report(out)
            out.append(Discard("truncated", f"{why} after {len(self._buf)} bytes of an "
                               f"unfinished frame", bytes(self._buf[:SAMPLE]), len(self._buf)))
        elif self._buf:
            self._drop(len(self._buf), "garbage", "bytes outside any frame")
        self._buf.clear()
        self._report(out)
        return [d for d in out if isinstance(d, Discard)]

    def _drop(self, count: int, code: str, reason: str) -> None:
        if count <= 0:
            return
        if self._junk_why is None:
            self._junk_why = (code, reason)
        room = SAMPLE - len(self._junk)
        if room > 0:
            self._junk += self._buf[:min(room, count)]
        self._junk_size += count
        del self._buf[:count]

    def _report(self, out: list[Chunk | Discard]) -> None:
        if self._junk_size and self._junk_why is not None:
            code, reason = self._junk_why
            out.append(Discard(code, f"{reason} ({self._junk_size} bytes)", bytes(self._junk),
                               self._junk_size))
        self._junk.clear()
        self._junk_size = 0
        self._junk_why = None

"""Why a frame was refused, in words a device vendor or the hall's IT can act on."""

from __future__ import annotations

from commandcenter.domain.errors import KnownError
from commandcenter.ingest.hj212.mode import Deviation

# Fields whose failures are counted under their own name; the rest fold into a few families so
# that the gateway's "rejected by reason" stays a short list whatever devices send.
_ENVELOPE = {"frame": "size", "header": "header", "terminator": "terminator",
             "length": "length", "CRC": "crc", "data segment": "encoding", "CP": "cp",
             "MN": "field", "QN": "time", "DataTime": "time"}


class Hj212Error(KnownError):
    """A frame that breaks HJ 212: which field, what the standard expects, what arrived.

    `deviation` names the lenient-mode deviation that would have accepted the frame, so the
    message tells IT the fix when a device is merely quirky rather than broken.
    """

    def __init__(self, field: str, expected: str, got: str, *, message: str | None = None,
                 deviation: Deviation | None = None) -> None:
        self.field = field
        self.expected = expected
        self.got = got
        self.deviation = deviation
        text = message or f"{field}: expected {expected}, got {got}"
        if deviation is not None:
            text += f" (accepted in lenient mode as '{deviation.value}')"
        super().__init__(text)

    @property
    def code(self) -> str:
        """A short reason code for counts and the quarantine's grouping."""
        if self.field in _ENVELOPE:
            return _ENVELOPE[self.field]
        return "value" if "-" in self.field else "field"


def show(data: bytes | str, limit: int = 40) -> str:
    """Quote untrusted input for a message: printable, escaped, cut to a readable length."""
    text = data.decode("ascii", "backslashreplace") if isinstance(data, bytes) else data
    quoted = repr(text[:limit])
    return quoted + ("…" if len(text) > limit else "")

"""How strictly a device's frames are judged: the standard, or the standard minus named quirks.

Real monitors deviate in a few well-known ways. Rather than loosening the parser for everyone,
each device (by MN) gets `Strict()` or `Lenient(deviations=...)`; a lenient parse reports which
deviations it accepted and how often, so IT sees which devices need a firmware fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from commandcenter.domain.errors import KnownError


class Deviation(StrEnum):
    LOWERCASE_CRC = "lowercase_crc"  # CRC sent as lower-case hex
    SHORT_LENGTH_FIELD = "short_length_field"  # length field not zero-padded to 4 digits
    OVERLONG_SEGMENT = "overlong_segment"  # data segment over the standard's 1024 bytes
    PLACEHOLDER_VALUE = "placeholder_value"  # -99 / -9999 "no data" values: dropped
    CLOCK_RESET = "clock_reset"  # DataTime in 2000 or earlier: receive time substituted


@dataclass(frozen=True, slots=True)
class Strict:
    """The standard as written: every deviation is a rejection."""

    def allows(self, deviation: Deviation) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Lenient:
    """Accept the named deviations (all of them unless told otherwise), and count them."""

    deviations: frozenset[Deviation] = field(default_factory=lambda: frozenset(Deviation))

    def allows(self, deviation: Deviation) -> bool:
        return deviation in self.deviations


Mode = Strict | Lenient
STRICT = Strict()


class ModeError(KnownError):
    pass


def parse_mode(text: str) -> Mode:
    """Read a mode from configuration: `strict`, `lenient` or `lenient:lowercase_crc,clock_reset`.

    Unknown deviation names are refused rather than ignored: a typo would silently leave a
    device's frames rejected.
    """
    name, _, rest = text.strip().partition(":")
    if name == "strict" and not rest:
        return STRICT
    if name != "lenient":
        raise ModeError(f"HJ 212 mode {text!r}: expected 'strict', 'lenient' or "
                        f"'lenient:<deviation>,…'")
    if not rest:
        return Lenient()
    chosen: set[Deviation] = set()
    for part in rest.split(","):
        try:
            chosen.add(Deviation(part.strip()))
        except ValueError:
            known = ", ".join(d.value for d in Deviation)
            raise ModeError(f"HJ 212 mode {text!r}: unknown deviation {part.strip()!r} "
                            f"(known: {known})") from None
    return Lenient(frozenset(chosen))


class Tally:
    """Counts the deviations one parse accepted; says no to those the mode does not allow."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.counts: dict[Deviation, int] = {}

    def allow(self, deviation: Deviation) -> bool:
        if not self.mode.allows(deviation):
            return False
        self.counts[deviation] = self.counts.get(deviation, 0) + 1
        return True

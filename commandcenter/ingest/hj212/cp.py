"""The data area `CP=&&…&&`: `;`-separated groups of `,`-separated `name=value` items.

Items named `code-Key` (`a34041-Rtd=1.23`) are data, grouped per pollutant or equipment code;
plain names (`DataTime`, `RtdInterval`) are fields. Every value is checked here — syntax,
finiteness, the data flag's alphabet, plausible ranges — because the CRC alone proves little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from commandcenter.ingest.hj212.codes import (
    CONCENTRATION_KEYS,
    DATA_FLAGS,
    MAX_RUN_STATE,
    NUMERIC_KEYS,
    PLACEHOLDERS,
    PLAUSIBLE,
    TEXT_KEYS,
    Hj212Version,
)
from commandcenter.ingest.hj212.errors import Hj212Error, show
from commandcenter.ingest.hj212.mode import Deviation, Tally

_CODE = re.compile(r"[A-Za-z0-9]{1,16}")
_KEY = re.compile(r"[A-Za-z]{1,16}")
_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9]{0,31}")
# A plain decimal: no exponent, no inf/nan, bounded so float() is always finite and exact enough.
_NUMBER = re.compile(r"-?[0-9]{1,14}(\.[0-9]{1,8})?")

DataValue = float | str


@dataclass(frozen=True, slots=True)
class DataArea:
    fields: dict[str, str]
    data: dict[str, dict[str, DataValue]]
    notes: tuple[str, ...]


def parse_data_area(inner: str, version: Hj212Version, tally: Tally) -> DataArea:
    """Parse what lies between `CP=&&` and the closing `&&`."""
    fields: dict[str, str] = {}
    data: dict[str, dict[str, DataValue]] = {}
    seen: set[str] = set()
    notes: list[str] = []
    if not inner:
        return DataArea(fields, data, ())
    for number, group in enumerate(inner.split(";"), start=1):
        if not group:
            raise Hj212Error("CP", "name=value items separated by ';' and ','",
                             f"an empty group (number {number})",
                             message=f"CP: group {number} is empty (a stray ';')")
        for item in group.split(","):
            name, sep, value = item.partition("=")
            if not sep or "=" in value:
                raise Hj212Error("CP", "one name=value item", show(item),
                                 message=f"CP: {show(item)} is not a single name=value item")
            if name in seen:
                raise Hj212Error("CP", "each item once", name,
                                 message=f"CP: {name} appears more than once")
            seen.add(name)
            code, dash, key = name.partition("-")
            if dash:
                _data_item(data, notes, code, key, value, version, tally)
            elif _FIELD.fullmatch(name):
                fields[name] = value
            else:
                raise Hj212Error("CP", "a field name of letters and digits", show(name))
    return DataArea(fields, {c: g for c, g in data.items() if g}, tuple(notes))


def _data_item(data: dict[str, dict[str, DataValue]], notes: list[str], code: str, key: str,
               value: str, version: Hj212Version, tally: Tally) -> None:
    name = f"{code}-{key}"
    if not _CODE.fullmatch(code) or not _KEY.fullmatch(key):
        raise Hj212Error("CP", "code-Key=value with a code of letters and digits",
                         show(name), message=f"CP: {show(name)} is not a code-Key name")
    group = data.setdefault(code, {})
    if key == "Flag":
        allowed = DATA_FLAGS[version]
        if value not in allowed:
            raise Hj212Error(name, f"one of {' '.join(sorted(allowed))}", show(value),
                             message=f"{name}={show(value)} is not a {version} data flag "
                                     f"({' '.join(sorted(allowed))})")
        group[key] = value
        return
    if key not in NUMERIC_KEYS:
        if key not in TEXT_KEYS:
            notes.append(f"data key {name} is not one the hall interprets")
        group[key] = value
        return
    if not _NUMBER.fullmatch(value):
        raise Hj212Error(name, "a decimal number", show(value),
                         message=f"{name}={show(value)} is not a decimal number")
    number = float(value)
    if number in PLACEHOLDERS:
        if tally.allow(Deviation.PLACEHOLDER_VALUE):
            return  # dropped: the device had no measurement
        raise Hj212Error(name, "a measured value", value,
                         message=f"{name}={value} is a 'no data' placeholder, not a "
                                 f"measurement", deviation=Deviation.PLACEHOLDER_VALUE)
    if key == "RS" and not (number.is_integer() and 0 <= number <= MAX_RUN_STATE):
        raise Hj212Error(name, f"a run state 0–{MAX_RUN_STATE}", value,
                         message=f"{name}={value} is not a run state (an integer "
                                 f"0–{MAX_RUN_STATE})")
    if key in CONCENTRATION_KEYS and code in PLAUSIBLE:
        low, high = PLAUSIBLE[code]
        if not low <= number <= high:
            raise Hj212Error(name, f"{low:g}–{high:g} mg/m³", value,
                             message=f"{name}={value} is outside the plausible range "
                                     f"{low:g}–{high:g} mg/m³")
    group[key] = number

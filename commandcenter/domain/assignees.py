"""Departments (联动) and the night-duty phone, as units the dispatcher can assign."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from commandcenter.domain.dispatch import DEPARTMENT, DUTY
from commandcenter.domain.unit import Unit, UnitStatus


@dataclass(frozen=True, slots=True)
class Assignees:
    units: list[Unit]
    notes: dict[str, str]  # default dispatch note per assignee (night duty's standard text)


def load_assignees(path: Path | None = None) -> Assignees:
    if path is None:
        from commandcenter.resources import resource_path

        path = resource_path("departments.toml")
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    units, notes = [], {}
    for kind, key in ((DEPARTMENT, "department"), (DUTY, "duty")):
        for entry in data.get(key, []):
            try:
                unit_id, name = str(entry["id"]), str(entry["name"])
            except KeyError as exc:
                raise ValueError(f"{path}: a [[{key}]] entry lacks {exc}") from None
            units.append(Unit(unit_id, name, kind=kind, status=UnitStatus.AVAILABLE))
            if entry.get("note"):
                notes[unit_id] = str(entry["note"])
    return Assignees(units, notes)

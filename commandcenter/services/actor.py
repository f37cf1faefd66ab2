"""Who performs an action: a dispatcher, a supervisor (值班长), a field unit or the system."""

from __future__ import annotations

from dataclasses import dataclass

DISPATCHER = "dispatcher"
SUPERVISOR = "supervisor"
UNIT = "unit"
SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    roles: frozenset[str]

    def has(self, role: str) -> bool:
        return role in self.roles

    @classmethod
    def unit(cls, unit_id: str, name: str | None = None) -> Actor:
        return cls(f"unit:{unit_id}", name or unit_id, frozenset({UNIT}))

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(f"system:{name}", name, frozenset({SYSTEM}))

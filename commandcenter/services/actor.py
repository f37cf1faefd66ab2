"""Who performs an action: a dispatcher, a supervisor (值班长), a field unit or the system."""

from __future__ import annotations

import functools
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
        """The system acting for `name` (a source, a timer…): one shared value per name, as
        the ingest writer names one for every report it files."""
        return _system_actor(name)


@functools.lru_cache(maxsize=256)
def _system_actor(name: str) -> Actor:
    return Actor(f"system:{name}", name, frozenset({SYSTEM}))

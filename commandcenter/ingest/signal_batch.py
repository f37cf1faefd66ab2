"""New signals stored as a set: each opens a case, a statement per table for the whole batch.

A busy night brings hundreds of citizen reports and camera hits a second; storing them one by
one costs seven statements each (event, case number, duplicate search, case, deadlines, link,
audit), and the per-statement overhead, not SQLite, set the ingest rate. Here the batch is
stored with one statement per step, in message order, with the same outcome as one by one:
numbers are consecutive in message order, a later signal may be proposed as a duplicate of an
earlier one of the same batch, and the audit chain runs in message order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from commandcenter.domain.case import Case, with_changes
from commandcenter.domain.event import CASE_KINDS, Event, EventKind
from commandcenter.ingest.new_events import store_new_events
from commandcenter.services import audit
from commandcenter.services.actor import Actor
from commandcenter.services.changes import Changes
from commandcenter.services.context import HallContext
from commandcenter.services.signals import case_from_signal
from commandcenter.store.mapping import case_columns, case_snapshot
from commandcenter.store.repositories import CaseRepo, EventRepo, Nearby

_CELL_DEG = 0.01  # grid of the batch's own candidates: ~1.1 km of latitude a cell


def opens_its_own_case(event: Event) -> bool:
    """True for a signal this batch can store without looking at other state first: a report
    or a camera hit (always a new case), or a non-case event. Readings drive the alarm rules and
    a device's alarm may join its open alarm case: those go one by one."""
    return event.kind is not EventKind.READING and not (
        event.kind is EventKind.ALARM and event.device)


@dataclass(slots=True)
class _Pending:
    event: Event
    received_at: datetime
    seq: int  # its place in the batch of messages
    case_id: int | None = None  # set by `flush` for a signal that opened a case


class SignalBatch:
    """Collects signals (`add`), then stores them together (`flush`)."""

    def __init__(self, ctx: HallContext) -> None:
        self.ctx = ctx
        self._pending: list[_Pending] = []

    def add(self, event: Event, received_at: datetime, seq: int = 0) -> None:
        self._pending.append(_Pending(event, received_at, seq))

    def flush(self, session: Session, now: datetime, changes: Changes,
              before: int | None = None) -> list[int | None]:
        """Store what was added (only the signals before message `before`, if given), in one
        go: for each signal in order, the id of the case it opened, or None (a duplicate
        message, or an event that opens no case)."""
        if before is None:
            pending, self._pending = self._pending, []
        else:
            pending = [p for p in self._pending if p.seq < before]
            self._pending = self._pending[len(pending):]
        if not pending:
            return []
        fresh = store_new_events(session, [(p, p.event, p.received_at) for p in pending],
                                 changes)
        opening = [p for p, _ in fresh if p.event.kind in CASE_KINDS]
        if opening:
            self._open_cases(session, opening, now, changes)
            EventRepo(session).link_many([(event_id, p.case_id or 0) for p, event_id in fresh
                                          if p.case_id is not None])
        return [p.case_id for p in pending]

    def _open_cases(self, session: Session, opening: list[_Pending], now: datetime,
                    changes: Changes) -> None:
        repo = CaseRepo(session)
        numbers = repo.reserve_numbers(now, self.ctx.tz, len(opening))
        drafts = [case_from_signal(self.ctx, p.event, number, now)
                  for p, number in zip(opening, numbers, strict=True)]
        proposals = self._propose_duplicates(repo, drafts)
        columns = [case_columns(c) for c in drafts]
        for i, made in proposals.items():
            columns[i]["duplicate_of"] = made.of_id  # None: a draft of this batch
            columns[i]["duplicate_note"] = made.note
        snapshots = [case_snapshot(c, cols)  # drafts are version 1, as stored
                     for c, cols in zip(drafts, columns, strict=True)]
        ids = repo.insert_rows(drafts, columns)
        # A duplicate of an earlier draft of this batch learns that case's id only now.
        earlier = {i: ids[p.of_index] for i, p in proposals.items() if p.of_index is not None}
        repo.set_duplicate_of([(ids[i], of) for i, of in earlier.items()])
        stored = []
        for i, (draft, case_id) in enumerate(zip(drafts, ids, strict=True)):
            proposal = proposals.get(i)
            if proposal is None:
                stored.append(with_changes(draft, id=case_id))
                continue
            of = earlier.get(i, proposal.of_id)
            snapshots[i]["duplicate_of"] = of
            stored.append(with_changes(draft, id=case_id, duplicate_of=of,
                                       duplicate_note=proposal.note))
        audit.append_many(session, [
            audit.Entry(now, Actor.system(p.event.source), "report", case.id, p.event.title,
                        after=snapshot)
            for p, case, snapshot in zip(opening, stored, snapshots, strict=True)])
        for p, case in zip(opening, stored, strict=True):
            assert case.id is not None
            p.case_id = case.id
            changes.cases[case.id] = case
            changes.new_case_ids.append(case.id)

    def _propose_duplicates(self, repo: CaseRepo, drafts: list[Case]) -> dict[int, _Proposal]:
        """Each draft against the open cases in the database and the earlier drafts of this
        batch, in order, as if they had come one by one: the proposals, by draft index."""
        rule = self.ctx.correlation
        located = [i for i, c in enumerate(drafts) if c.location is not None]
        points = []
        for i in located:
            case = drafts[i]
            assert case.location is not None
            reach = rule.proximity(case.category)
            points.append(Nearby(case.location.lat, case.location.lon, reach.distance_m,
                                 frozenset(rule.related_to(case.category)),
                                 case.reported_at - reach.window))
        in_store = dict(zip(located, repo.open_near_many(points), strict=True))
        grid = _Grid()
        index = {id(c): i for i, c in enumerate(drafts)}
        proposals = {}
        for i in located:
            case = drafts[i]
            reach = rule.proximity(case.category)
            nearby = grid.near(case, reach.distance_m, rule.related_to(case.category),
                               case.reported_at - reach.window)
            matches = rule.matches(case, nearby + in_store[i])
            if not matches:
                grid.add(case)
                continue
            best = matches[0]
            note = (f"疑似与 {best.case.number} 重复："
                    f"{best.reason(self.ctx.catalog.name(best.case.category))}")
            proposals[i] = _Proposal(best.case.id, None if best.case.id is not None
                                     else index[id(best.case)], note)
        return proposals


class _Proposal(NamedTuple):
    """A draft is probably the same as an open case: stored (`of_id`) or an earlier draft of
    the batch (`of_index`), with the reason in words."""

    of_id: int | None
    of_index: int | None
    note: str


class _Grid:
    """The batch's own cases that may be duplicated, by grid cell: a new draft looks only at
    the cells its reach touches, so a batch of hundreds stays linear."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Case]] = {}

    def add(self, case: Case) -> None:
        assert case.location is not None
        self._cells.setdefault(_cell(case.location.lat, case.location.lon), []).append(case)

    def near(self, case: Case, radius_m: float, categories: set[str],
             active_since: datetime) -> list[Case]:
        assert case.location is not None
        box = Nearby(case.location.lat, case.location.lon, radius_m, frozenset(),
                     active_since).box()
        lo, hi = _cell(box["lat_lo"], box["lon_lo"]), _cell(box["lat_hi"], box["lon_hi"])
        found = []
        for i in range(lo[0], hi[0] + 1):
            for j in range(lo[1], hi[1] + 1):
                for other in self._cells.get((i, j), ()):
                    loc = other.location
                    assert loc is not None
                    if (other.category in categories
                            and (other.updated_at or other.reported_at) >= active_since
                            and box["lat_lo"] <= loc.lat <= box["lat_hi"]
                            and box["lon_lo"] <= loc.lon <= box["lon_hi"]):
                        found.append(other)
        found.reverse()  # the most recent first, as the database hands its candidates
        return found


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(lat // _CELL_DEG), int(lon // _CELL_DEG)

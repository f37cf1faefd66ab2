"""Store the events of a batch that are new, once each, and count the rest as duplicates.

Every set the writer stores (signals, readings, officers' fixes, and a single message on the
careful path) starts the same way: the first message of each `(source, source_id)` in the
batch is inserted, the unique index absorbs one stored before, and `Changes` counts what was
stored and what was a repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from commandcenter.domain.event import Event
from commandcenter.services.changes import Changes
from commandcenter.store.repositories import EventKey, EventRepo

T = TypeVar("T")


def store_new_events(session: Session, items: Sequence[tuple[T, Event, datetime]],
                     changes: Changes) -> list[tuple[T, int]]:
    """Insert the events of `(tag, event, received_at)` items in one statement: the tags of
    the events stored now, with their ids, in the items' order."""
    first: dict[EventKey, tuple[T, Event, datetime]] = {}
    for item in items:
        first.setdefault((item[1].source, item[1].source_id), item)
    ids = EventRepo(session).insert_new_many([(event, at) for _, event, at in first.values()])
    fresh = [(tag, ids[key]) for key, (tag, _, _) in first.items() if key in ids]
    changes.events_stored += len(fresh)
    changes.duplicates += len(items) - len(fresh)
    return fresh

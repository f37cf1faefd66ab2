"""The audit log's snapshot of a case: every time as ISO-8601 text, everything else as stored."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

from commandcenter.domain.case import CaseState
from commandcenter.store.mapping import case_columns, case_snapshot
from tests.store.test_repositories import full_case


def test_a_snapshot_holds_every_time_as_text_and_the_rest_as_is() -> None:
    case = full_case()
    later = case.reported_at + timedelta(hours=2)
    case = replace(case, state=CaseState.IN_PROGRESS,  # a running clock: next_due set
                   handled_at=later, closed_at=later, escalated_at=later)
    columns = case_columns(case)
    assert all(v is not None for k, v in columns.items() if k.endswith(("_at", "_due")))
    snapshot = case_snapshot(case)
    assert list(snapshot) == [*columns, "version"]
    for key, value in columns.items():
        expected = value.isoformat() if isinstance(value, datetime) else value
        assert snapshot[key] == expected, key
    assert snapshot["version"] == case.version
    json.dumps(snapshot)  # no datetime left behind

"""settle_memory: what is alive at the call leaves the collector's full passes, and says so."""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterator

import pytest

from commandcenter.memory import settle_memory


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the suite runs with a normal collector


def test_survivors_are_frozen_and_garbage_is_not(unfrozen: None,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    kept = Node()
    Node()  # garbage before the call: collected, not frozen
    before = gc.get_freeze_count()
    with caplog.at_level(logging.INFO, logger="commandcenter.memory"):
        settle_memory("test")
    frozen = gc.get_freeze_count()
    assert frozen > before
    assert all(type(o) is not Node or o is kept for o in gc.get_objects()), \
        "the unreferenced cycle was collected first"
    logged = re.search(r"test: memory settled, (\d+) objects frozen", caplog.text)
    assert logged and int(logged[1]) >= frozen - 100  # a few frozen ones were freed since

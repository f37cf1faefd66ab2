"""Full garbage collections stay short: what the loaded console holds is frozen out of them."""

from __future__ import annotations

import gc

from tests.ui.conftest import ConsoleUnderTest


def test_the_loaded_console_is_frozen_out_of_full_collections(
        console: ConsoleUnderTest) -> None:
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # Qt wrappers, SQLAlchemy, catalogues, the first snapshot
    assert len(gc.get_objects()) < frozen  # a full collection walks only what came since
    console.window.close()  # type: ignore[attr-defined]
    assert gc.get_freeze_count() == 0

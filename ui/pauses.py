"""Keep Python's full garbage collections short in a console that runs all shift.

A full collection walks every object the collector tracks. After start-up that is hundreds of
thousands of them (Qt wrappers, SQLAlchemy's metadata, the catalogues, the first snapshot of
cases), and one walk froze the window for ~100 ms every few seconds under traffic. Once the
window has loaded, what is alive is collected once and then frozen: later full collections
walk only what was made since. Closing the window unfreezes (tests open many windows in one
process, and cycles among frozen objects are never collected).
"""

from __future__ import annotations

import gc


def settle_after_load() -> None:
    gc.collect()
    gc.freeze()


def release_on_close() -> None:
    gc.unfreeze()

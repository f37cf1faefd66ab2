"""PySide6 6.12.0 on Python 3.11 aborted after ~5,000 Signal.emit() calls (DESIGN.md §8)."""

from __future__ import annotations

from ui.qt import QObject, Signal, Slot


class Emitter(QObject):
    fired = Signal(object)


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    @Slot(object)
    def on_fired(self, _value: object) -> None:
        self.count += 1


def test_twenty_thousand_emits_do_not_abort(qtbot: object) -> None:
    emitter, receiver = Emitter(), Receiver()
    emitter.fired.connect(receiver.on_fired)
    for i in range(20_000):
        emitter.fired.emit(i % 2 == 0)  # bools: the crash was in bool_dealloc
    assert receiver.count == 20_000

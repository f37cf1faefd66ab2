"""Whether the console may close now: not silently while orders wait for an absent broker.

Dispatch orders and loudspeaker requests the broker has not acknowledged live only in the
console's memory (`IngestProcess` keeps them for its next child); closing the console loses
them. With the broker there, what is in flight is confirmed while the ingest process stops.
"""

from __future__ import annotations

from commandcenter.ingest.process import IngestProcess
from ui.qt import QCoreApplication, QMessageBox, QWidget


def may_close(parent: QWidget, link: IngestProcess | None) -> bool:
    """True to go on closing; asks the dispatcher first (staying is the default) when orders
    wait for a broker that is away."""
    if link is None or link.state().connected:
        return True
    unsent = link.unconfirmed()
    if not unsent:
        return True
    translate = QCoreApplication.translate
    box = QMessageBox(QMessageBox.Icon.Warning, translate("MainWindow", "指令尚未发出"),
                      translate("MainWindow", "消息服务器断开中，{n} 条派遣指令或喊话请求尚未发出。"
                                "现在退出，它们将不会再发出。").format(n=unsent), parent=parent)
    leave = box.addButton(translate("MainWindow", "仍然退出"),
                          QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton(translate("MainWindow", "不退出"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.exec()
    return box.clickedButton() is leave

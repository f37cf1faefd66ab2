"""远程喊话: warn through the nearest street speaker, see it play, record whether it worked.

Keyboard first: ↑/↓ pick the speaker (nearest first), Tab to the text (a prepared phrase, the
case category's own preselected, or typed), Enter sends. After sending the dialog waits for the
speaker's ack; 劝离成功 (Alt+Y) / 劝离无效 (Alt+N) record the outcome. Every service call runs
off the GUI thread through `run(job, on_done)` (the console's `Bridge.run`).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from commandcenter.domain.case import Case
from commandcenter.domain.errors import KnownError
from commandcenter.domain.speaker import MAX_TEXT, AckStatus, Announcement, Outcome, Speaker
from commandcenter.services.actor import Actor
from commandcenter.services.speakers import SpeakerService
from ui.format import local_time
from ui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
Run = Callable[[Callable[[], Any], Callable[[Any], None]], object]

UI_MAX_REPEAT = 5  # the service takes up to 10; more than 5 in a street is noise
DEFAULT_REPEAT = 3
ACK_POLL_MS = 1000  # also look in the store: an ack the console was not told about still shows
ACK_TIMEOUT_S = 30.0

GREEN, RED, GREY = "#2e7d32", "#c62828", "#555555"
AMBER_BOX = "background:#fff3cd; color:#5d4200; border:1px solid #f9a825; border-radius:4px;"


@dataclass(frozen=True, slots=True)
class Failed:
    """A job that raised: the message the dialog shows instead of its result."""

    message: str
    known: bool


def _safely(job: Callable[[], T]) -> T | Failed:
    """Runs on the worker thread: an exception becomes a message, never a lost callback."""
    try:
        return job()
    except KnownError as exc:
        log.warning("speaker request refused: %s", exc)
        return Failed(str(exc), True)
    except Exception as exc:
        log.exception("speaker request failed")
        return Failed(f"{type(exc).__name__}: {exc}", False)


class SpeakerDialog(QDialog):
    def __init__(self, case: Case, speakers_nearest: list[tuple[Speaker, float]],
                 phrases: list[str], run: Run,
                 on_sent: Callable[[Announcement], None] | None = None, *,
                 service: SpeakerService, actor: Actor, tz: tzinfo | None = None,
                 ack_timeout_s: float = ACK_TIMEOUT_S, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case, self._run, self._on_sent = case, run, on_sent
        self._service, self._actor = service, actor
        self._tz = tz or ZoneInfo("Asia/Shanghai")
        self.announcement: Announcement | None = None  # the latest one sent from here
        self._busy = False
        self._polling = False
        self.setWindowTitle(self.tr("远程喊话 — {number}").format(number=case.number))

        where = " · ".join(p for p in ((case.location.address if case.location else None),
                                       case.street) if p)
        header = QLabel(f"<b>{html.escape(case.title)}</b>"
                        + (f"<br><span style='color:{GREY}'>{html.escape(where)}</span>"
                           if where else ""))
        header.setWordWrap(True)

        self.speakers = QListWidget()
        for speaker, distance in speakers_nearest:
            text = self.tr("{name}　{street}　{distance}").format(
                name=speaker.name, street=speaker.street, distance=self._distance(distance))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, speaker.id)
            self.speakers.addItem(item)
        rows = max(1, min(len(speakers_nearest), 5))
        row_height = max(self.speakers.sizeHintForRow(0), self.fontMetrics().height() + 4)
        self.speakers.setFixedHeight(rows * row_height + 2 * self.speakers.frameWidth() + 4)
        self.speakers.setCurrentRow(0)

        self.phrase = QComboBox()
        self.phrase.setEditable(True)
        self.phrase.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Enter sends, not adds
        self.phrase.addItems(phrases)
        self.phrase.setCurrentIndex(0 if phrases else -1)
        edit = self.phrase.lineEdit()
        assert edit is not None  # editable combobox
        edit.setMaxLength(MAX_TEXT)
        edit.setPlaceholderText(self.tr("选择预设用语，或直接输入喊话内容"))
        self.phrase.setToolTip(self.tr("第一条是本案类别的预设用语；也可改写或输入自定义内容"))
        self.counter = QLabel()
        self.counter.setStyleSheet(f"color:{GREY};")
        self.phrase.currentTextChanged.connect(lambda _t: self._update_buttons())
        text_row = QHBoxLayout()
        text_row.addWidget(self.phrase, 1)
        text_row.addWidget(self.counter)

        self.repeat = QSpinBox()
        self.repeat.setRange(1, UI_MAX_REPEAT)
        self.repeat.setValue(DEFAULT_REPEAT)
        self.repeat.setSuffix(self.tr(" 遍"))
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeat)
        repeat_row.addWidget(QLabel(self.tr("（1–{n} 遍）").format(n=UI_MAX_REPEAT)))
        repeat_row.addStretch(1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field, buddy in ((self.tr("喇叭(&L)："), self.speakers, self.speakers),
                                   (self.tr("喊话内容(&T)："), text_row, self.phrase),
                                   (self.tr("播放次数(&R)："), repeat_row, self.repeat)):
            label = QLabel(text)
            label.setBuddy(buddy)  # Alt+L / Alt+T / Alt+R jump there
            form.addRow(label, field)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(24)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setStyleSheet(f"color:{GREY};")

        self.persuaded_button = QPushButton(self.tr("劝离成功(&Y)"))
        self.not_persuaded_button = QPushButton(self.tr("劝离无效(&N)"))
        self.persuaded_button.clicked.connect(lambda: self._record(Outcome.PERSUADED))
        self.not_persuaded_button.clicked.connect(lambda: self._record(Outcome.NOT_PERSUADED))
        self.outcome = QLabel()
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(QLabel(self.tr("劝离结果：")))
        outcome_row.addWidget(self.persuaded_button)
        outcome_row.addWidget(self.not_persuaded_button)
        outcome_row.addWidget(self.outcome, 1)

        self.send_button = QPushButton(self.tr("发送 (Enter)"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        close_button = QPushButton(self.tr("关闭"))
        close_button.clicked.connect(self.reject)  # as Esc does
        for button in (self.persuaded_button, self.not_persuaded_button, close_button):
            button.setAutoDefault(False)  # Enter only ever sends: never records, never closes
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.send_button)
        bottom.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(outcome_row)
        layout.addWidget(self.history)
        layout.addStretch(1)
        layout.addLayout(bottom)

        self._poll = QTimer(self)
        self._poll.setInterval(ACK_POLL_MS)
        self._poll.timeout.connect(self._poll_ack)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(int(ack_timeout_s * 1000))
        self._timeout.timeout.connect(self._ack_timed_out)
        self.finished.connect(lambda _r: self._stop_waiting())

        if not speakers_nearest:
            self._set_status(self.tr("附近没有登记的喇叭，无法远程喊话"), RED)
        self.resize(620, 0)
        self._update_buttons()
        self.speakers.setFocus()
        self._load_history()

    # --- what the dispatcher chose ---------------------------------------------------------
    def speaker_id(self) -> str | None:
        item = self.speakers.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def text(self) -> str:
        return " ".join(self.phrase.currentText().split())

    def _distance(self, metres: float) -> str:
        if metres < 1000:
            return self.tr("{m} 米").format(m=round(metres))
        return self.tr("{km:.1f} 公里").format(km=metres / 1000)

    def _update_buttons(self) -> None:
        n = len(self.text())
        self.counter.setText(f"{n}/{MAX_TEXT}")
        waiting = self.announcement is not None and self._polling_active()
        self.send_button.setEnabled(not self._busy and not waiting and n > 0
                                    and self.speaker_id() is not None)
        can_record = (self.announcement is not None and not self._busy
                      and self.announcement.ack_status is not AckStatus.FAILED)
        self.persuaded_button.setEnabled(can_record)
        self.not_persuaded_button.setEnabled(can_record)

    def _set_status(self, text: str, colour: str, *, boxed: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"{AMBER_BOX} padding:4px;" if boxed
                                  else f"color:{colour}; font-weight:bold;")

    # --- sending and the ack ---------------------------------------------------------------
    def send(self) -> None:
        speaker_id, text, repeat = self.speaker_id(), self.text(), self.repeat.value()
        if not self.send_button.isEnabled() or speaker_id is None:
            return
        self._busy = True
        self._set_status(self.tr("正在发送…"), GREY)
        self._update_buttons()
        service, case_id, actor = self._service, self.case.id or 0, self._actor
        self._run(lambda: _safely(lambda: service.say(case_id, speaker_id, text, repeat, actor)),
                  self._on_sent_done)

    def _on_sent_done(self, result: Announcement | Failed) -> None:
        self._busy = False
        if isinstance(result, Failed):
            prefix = self.tr("发送失败：") if result.known else self.tr("内部错误：")
            self._set_status(prefix + result.message, RED)
            self._update_buttons()
            return
        self.announcement = result
        self.outcome.clear()
        self._set_status(self.tr("已发送，等待喇叭确认…"), GREY)
        self.send_button.setText(self.tr("再次发送 (Enter)"))
        self._poll.start()
        self._timeout.start()
        self._update_buttons()
        if self._on_sent is not None:
            self._on_sent(result)

    def acknowledged(self, request_id: str, at: datetime | None = None,
                     status: AckStatus | str = AckStatus.PLAYED) -> bool:
        """The console heard the speaker's ack (or the store has it). False if it is not ours."""
        if self.announcement is None or self.announcement.request_id != request_id:
            return False
        self._stop_waiting()
        ack = AckStatus(status)
        when = local_time(at, self._tz) if at is not None else ""
        self.announcement = replace(self.announcement, ack_status=ack, acked_at=at)
        if ack is AckStatus.PLAYED:
            self._set_status(self.tr("喇叭已播放 {time}").format(time=when).strip(), GREEN)
        else:
            self._set_status(self.tr("喇叭播放失败 {time}，请检查喇叭后重新发送")
                             .format(time=when), RED)
        self._update_buttons()
        return True

    def _polling_active(self) -> bool:
        return self._timeout.isActive()

    def _stop_waiting(self) -> None:
        self._poll.stop()
        self._timeout.stop()

    def _poll_ack(self) -> None:
        if self._polling or self.announcement is None:
            return
        self._polling = True
        service, request_id = self._service, self.announcement.request_id
        self._run(lambda: _safely(lambda: service.get(request_id)), self._on_polled)

    def _on_polled(self, result: Announcement | Failed) -> None:
        self._polling = False
        if isinstance(result, Failed) or result.ack_status is None:
            return  # keep waiting; the timeout says when to give up
        if self._polling_active():
            self.acknowledged(result.request_id, result.acked_at, result.ack_status)

    def _ack_timed_out(self) -> None:
        self._poll.stop()
        seconds = max(1, round(self._timeout.interval() / 1000))
        self._set_status(self.tr("{s} 秒内未收到喇叭确认：喇叭可能离线或网络中断。"
                                 "可以再次发送或改用其他喇叭").format(s=seconds), "", boxed=True)
        self._update_buttons()

    # --- the outcome -----------------------------------------------------------------------
    def _record(self, outcome: Outcome) -> None:
        if self.announcement is None or self._busy:
            return
        self._busy = True
        self._update_buttons()
        service, request_id, actor = self._service, self.announcement.request_id, self._actor
        self._run(lambda: _safely(lambda: service.record_outcome(request_id, outcome, actor)),
                  self._on_recorded)

    def _on_recorded(self, result: Announcement | Failed) -> None:
        self._busy = False
        if isinstance(result, Failed):
            self.outcome.setText(html.escape(result.message))
            self.outcome.setStyleSheet(f"color:{RED};")
        else:
            current = self.announcement
            if current is not None and current.request_id == result.request_id:
                # keep the ack this dialog already shows (the store may not have it yet)
                self.announcement = replace(result,
                                            ack_status=current.ack_status or result.ack_status,
                                            acked_at=current.acked_at or result.acked_at)
            persuaded = result.outcome is Outcome.PERSUADED
            name = self.tr("劝离成功") if persuaded else self.tr("劝离无效")
            self.outcome.setText(self.tr("已记录：{outcome} {time}").format(
                outcome=name, time=local_time(result.outcome_at, self._tz)))
            colour = GREEN if persuaded else GREY
            self.outcome.setStyleSheet(f"color:{colour}; font-weight:bold;")
        self._update_buttons()

    # --- earlier warnings of this case (as of opening: this dialog shows its own) ----------
    def _load_history(self) -> None:
        service, case_id = self._service, self.case.id or 0
        self._run(lambda: _safely(lambda: service.history(case_id)), self._on_history)

    def _on_history(self, result: list[Announcement] | Failed) -> None:
        if isinstance(result, Failed) or not result:
            self.history.setText(self.tr("本案此前未喊话") if not isinstance(result, Failed)
                                 else self.tr("无法读取喊话记录：{error}").format(
                                     error=result.message))
            return
        last = result[-1]
        outcome = {Outcome.PERSUADED: self.tr("劝离成功"),
                   Outcome.NOT_PERSUADED: self.tr("劝离无效"),
                   None: self.tr("未记录结果")}[last.outcome]
        when = local_time(last.sent_at, self._tz, with_date=True)
        self.history.setText(
            self.tr("本案此前已喊话 {n} 次，最近一次 {time}：“{text}”（{outcome}）")
            .format(n=len(result), time=when, text=last.text, outcome=outcome))

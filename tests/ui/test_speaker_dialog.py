"""The 远程喊话 dialog over a real SQLite hall and the real speaker service, driven by keyboard."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

import commandcenter.store.speaker_schema  # noqa: F401  (until schema.py imports it)
from commandcenter.config import Settings
from commandcenter.domain.case import Case
from commandcenter.domain.speaker import Announcement, Outcome, Speaker
from commandcenter.hall import Hall, open_hall
from commandcenter.ingest.message import InboundMessage
from commandcenter.services.actor import DISPATCHER, Actor
from commandcenter.services.speakers import SpeakerService
from tests.conftest import FakeClock, event_payload
from ui.qt import Qt
from ui.speaker_dialog import SpeakerDialog

LI = Actor("user:li", "李调度", frozenset({DISPATCHER}))


def run_now(job: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
    """The threading seam made synchronous: the job still runs for real, just on this thread."""
    on_done(job())


@dataclass
class Setup:
    hall: Hall
    service: SpeakerService
    case: Case
    published: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sent: list[Announcement] = field(default_factory=list)

    def dialog(self, qtbot: Any, *, run: Any = run_now, ack_timeout_s: float = 30.0,
               speakers: list[tuple[Speaker, float]] | None = None) -> SpeakerDialog:
        dlg = SpeakerDialog(self.case, self.service.nearest(self.case) if speakers is None
                            else speakers, self.service.phrases_for(self.case.category), run,
                            self.sent.append, service=self.service, actor=LI,
                            tz=self.hall.ctx.tz, ack_timeout_s=ack_timeout_s)
        qtbot.addWidget(dlg)
        with qtbot.waitActive(dlg):  # mnemonics (Alt+Y) and focus need the active window
            dlg.show()
            dlg.activateWindow()
        return dlg

    def speaker_acks(self, request_id: str, status: str = "played",
                     ts: str = "2026-11-28T17:00:09+08:00") -> Announcement:
        """What the ingest will do with the speaker's reply on cc/v1/speaker/<id>/ack."""
        speaker_id = self.published[-1][0].split("/")[-2]
        body = {"request_id": request_id, "status": status, "ts": ts}
        return self.service.acknowledge(speaker_id, json.dumps(body).encode())


@pytest.fixture
def setup(sqlite_url: str, clock: FakeClock) -> Iterator[Setup]:
    hall = open_hall(Settings(db_url=sqlite_url))
    hall.ctx.clock = clock
    service = SpeakerService(hall.ctx, hall.outbox)
    (case_id,) = hall.ingest.process_now(
        [InboundMessage("cc/v1/event/suishoupai", event_payload(), clock.now)]).new_case_ids
    out = Setup(hall, service, hall.cases.detail(case_id).case)
    hall.outbox.set_publisher(lambda t, p: out.published.append((t, json.loads(p))))
    yield out
    hall.close()


def test_nearest_speaker_first_with_distance_and_the_category_phrase(
        qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    assert dlg.windowTitle() == f"远程喊话 — {setup.case.number}"
    rows = [dlg.speakers.item(i).text() for i in range(dlg.speakers.count())]
    assert rows == ["钟秀农贸市场　钟秀街道　700 米",
                    "怡园北村农贸市场门口　和平桥街道　1.6 公里",
                    "南大街北口　和平桥街道　2.1 公里"]
    assert dlg.speaker_id() == "spk-09" and dlg.speakers.hasFocus()
    assert dlg.phrase.currentText() == "请勿占道经营，请立即整改"  # the case is 0501
    assert dlg.counter.text() == "12/200" and dlg.repeat.value() == 3
    assert dlg.send_button.isEnabled() and dlg.send_button.isDefault()
    assert not dlg.persuaded_button.isEnabled() and not dlg.not_persuaded_button.isEnabled()
    assert dlg.history.text() == "本案此前未喊话"


def test_enter_sends_once_and_the_ack_shows_played(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Down)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    (ann,) = setup.sent
    assert setup.published == [("cc/v1/speaker/spk-01/say", {
        "request_id": ann.request_id, "text": "请勿占道经营，请立即整改", "repeat": 3})]
    assert dlg.status.text() == "已发送，等待喇叭确认…"
    assert dlg.send_button.text() == "再次发送 (Enter)"
    assert not dlg.send_button.isEnabled(), "a second Enter must not send again while waiting"
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    assert len(setup.published) == 1

    acked = setup.speaker_acks(ann.request_id)
    assert not dlg.acknowledged("someone-elses-request", acked.acked_at)
    assert dlg.acknowledged(ann.request_id, acked.acked_at, acked.ack_status)
    assert dlg.status.text() == "喇叭已播放 17:00:09"
    assert dlg.send_button.isEnabled()


def test_the_ack_is_found_in_the_store_without_being_told(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    setup.speaker_acks(setup.sent[0].request_id, ts="2026-11-28T17:00:12+08:00")
    qtbot.waitUntil(lambda: dlg.status.text() == "喇叭已播放 17:00:12", timeout=5000)


def test_typed_text_and_repeat_are_sent(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Tab)
    assert dlg.phrase.hasFocus()
    dlg.phrase.lineEdit().selectAll()
    # Chinese arrives from the input method as committed text (QTest types only ASCII).
    dlg.phrase.lineEdit().insert("三轮车请立即离开北门")
    assert dlg.counter.text() == "10/200"
    qtbot.keyClick(dlg.phrase.lineEdit(), Qt.Key.Key_Tab)
    assert dlg.repeat.hasFocus()
    qtbot.keyClick(dlg.repeat, Qt.Key.Key_Up)
    qtbot.keyClick(dlg.repeat, Qt.Key.Key_Up)
    qtbot.keyClick(dlg.repeat, Qt.Key.Key_Up)  # capped at 5
    qtbot.keyClick(dlg.repeat, Qt.Key.Key_Return)
    assert [body for _t, body in setup.published] == [
        {"request_id": setup.sent[0].request_id, "text": "三轮车请立即离开北门", "repeat": 5}]
    assert dlg.phrase.count() == len(setup.service.phrases_for("0501")), "Enter added no item"


def test_choosing_another_prepared_phrase(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    dlg.phrase.setFocus()
    qtbot.keyClick(dlg.phrase, Qt.Key.Key_Down)
    assert dlg.phrase.currentText() == "流动摊贩请勿在此处经营，请立即离开"
    qtbot.keyClick(dlg.phrase, Qt.Key.Key_Return)
    assert setup.published[0][1]["text"] == "流动摊贩请勿在此处经营，请立即离开"


def test_outcome_buttons_record_and_the_count_follows(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    assert dlg.persuaded_button.isEnabled()
    qtbot.keyClick(dlg, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # an animated click
    qtbot.waitUntil(lambda: dlg.outcome.text() == "已记录：劝离成功 17:00:00")
    assert setup.service.history(setup.case.id or 0)[0].outcome is Outcome.PERSUADED
    assert setup.service.persuasion_counts(2026) == {
        "total": 1, "by_category": {"0501": 1}, "by_street": {"钟秀街道": 1}}
    qtbot.keyClick(dlg, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # a correction
    qtbot.waitUntil(lambda: dlg.outcome.text() == "已记录：劝离无效 17:00:00")
    assert setup.service.persuasion_counts(2026)["total"] == 0


def test_no_ack_in_time_says_so_and_allows_a_resend(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot, ack_timeout_s=0.2)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "未收到喇叭确认" in dlg.status.text(), timeout=3000)
    assert dlg.send_button.isEnabled()
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    assert len(setup.published) == 2


def test_a_failed_play_is_shown_and_takes_no_outcome(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    failed = setup.speaker_acks(setup.sent[0].request_id, status="failed")
    dlg.acknowledged(failed.request_id, failed.acked_at, failed.ack_status)
    assert dlg.status.text() == "喇叭播放失败 17:00:09，请检查喇叭后重新发送"
    assert not dlg.persuaded_button.isEnabled() and dlg.send_button.isEnabled()


def test_a_refused_request_shows_the_reason(qtbot: Any, setup: Setup) -> None:
    ghost = Speaker("spk-99", "已拆除的喇叭", 32.03, 120.87, "钟秀街道")
    dlg = setup.dialog(qtbot, speakers=[(ghost, 12.0)])
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    assert dlg.status.text() == "发送失败：喇叭 spk-99 不在喇叭登记表中（speakers.toml）"
    assert setup.published == [] and dlg.send_button.isEnabled()
    assert not dlg.persuaded_button.isEnabled()


def test_empty_text_or_no_speaker_cannot_send(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    dlg.phrase.lineEdit().clear()
    assert dlg.counter.text() == "0/200" and not dlg.send_button.isEnabled()
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    assert setup.published == []

    none = setup.dialog(qtbot, speakers=[])
    assert none.status.text() == "附近没有登记的喇叭，无法远程喊话"
    assert not none.send_button.isEnabled()


def test_earlier_warnings_of_the_case_are_shown(qtbot: Any, setup: Setup) -> None:
    earlier = setup.service.say(setup.case.id or 0, "spk-09", "请勿占道经营", 2, LI)
    setup.service.record_outcome(earlier.request_id, Outcome.NOT_PERSUADED, LI)
    dlg = setup.dialog(qtbot)
    assert dlg.history.text() == ("本案此前已喊话 1 次，最近一次 11-28 17:00:00："
                                  "“请勿占道经营”（劝离无效）")


def test_escape_closes_and_stops_waiting(qtbot: Any, setup: Setup) -> None:
    dlg = setup.dialog(qtbot)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
    qtbot.keyClick(dlg.speakers, Qt.Key.Key_Escape)
    assert not dlg.isVisible()
    assert not dlg._poll.isActive() and not dlg._timeout.isActive()


def test_works_through_the_console_bridge(qtbot: Any, setup: Setup) -> None:
    import threading

    from ui.bridge import Bridge

    bridge = Bridge()
    try:
        dlg = setup.dialog(qtbot, run=bridge.run)
        qtbot.waitUntil(lambda: dlg.history.text() == "本案此前未喊话")
        qtbot.keyClick(dlg.speakers, Qt.Key.Key_Return)
        assert dlg.status.text() == "正在发送…" and not dlg.send_button.isEnabled()
        qtbot.waitUntil(lambda: dlg.status.text() == "已发送，等待喇叭确认…")
        assert threading.current_thread() is threading.main_thread()
        setup.speaker_acks(setup.sent[0].request_id)
        qtbot.waitUntil(lambda: dlg.status.text() == "喇叭已播放 17:00:09", timeout=5000)
        dlg.close()
    finally:
        bridge.shutdown()

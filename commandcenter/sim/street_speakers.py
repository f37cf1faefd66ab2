"""Simulated street loudspeakers: play a warning a few seconds after the hall sends it, then ack.

The hall's `say` request goes out through the outbox like any other; the rehearsal hands it here
and the acknowledgement comes back through `SpeakerService.acknowledge`, as a speaker's reply on
`cc/v1/speaker/<id>/ack` would (DESIGN.md §4).
"""

from __future__ import annotations

import heapq
import json
import logging
import random
from datetime import datetime, timedelta

from commandcenter.domain.errors import KnownError
from commandcenter.services.speakers import SpeakerService
from commandcenter.sim.wire import dumps, iso

log = logging.getLogger(__name__)

PLAY_DELAY_S = (4.0, 15.0)  # network, text-to-speech and the first play


class SimulatedSpeakers:
    def __init__(self, service: SpeakerService, rng: random.Random, *,
                 fail_share: float = 0.0) -> None:
        self.service = service
        self.rng = rng
        self.fail_share = fail_share
        self._due: list[tuple[datetime, int, str, str, str]] = []
        self._seq = 0

    def on_say(self, speaker_id: str, payload: bytes, now: datetime) -> None:
        """The hall published `say` to `speaker_id`; the speaker answers a little later."""
        request_id = json.loads(payload.decode("utf-8"))["request_id"]
        status = "failed" if self.rng.random() < self.fail_share else "played"
        due = now + timedelta(seconds=self.rng.uniform(*PLAY_DELAY_S))
        self._seq += 1
        heapq.heappush(self._due, (due, self._seq, speaker_id, request_id, status))

    def step(self, now: datetime) -> None:
        while self._due and self._due[0][0] <= now:
            due, _, speaker_id, request_id, status = heapq.heappop(self._due)
            ack = dumps({"request_id": request_id, "status": status, "ts": iso(due)})
            try:
                self.service.acknowledge(speaker_id, ack)
            except KnownError as exc:  # e.g. the speaker left the registry meanwhile
                log.warning("simulated speaker %s: ack refused: %s", speaker_id, exc)

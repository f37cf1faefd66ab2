"""Outbound messages (dispatch orders, loudspeaker requests, sync notices).

Services queue them inside the unit of work and they are sent only after the commit, so an
officer is never sent a case the database does not have.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Publisher = Callable[[str, bytes], None]


class Outbox:
    def __init__(self, publisher: Publisher | None = None) -> None:
        self._publisher = publisher
        self._lock = threading.Lock()

    def set_publisher(self, publisher: Publisher | None) -> None:
        with self._lock:
            self._publisher = publisher

    def send(self, messages: list[tuple[str, dict[str, Any]]]) -> None:
        with self._lock:
            publisher = self._publisher
        for topic, body in messages:
            payload = json.dumps(body, ensure_ascii=False).encode()
            if publisher is None:
                log.warning("no outbound link: %s not sent", topic)
                continue
            try:
                publisher(topic, payload)
            except Exception:  # a broken link must not undo a committed action
                log.exception("sending %s failed", topic)

"""Poll an Open311 platform on an interval and hand each new request to the ingest path.

The poller publishes `cc.event/1` bytes on `<prefix>/event/open311` through a sink (the MQTT
client, or the inbox queue in embedded mode), so a platform's report is decoded, deduplicated,
stored and quarantined exactly like one from the broker. It remembers the newest
`updated_datetime` it has handed on (platform time, so a skewed local clock loses nothing) in a
small JSON file; a poll that fails hands on nothing and does not move it, so the next poll
retries the same span — repeats are absorbed by the (source, source_id) dedup.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from commandcenter.ingest.decode import RejectedMessage
from commandcenter.ingest.open311.client import Open311Client, Open311Error
from commandcenter.ingest.open311.convert import (
    DEFAULT_MAPPING,
    ServiceMapping,
    request_to_event,
    updated_at,
)

log = logging.getLogger(__name__)

Sink = Callable[[str, bytes], None]
RejectSink = Callable[[bytes, RejectedMessage], None]
STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class PollResult:
    emitted: int
    rejected: int
    since: datetime  # where the next poll starts


class Open311Poller:
    def __init__(
        self,
        client: Open311Client,
        sink: Sink,
        *,
        state_path: str | Path,
        interval_s: float = 60.0,
        prefix: str = "cc/v1",
        mapping: ServiceMapping = DEFAULT_MAPPING,
        on_reject: RejectSink | None = None,
        initial_lookback: timedelta = timedelta(days=1),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """`on_reject` receives each unusable request (raw JSON bytes and the reason) for the
        quarantine; without it they are logged. `initial_lookback` is how far back the first
        poll of a new installation reaches."""
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self.client = client
        self.sink = sink
        self.state_path = Path(state_path)
        self.interval_s = interval_s
        self.topic = f"{prefix.strip('/')}/event/open311"
        self.mapping = mapping
        self.on_reject = on_reject or _log_reject
        self._clock = clock
        self._since, self._seen = self._load(initial_lookback)
        self._stop = threading.Event()
        self._polling = threading.Lock()  # the thread and a "poll now" button never overlap
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None  # for the status bar: why the platform is not read
        self.last_success: datetime | None = None

    @property
    def since(self) -> datetime:
        return self._since

    def poll_once(self) -> PollResult:
        """Fetch everything changed since the last poll, then hand it on, then save the state.

        Raises `Open311Error` (nothing handed on, state unchanged) when the platform fails.
        """
        with self._polling:
            return self._poll()

    def _poll(self) -> PollResult:
        items = list(self.client.fetch_updated(self._since))
        now = self._clock()
        accepted: list[bytes] = []
        refused: list[tuple[bytes, RejectedMessage]] = []
        newest, newest_ids = self._since, set(self._seen)
        for item in items:
            stamp = updated_at(item)
            request_id = str(item.get("service_request_id"))
            if stamp is not None and (stamp < self._since
                                      or (stamp == self._since and request_id in self._seen)):
                continue  # handed on by an earlier poll
            try:
                event = request_to_event(item, received_at=now, mapping=self.mapping)
            except RejectedMessage as exc:
                refused.append((_dumps(item), exc))
            else:
                accepted.append(_dumps(event.to_json(with_raw=True)))
            if stamp is not None and stamp > newest:
                newest, newest_ids = stamp, {request_id}
            elif stamp is not None and stamp == newest:
                newest_ids.add(request_id)
        for payload in accepted:
            self.sink(self.topic, payload)
        for raw, reason in refused:
            self.on_reject(raw, reason)
        self._save(newest, newest_ids)
        self._since, self._seen = newest, newest_ids
        self.last_success, self.last_error = now, None
        return PollResult(len(accepted), len(refused), newest)

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the Open311 poller is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="open311-poller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop after the current poll (a poll in its retries can take `timeout`s to end)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                result = self.poll_once()
                if result.emitted or result.rejected:
                    log.info("Open311: %d new, %d refused", result.emitted, result.rejected)
            except Open311Error as exc:
                self.last_error = str(exc)
                log.warning("%s", exc)
            except Exception as exc:  # a bug must not end polling for the rest of the shift
                self.last_error = f"internal error: {exc}"
                log.exception("Open311 poll failed")
            self._stop.wait(self.interval_s)

    def _load(self, lookback: timedelta) -> tuple[datetime, set[str]]:
        fresh = (self._clock() - lookback, set[str]())
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return fresh
        except (OSError, ValueError) as exc:
            log.warning("Open311 state %s is unreadable (%s); starting %s back",
                        self.state_path, exc, lookback)
            return fresh
        try:
            if not isinstance(data, Mapping) or data.get("version") != STATE_VERSION:
                raise ValueError("not a version-1 state")
            since = datetime.fromisoformat(str(data["since"]))
            if since.tzinfo is None:
                raise ValueError("since has no offset")
            seen = {str(i) for i in data.get("seen", [])}
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("Open311 state %s is unusable (%s); starting %s back",
                        self.state_path, exc, lookback)
            return fresh
        return since, seen

    def _save(self, since: datetime, seen: set[str]) -> None:
        """Write-then-rename, so a crash mid-write leaves the previous state, not half a file."""
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        tmp.write_text(json.dumps({"version": STATE_VERSION, "since": since.isoformat(),
                                   "seen": sorted(seen)}), encoding="utf-8")
        os.replace(tmp, self.state_path)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _log_reject(raw: bytes, exc: RejectedMessage) -> None:
    log.warning("Open311 request refused (%s): %s", exc.code, exc.reason)

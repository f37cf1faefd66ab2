"""The hall's HJ 212 TCP gateway: devices connect, frames are checked, answered and published.

Each good frame goes to MQTT `<prefix>/hj212/<MN>` as the raw bytes received, for the ingest to
turn into readings (DESIGN.md §4); each rejected one goes to `<prefix>/hj212/_rejected` as JSON
`{peer, reason, code, size, raw_b64, at}` so the supervisor's quarantine sees it. A frame is
answered (9014) only after it was handed to the publisher: an unanswered device resends, so a
broken broker link loses nothing. One asyncio task per connection; a device that sends garbage,
stops mid-frame, floods or falls silent costs only its own connection.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from commandcenter.domain.errors import KnownError
from commandcenter.ingest.hj212.errors import Hj212Error
from commandcenter.ingest.hj212.frame import parse_frame
from commandcenter.ingest.hj212.mode import STRICT, Mode
from commandcenter.ingest.hj212.reply import build_reply
from commandcenter.ingest.hj212.splitter import DEFAULT_MAX_FRAME, Chunk, Discard, FrameSplitter

log = logging.getLogger(__name__)

READ_SIZE = 64 * 1024
DEFAULT_READ_TIMEOUT = 900.0  # s; devices report every minute or so, and reconnect when cut
REJECTED_TOPIC = "_rejected"
_MN = re.compile(rb"MN=([0-9A-Za-z][0-9A-Za-z_-]{0,23});")

Publish = Callable[[str, bytes], None]


class GatewayConfigError(KnownError):
    pass


@dataclass(frozen=True, slots=True)
class GatewayStats:
    connections: int  # accepted since start
    open_connections: int
    frames_ok: int  # validated and published
    replies: int  # 9014 answers sent
    rejected: Mapping[str, int]  # by reason code (crc, length, garbage, truncated, …)
    deviations: Mapping[str, int]  # accepted by lenient devices, by deviation
    idle_timeouts: int
    publish_failures: int

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


class Hj212Gateway:
    def __init__(self, host: str, port: int, publish: Publish, *, prefix: str = "cc/v1",
                 modes: Mapping[str, Mode] | None = None, default_mode: Mode = STRICT,
                 max_frame: int = DEFAULT_MAX_FRAME,
                 read_timeout: float = DEFAULT_READ_TIMEOUT,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.host = host
        self.port = port  # the bound port after start() (useful with port 0)
        self.publish = publish
        self.prefix = prefix
        self.modes = dict(modes or {})
        self.default_mode = default_mode
        self.max_frame = max_frame
        self.read_timeout = read_timeout
        self.clock = clock
        self._server: asyncio.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._connections = 0
        self._frames_ok = 0
        self._replies = 0
        self._rejected: Counter[str] = Counter()
        self._deviations: Counter[str] = Counter()
        self._idle = 0
        self._publish_failures = 0

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Bind and start accepting; returns once the port is open."""
        self._loop = asyncio.get_running_loop()
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        log.info("HJ 212 gateway listening on %s:%d, publishing under %s/hj212", self.host,
                 self.port, self.prefix)

    async def serve_forever(self) -> None:
        """Serve until `close()` or `request_stop()`."""
        if self._server is None:
            await self.start()
        await self._stopped.wait()

    async def close(self) -> None:
        """Stop accepting, end every connection, and wake `serve_forever()`."""
        if self._server is not None:
            self._server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
        self._stopped.set()

    def request_stop(self) -> None:
        """Thread-safe: ask a running `serve_forever()` to return (from a signal or a test)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)

    def stats(self) -> GatewayStats:
        return GatewayStats(self._connections, len(self._tasks), self._frames_ok, self._replies,
                            dict(self._rejected), dict(self._deviations), self._idle,
                            self._publish_failures)

    # --- one connection ----------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None  # a stream callback always runs in a task
        self._tasks.add(task)
        self._connections += 1
        peer = _peer(writer)
        splitter = FrameSplitter(self.max_frame)
        log.info("HJ 212 device connected from %s", peer)
        try:
            ending = await self._pump(peer, reader, writer, splitter)
            for discard in splitter.finish(ending):
                self._reject(peer, discard.code, discard.reason, discard.sample, discard.size)
            log.info("HJ 212 connection from %s ended: %s", peer, ending)
        except Exception:
            log.exception("HJ 212 connection from %s failed", peer)
        finally:
            self._tasks.discard(task)
            writer.close()
            try:
                await writer.wait_closed()
            except ConnectionError as exc:
                log.debug("closing %s: %s", peer, exc)

    async def _pump(self, peer: str, reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter, splitter: FrameSplitter) -> str:
        """Read until the device hangs up, falls silent or breaks the connection; say which."""
        while True:
            try:
                data = await asyncio.wait_for(reader.read(READ_SIZE), self.read_timeout)
            except TimeoutError:
                self._idle += 1
                return f"idle for {self.read_timeout:g} s"
            except ConnectionError as exc:
                return f"connection lost ({exc.__class__.__name__})"
            if not data:
                return "device closed the connection"
            for item in splitter.feed(data):
                if isinstance(item, Discard):
                    self._reject(peer, item.code, item.reason, item.sample, item.size)
                elif not await self._frame(peer, item, writer):
                    return "connection lost while answering"

    async def _frame(self, peer: str, chunk: Chunk, writer: asyncio.StreamWriter) -> bool:
        """Validate, publish and answer one frame; False when the answer could not be sent."""
        raw = chunk.raw
        try:
            parsed = parse_frame(raw, mode=self._mode_for(raw), received_at=self.clock())
        except Hj212Error as exc:
            self._reject(peer, exc.code, str(exc), raw, len(raw))
            return True
        frame = parsed.frame
        for deviation, count in parsed.deviations.items():
            self._deviations[deviation.value] += count
        if parsed.deviations:
            log.info("HJ 212 %s (%s): accepted deviations %s", frame.mn, peer,
                     ", ".join(f"{d.value}×{n}" for d, n in parsed.deviations.items()))
        for note in parsed.notes:
            log.info("HJ 212 %s (%s): %s", frame.mn, peer, note)
        try:
            self.publish(f"{self.prefix}/hj212/{frame.mn}", raw)
        except Exception:
            self._publish_failures += 1
            log.exception("HJ 212 %s: publishing failed; not answering so the device resends",
                          frame.mn)
            return True
        self._frames_ok += 1
        reply = build_reply(frame)
        if reply is None:
            return True
        try:
            writer.write(reply)
            await asyncio.wait_for(writer.drain(), self.read_timeout)
        except (ConnectionError, TimeoutError) as exc:
            log.info("HJ 212 %s (%s): answer not delivered: %r", frame.mn, peer, exc)
            return False
        self._replies += 1
        return True

    def _mode_for(self, raw: bytes) -> Mode:
        """The device's mode, found by a cheap look at its MN before the real parse."""
        found = _MN.search(raw)
        if found is None:
            return self.default_mode
        return self.modes.get(found.group(1).decode("ascii"), self.default_mode)

    def _reject(self, peer: str, code: str, reason: str, sample: bytes, size: int) -> None:
        self._rejected[code] += 1
        log.warning("HJ 212 input from %s rejected (%s): %s", peer, code, reason)
        record = {"peer": peer, "reason": reason, "code": code, "size": size,
                  "raw_b64": base64.b64encode(sample).decode("ascii"),
                  "at": self.clock().isoformat()}
        try:
            self.publish(f"{self.prefix}/hj212/{REJECTED_TOPIC}",
                         json.dumps(record, ensure_ascii=False).encode("utf-8"))
        except Exception:
            self._publish_failures += 1
            log.exception("HJ 212: publishing a rejection from %s failed", peer)


def _peer(writer: asyncio.StreamWriter) -> str:
    name = writer.get_extra_info("peername")
    if isinstance(name, tuple) and len(name) >= 2:
        host = str(name[0])
        return f"[{host}]:{name[1]}" if ":" in host else f"{host}:{name[1]}"
    return str(name)


def parse_listen(text: str) -> tuple[str, int]:
    """`host:port`, `[::]:port` or `:port` (all interfaces) → (host, port)."""
    host, sep, port_text = text.strip().rpartition(":")
    if not sep or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise GatewayConfigError(f"监听地址应为 主机:端口（例如 0.0.0.0:6000）：{text!r}")
    host = host.strip("[]") or "0.0.0.0"
    return host, int(port_text)


def run_gateway(listen: str, broker_publish: Publish, *, prefix: str = "cc/v1",
                modes: Mapping[str, Mode] | None = None, default_mode: Mode = STRICT,
                max_frame: int = DEFAULT_MAX_FRAME, read_timeout: float = DEFAULT_READ_TIMEOUT,
                ready: Callable[[Hj212Gateway], None] | None = None) -> GatewayStats:
    """Run the gateway in the calling thread until Ctrl+C (or `request_stop()`); the CLI's
    `gateway hj212`. `ready` is told the started gateway (its bound port, a handle to stop it).
    """
    host, port = parse_listen(listen)
    gateway = Hj212Gateway(host, port, broker_publish, prefix=prefix, modes=modes,
                           default_mode=default_mode, max_frame=max_frame,
                           read_timeout=read_timeout)

    async def main() -> None:
        await gateway.start()
        if ready is not None:
            ready(gateway)
        try:
            await gateway.serve_forever()
        finally:
            await gateway.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        log.info("HJ 212 gateway stopped by the operator")
    stats = gateway.stats()
    log.info("HJ 212 gateway: %d connections, %d frames published, %d rejected",
             stats.connections, stats.frames_ok, stats.rejected_total)
    return stats

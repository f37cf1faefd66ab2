"""The gateway over real TCP on 127.0.0.1: many devices, answers, garbage, floods, silence.

The publish callable collecting into a list is the gateway's real seam (in production it is
`MqttLink.publish`); everything else — sockets, framing, timeouts — is the real thing.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import pytest

from commandcenter.ingest.hj212 import Hj212Gateway, Lenient, parse_frame, parse_listen
from commandcenter.ingest.hj212.gateway import GatewayConfigError
from tests.ingest.hj212.builders import MN, frame, oil_2011, oil_2051

T = TypeVar("T")
REJECTED = "cc/v1/hj212/_rejected"


class Published:
    """What the gateway handed to the broker, in order."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, bytes]] = []
        self.fail_frames = False

    def __call__(self, topic: str, payload: bytes) -> None:
        if self.fail_frames and topic != REJECTED:
            raise ConnectionError("broker queue unavailable")
        self.messages.append((topic, payload))

    def frames(self) -> list[tuple[str, bytes]]:
        return [(t, p) for t, p in self.messages if t != REJECTED]

    def rejected(self) -> list[dict[str, Any]]:
        return [json.loads(p) for t, p in self.messages if t == REJECTED]


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coro, 60))


async def eventually(predicate: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def with_gateway(body: Callable[[Hj212Gateway, Published], Awaitable[None]],
                       **options: Any) -> Hj212Gateway:
    published = Published()
    gateway = Hj212Gateway("127.0.0.1", 0, published, **options)
    await gateway.start()
    assert gateway.port != 0
    try:
        await body(gateway, published)
    finally:
        await gateway.close()
    return gateway


class Device:
    """A monitor on the other end of a real TCP connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, gateway: Hj212Gateway) -> Device:
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        return cls(reader, writer)

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def answer(self, timeout: float = 5.0) -> bytes:
        return await asyncio.wait_for(self.reader.readuntil(b"\r\n"), timeout)

    async def close(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except ConnectionError:
            pass


def test_many_devices_at_once_each_get_their_answers() -> None:
    devices, per_device = 25, 8

    async def one(gateway: Hj212Gateway, n: int) -> list[str]:
        device = await Device.connect(gateway)
        qns = []
        for i in range(per_device):
            qn = f"2026112816{n:02d}{i:02d}000"
            raw = oil_2011(mn=f"DEV{n:03d}", qn=qn)
            if n % 5 == 0:  # some devices dribble their frames byte by byte
                for b in raw:
                    await device.send(bytes([b]))
            else:
                await device.send(raw)
            answer = parse_frame(await device.answer()).frame
            assert (answer.cn, answer.mn) == ("9014", f"DEV{n:03d}")
            qns.append(answer.qn or "")
        await device.close()
        return qns

    async def body(gateway: Hj212Gateway, published: Published) -> None:
        answered = await asyncio.gather(*(one(gateway, n) for n in range(devices)))
        for n, qns in enumerate(answered):
            assert qns == [f"2026112816{n:02d}{i:02d}000" for i in range(per_device)]
        frames = published.frames()
        assert len(frames) == devices * per_device
        assert {t for t, _ in frames} == {f"cc/v1/hj212/DEV{n:03d}" for n in range(devices)}
        assert all(parse_frame(p).frame.mn == t.rsplit("/", 1)[1] for t, p in frames)
        await eventually(lambda: gateway.stats().open_connections == 0, "connections closed")
        stats = gateway.stats()
        assert (stats.connections, stats.frames_ok, stats.replies, stats.rejected_total) == (
            devices, devices * per_device, devices * per_device, 0)

    run(with_gateway(body))


def test_an_answer_only_when_the_flag_asks_for_one() -> None:
    async def body(gateway: Hj212Gateway, published: Published) -> None:
        device = await Device.connect(gateway)
        await device.send(oil_2051(flag=4, qn="20261128165000001"))
        await device.send(oil_2011(flag=5, qn="20261128165800002"))
        answer = parse_frame(await device.answer()).frame
        assert answer.qn == "20261128165800002"  # the first frame got none
        await eventually(lambda: len(published.frames()) == 2, "both published")
        assert published.frames()[0] == (f"cc/v1/hj212/{MN}", oil_2051(flag=4,
                                                                      qn="20261128165000001"))
        await device.close()

    gateway = run(with_gateway(body))
    assert gateway.stats().replies == 1 and gateway.stats().frames_ok == 2


def test_garbage_goes_to_quarantine_and_the_next_frame_still_counts() -> None:
    junk = b"\x00\x01AT+CSQ\r\n\xff\xfe"

    async def body(gateway: Hj212Gateway, published: Published) -> None:
        device = await Device.connect(gateway)
        await device.send(junk + oil_2011())
        assert parse_frame(await device.answer()).frame.cn == "9014"
        (record,) = published.rejected()
        assert record["code"] == "garbage" and record["size"] == len(junk)
        assert base64.b64decode(record["raw_b64"]) == junk
        assert record["peer"] == f"127.0.0.1:{device.writer.get_extra_info('sockname')[1]}"
        assert record["reason"] == f"bytes outside any frame ({len(junk)} bytes)"
        await device.close()

    run(with_gateway(body))


def test_a_bad_frame_is_rejected_with_its_reason_and_the_connection_lives_on() -> None:
    bad = oil_2011()[:-6] + b"0000\r\n"

    async def body(gateway: Hj212Gateway, published: Published) -> None:
        device = await Device.connect(gateway)
        await device.send(bad + oil_2011(qn="20261128165900000"))
        assert parse_frame(await device.answer()).frame.qn == "20261128165900000"
        (record,) = published.rejected()
        assert record["code"] == "crc"
        assert record["reason"].startswith("CRC 0000 does not match computed ")
        assert base64.b64decode(record["raw_b64"]) == bad
        assert len(published.frames()) == 1
        await device.close()

    gateway = run(with_gateway(body))
    assert gateway.stats().rejected == {"crc": 1}


def test_half_a_frame_then_a_disconnect() -> None:
    async def body(gateway: Hj212Gateway, published: Published) -> None:
        device = await Device.connect(gateway)
        await device.send(oil_2011()[:50])
        await device.close()
        await eventually(lambda: bool(published.rejected()), "the truncation report")
        (record,) = published.rejected()
        assert record["code"] == "truncated" and record["size"] == 50
        assert record["reason"] == ("device closed the connection after 50 bytes of an "
                                    "unfinished frame")
        again = await Device.connect(gateway)  # the gateway serves on
        await again.send(oil_2011())
        await again.answer()
        await again.close()

    run(with_gateway(body))


def test_a_megabyte_flood_without_crlf_is_dropped_and_the_device_resyncs() -> None:
    flood = b"##0101" + b"A" * (1 << 20)

    async def body(gateway: Hj212Gateway, published: Published) -> None:
        device = await Device.connect(gateway)
        await device.send(flood)
        await device.send(oil_2011())
        assert parse_frame(await device.answer(timeout=20)).frame.cn == "9014"
        (record,) = published.rejected()
        assert record["code"] == "oversize" and record["size"] == len(flood)
        assert len(base64.b64decode(record["raw_b64"])) == 512
        assert published.frames() == [(f"cc/v1/hj212/{MN}", oil_2011())]
        await device.close()

    run(with_gateway(body, max_frame=4096))


def test_an_idle_connection_is_closed_after_the_read_timeout() -> None:
    async def body(gateway: Hj212Gateway, published: Published) -> None:
        device = await Device.connect(gateway)
        await device.send(oil_2011()[:20])
        assert await asyncio.wait_for(device.reader.read(), 5) == b""  # the gateway hung up
        await eventually(lambda: bool(published.rejected()), "the truncation report")
        assert published.rejected()[0]["reason"] == ("idle for 0.3 s after 20 bytes of an "
                                                      "unfinished frame")
        await device.close()

    gateway = run(with_gateway(body, read_timeout=0.3))
    assert gateway.stats().idle_timeouts == 1


def test_lenient_devices_are_chosen_by_mn() -> None:
    def quirky(mn: str) -> bytes:
        """A frame from `mn` whose CRC has hex letters, sent in lower case."""
        for i in range(100):
            raw = frame(f"a34041-Rtd=1.{i:02d}", mn=mn, flag=4)
            if raw[-6:-2] != raw[-6:-2].lower():
                return raw[:-6] + raw[-6:-2].lower() + b"\r\n"
        raise AssertionError("no CRC with letters in 100 tries")

    async def body(gateway: Hj212Gateway, published: Published) -> None:
        device = await Device.connect(gateway)
        await device.send(quirky("LENIENT01") + quirky("STRICT01"))
        await eventually(lambda: len(published.messages) == 2, "both handled")
        assert [t for t, _ in published.frames()] == ["cc/v1/hj212/LENIENT01"]
        (record,) = published.rejected()
        assert "(accepted in lenient mode as 'lowercase_crc')" in record["reason"]
        await device.close()

    gateway = run(with_gateway(body, modes={"LENIENT01": Lenient()}))
    assert gateway.stats().deviations == {"lowercase_crc": 1}
    assert gateway.stats().rejected == {"crc": 1}


def test_no_answer_when_publishing_failed_so_the_device_resends() -> None:
    async def body(gateway: Hj212Gateway, published: Published) -> None:
        device = await Device.connect(gateway)
        published.fail_frames = True
        await device.send(oil_2011())
        with pytest.raises(TimeoutError):
            await device.answer(timeout=0.5)
        published.fail_frames = False
        await device.send(oil_2011())  # the resend
        await device.answer()
        await device.close()

    gateway = run(with_gateway(body))
    assert gateway.stats().publish_failures == 1 and gateway.stats().replies == 1


def test_close_ends_open_connections_and_serve_forever() -> None:
    async def main() -> None:
        gateway = Hj212Gateway("127.0.0.1", 0, Published())
        serving = asyncio.create_task(gateway.serve_forever())
        await eventually(lambda: gateway.port != 0, "the port")
        device = await Device.connect(gateway)
        await device.send(oil_2011(flag=4))
        await eventually(lambda: gateway.stats().frames_ok == 1, "the frame")
        await gateway.close()
        assert await asyncio.wait_for(device.reader.read(), 5) == b""
        await asyncio.wait_for(serving, 5)
        await device.close()
        assert gateway.stats().open_connections == 0

    run(main())


def test_listen_addresses() -> None:
    assert parse_listen("0.0.0.0:6000") == ("0.0.0.0", 6000)
    assert parse_listen(":6000") == ("0.0.0.0", 6000)
    assert parse_listen("[::]:6000") == ("::", 6000)
    for bad in ("6000", "host:", "host:70000", "host:port"):
        with pytest.raises(GatewayConfigError, match="监听地址"):
            parse_listen(bad)

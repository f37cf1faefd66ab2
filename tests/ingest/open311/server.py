"""A real GeoReport v2 endpoint on 127.0.0.1 for the poller tests: scripted answers, every
request recorded (path, query, headers), so paging, retries and ETags are seen on the wire."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"[]"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before anything is sent (a slow platform)


def json_reply(items: list[dict[str, Any]], **kw: Any) -> Reply:
    return Reply(body=json.dumps(items).encode(), **kw)


Script = Callable[[int, Seen], Reply]  # (request number from 1, request) -> answer


class GeoReportServer:
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.script: Script = lambda n, seen: Reply()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                seen = Seen(parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()},
                            {k.lower(): v for k, v in self.headers.items()})
                owner.requests.append(seen)
                reply = owner.script(len(owner.requests), seen)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.status != 304:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the slow-platform test)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = False  # server_close() waits for every handler
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/dev/v2"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="georeport",
                                        kwargs={"poll_interval": 0.05})

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)

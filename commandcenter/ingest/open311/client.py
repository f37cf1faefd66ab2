"""A GeoReport v2 `GET requests.json` client that survives a report platform's bad days.

Spec (GeoReport v2, "GET Service Requests"): `start_date`/`end_date` in w3 format select by
`requested_datetime` and "may not span more than 90 days"; the default answer is at most 1000
requests. Paging (`page`, `page_size`) is a common extension (Austin, Chicago), not the spec, so
a server that ignores `page` is detected (it answers page 2 with page 1) rather than looped on.
Platforms that also filter by update time take other parameter names (Chicago:
`updated_after`/`updated_before`): pass them as `date_params`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any
from urllib.parse import quote, quote_plus

import requests

from commandcenter.domain.errors import KnownError
from commandcenter.ingest.decode import RejectedMessage
from commandcenter.ingest.open311.convert import MAX_BODY, parse_requests_body, updated_at

log = logging.getLogger(__name__)

MAX_SPAN = timedelta(days=90)  # the spec's limit on end_date - start_date
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
              requests.exceptions.ContentDecodingError)


class Open311Error(KnownError):
    """The report platform could not be read; says where and why, never the API key."""


class Open311Client:
    def __init__(
        self,
        base_url: str,
        *,
        jurisdiction_id: str | None = None,
        api_key: str | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (3.05, 10.0),
        retries: int = 3,
        backoff: float = 0.5,
        page_size: int | None = 100,
        max_pages: int = 100,
        date_params: tuple[str, str] = ("start_date", "end_date"),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """`base_url` is the endpoint root (`https://api.city.gov/dev/v2`); `page_size` must not
        exceed the platform's maximum (a short page ends the paging); `retries` is how many
        times a failed request is repeated, waiting `backoff`·2ⁿ seconds before repeat n."""
        if not base_url.lower().startswith(("http://", "https://")):
            raise ValueError(f"Open311 base URL must be http(s), got {base_url!r}")
        if retries < 0 or backoff < 0 or max_pages < 1 or (page_size is not None
                                                          and page_size < 1):
            raise ValueError("retries and backoff must be ≥ 0, max_pages and page_size ≥ 1")
        self.url = base_url.rstrip("/") + "/requests.json"
        self.jurisdiction_id = jurisdiction_id
        self._api_key = api_key
        self._own_session = session is None
        self.session = session if session is not None else requests.Session()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.page_size = page_size
        self.max_pages = max_pages
        self.date_params = date_params
        self._sleep = sleep
        self._clock = clock
        # ETag of a window's answer, by query, kept only when that answer was complete on its
        # first page: a 304 for page 1 then proves there is nothing new in the whole window.
        self._etags: dict[tuple[tuple[str, str], ...], str] = {}

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def __enter__(self) -> Open311Client:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def fetch_updated(self, since: datetime) -> Iterator[dict[str, Any]]:
        """Every request the platform changed at or after `since`, window by 90-day window.

        The last window ends 90 days after its start (in the future), so its query stays the
        same from poll to poll while nothing changes, and a platform's ETag can answer 304.
        Raises `Open311Error` once a request has failed `retries + 1` times.
        """
        if since.tzinfo is None:
            raise ValueError("since must be an aware datetime")
        start = since.astimezone(UTC).replace(microsecond=0)
        now = self._clock()
        while True:
            end = start + MAX_SPAN
            yield from self._window(start, end)
            if end >= now:
                return
            start = end

    def _window(self, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
        params: dict[str, str] = {self.date_params[0]: _w3(start),
                                  self.date_params[1]: _w3(end)}
        if self.jurisdiction_id:
            params["jurisdiction_id"] = self.jurisdiction_id
        if self._api_key:
            params["api_key"] = self._api_key
        if self.page_size is not None:
            params["page_size"] = str(self.page_size)
        key = tuple(sorted(params.items()))
        previous: list[str] | None = None
        for page in range(1, self.max_pages + 1):
            answer = self._get({**params, "page": str(page)},
                               self._etags.get(key) if page == 1 else None)
            if answer is None:  # 304: the window is as it was
                return
            items, etag = answer
            ids = [str(item.get("service_request_id")) for item in items]
            if previous is not None and ids == previous:
                log.info("Open311 %s ignores `page`; took its single answer", self.url)
                return
            last = not items or (self.page_size is not None and len(items) < self.page_size)
            if page == 1:
                if last and etag:
                    self._etags[key] = etag
                    while len(self._etags) > 16:  # old windows: `since` has moved past them
                        del self._etags[next(iter(self._etags))]
                else:
                    self._etags.pop(key, None)
            for item in items:
                stamp = updated_at(item)
                if stamp is None or stamp >= start:
                    yield item
            if last:
                return
            previous = ids
        log.warning("Open311 %s: stopped after %d pages in one window; the rest comes next poll",
                    self.url, self.max_pages)

    def _get(self, params: dict[str, str],
             etag: str | None) -> tuple[list[dict[str, Any]], str | None] | None:
        headers = {"Accept": "application/json"}
        if etag:
            headers["If-None-Match"] = etag
        failure = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with self.session.get(self.url, params=params, headers=headers,
                                      timeout=self.timeout, stream=True) as resp:
                    status = resp.status_code
                    if status == 304 and etag:
                        return None
                    if status >= 500 or status == 429:
                        failure = f"HTTP {status}"
                        continue
                    if status != 200:
                        raise Open311Error(f"Open311 {self.url} answered HTTP {status}: "
                                           f"{self._redact(_head(resp))}")
                    body = _read(resp, self.url)
                    new_etag = resp.headers.get("ETag")
            except _TRANSIENT as exc:
                failure = f"{type(exc).__name__}: {self._redact(str(exc))}"
                continue
            try:
                return parse_requests_body(body), new_etag
            except RejectedMessage as exc:
                raise Open311Error(f"Open311 {self.url} page {params.get('page')} is not "
                                   f"GeoReport JSON ({exc.reason})") from None
        raise Open311Error(f"Open311 {self.url} failed {self.retries + 1} times; last: "
                           f"{failure}")

    def _redact(self, text: str) -> str:
        """Exceptions quote the request URL, query string and all: keep the key out of logs."""
        if self._api_key:
            for form in {self._api_key, quote_plus(self._api_key), quote(self._api_key)}:
                text = text.replace(form, "***")
        return text


def _w3(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read(resp: requests.Response, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_BODY:
            raise Open311Error(f"Open311 {url} sent more than {MAX_BODY} bytes for one page")
        chunks.append(chunk)
    return b"".join(chunks)


def _head(resp: requests.Response) -> str:
    """The start of an error body, for the log: platforms explain 4xx answers there."""
    try:
        raw = next(resp.iter_content(300), b"")
    except _TRANSIENT:
        return "(no body)"
    return raw[:300].decode("utf-8", "replace").strip() or "(no body)"

"""Read the quarantine (DESIGN.md §4 "Bad input") for the supervisor: pages of rejected messages
and a safe, bounded preview of their raw bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import LargeBinary, func, select

from commandcenter.store.database import Database
from commandcenter.store.schema import QuarantineRow

# How much of each payload a page carries. Rejected messages can be up to the broker's limit
# (a `too_large` one is stored whole): a page of 200 must not pull 200 × 300 KB into memory,
# and nobody reads past the first screens of a payload anyway. `size` keeps the true length.
PAYLOAD_HEAD = 64 * 1024
_HEX_WIDTH = 16

# The writer's reason codes (ingest/writer.py, ingest/decode.py) in the supervisor's words; the
# CLI prints these and the console passes them through Qt's translation.
REASON_ZH = {
    "too_large": "超过大小限制", "encoding": "编码错误", "not_json": "非JSON格式",
    "unknown_topic": "未知主题", "missing_field": "缺少字段", "bad_location": "坐标无效",
    "invalid_field": "字段无效", "unknown_unit": "未登记的处置人员", "unknown_case": "案件不存在",
    "not_assigned": "非本人案件", "refused": "操作被拒绝", "internal_error": "内部错误",
    "not_xml": "非XML格式", "unsafe_xml": "不安全的XML", "unknown_device": "未登记的设备",
    "unknown_request": "未知的喊话请求",
}


def reason_name_zh(code: str) -> str:
    """A code this program does not know (a newer ingest worker's) is shown as it is."""
    if code not in REASON_ZH and code.startswith("hj212_"):
        return f"HJ 212 数据帧无效（{code.removeprefix('hj212_')}）"
    return REASON_ZH.get(code, code)


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    id: int
    received_at: datetime
    source: str  # MQTT topic or adapter name
    reason_code: str
    reason: str
    payload: bytes  # the first PAYLOAD_HEAD bytes at most; see `size`
    size: int  # the stored payload's full length in bytes

    @property
    def complete(self) -> bool:
        return len(self.payload) >= self.size


def list_quarantine(db: Database, *, limit: int = 200, before_id: int | None = None,
                    reason_code: str | None = None,
                    payload_head: int = PAYLOAD_HEAD) -> list[QuarantineEntry]:
    """Newest first. Page on with `before_id=<last id of the previous page>`: ids only grow, so
    pages stay stable while new messages keep arriving (an offset would shift under them)."""
    query = select(
        QuarantineRow.id, QuarantineRow.received_at, QuarantineRow.source,
        QuarantineRow.reason_code, QuarantineRow.reason,
        func.substr(QuarantineRow.payload, 1, payload_head, type_=LargeBinary),
        func.length(QuarantineRow.payload),
    ).order_by(QuarantineRow.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(QuarantineRow.id < before_id)
    if reason_code is not None:
        query = query.where(QuarantineRow.reason_code == reason_code)
    with db.read() as s:
        rows = s.execute(query).all()
    return [QuarantineEntry(id=row[0], received_at=row[1], source=row[2], reason_code=row[3],
                            reason=row[4], payload=bytes(row[5] or b""), size=int(row[6] or 0))
            for row in rows]


def _is_text(text: str) -> bool:
    """Valid UTF-8 can still be binary (NULs, escape codes): those would render as garbage."""
    return all(ch.isprintable() or ch in "\t\n\r" for ch in text)


def _hex_dump(data: bytes, start: int = 0) -> str:
    lines = []
    for offset in range(0, len(data), _HEX_WIDTH):
        chunk = data[offset:offset + _HEX_WIDTH]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        ascii_ = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        lines.append(f"{start + offset:08x}  {hexes:<{_HEX_WIDTH * 3 - 1}}  |{ascii_}|")
    return "\n".join(lines)


def _truncated(body: str, shown: str, size: int) -> str:
    """The note goes first: a supervisor must not take the head of a payload for all of it."""
    return f"（已截断：载荷共 {size:,} 字节，以下只显示{shown}）\n{body}\n…"


def payload_preview(payload: bytes, limit: int = 4096, *, size: int | None = None) -> str:
    """What a supervisor can read of a rejected payload, never more than about `limit` bytes.

    UTF-8 text is shown as text, pretty-printed when the whole payload is JSON; anything else
    as a hex dump, because showing binary as text hides exactly the bytes that got it rejected.
    `size` is the true length when `payload` is only its head (QuarantineEntry.size).
    """
    total = len(payload) if size is None else max(size, len(payload))
    if not payload:
        return "（空载荷）" if total == 0 else _truncated("", "开头 0 字节", total)
    head = payload[:limit]
    try:
        text = payload.decode("utf-8") if total == len(payload) else None
    except UnicodeDecodeError:
        text = None
    if text is not None and _is_text(text):
        try:
            pretty = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
        except (json.JSONDecodeError, RecursionError):
            pretty = text
        if len(pretty) <= limit:
            return pretty
        return _truncated(pretty[:limit], f"开头 {limit:,} 个字符", total)
    if total > len(head):
        # Only the head is shown: decode it alone. A multi-byte character cut in two at the end
        # is dropped (at most 3 bytes); anything else undecodable means binary.
        for cut in range(4):
            try:
                head_text = head[:len(head) - cut].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if _is_text(head_text):
                return _truncated(head_text, f"前 {len(head) - cut:,} 字节", total)
            break
    dump = _hex_dump(head)
    if total > len(head):
        return _truncated(dump, f"前 {len(head):,} 字节的十六进制", total)
    return dump

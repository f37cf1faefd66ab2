"""`commandcenter stats`: the hall's totals for a supervisor (a table) or a script (one JSON line).

A reporting tool must not change what it reports on: it never creates a missing SQLite file
and never migrates a schema; it says which of the two is wrong instead. The database layers are
imported inside `run_stats`, so registering the subcommand costs the console's start nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from commandcenter.domain.case import CaseState, state_name_zh

if TYPE_CHECKING:
    from commandcenter.store.database import Database

EXIT_OK = 0


def add_stats_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `stats` on the CLI's subparsers (`argparse._SubParsersAction`)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "stats", help="counts of events, cases and quarantined messages",
        description="Print the hall's totals: events by kind and source, cases by state, "
                    "quarantined (rejected) messages by reason, and when the last event "
                    "arrived. Reads only; never creates or upgrades the database.")
    parser.add_argument("--db", dest="db_url", metavar="URL",
                        help="database URL (default: SQLite in the user data folder)")
    parser.add_argument("--json", action="store_true",
                        help="print exactly one JSON object on one line (for scripts)")
    parser.set_defaults(func=run_stats)
    return parser


def _open_existing(url: str) -> Database:
    from sqlalchemy.engine import make_url

    from commandcenter.store.database import SCHEMA_HEAD, DatabaseError, open_database

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "")
        if not path.is_file():
            raise DatabaseError(f"数据库文件不存在：{path} (no database file there)")
    db = open_database(url, migrate=False)
    try:
        revision = db.current_revision()
        if revision != SCHEMA_HEAD:
            raise DatabaseError(
                f"数据库 {db.display_url()} 的结构版本为 {revision or '无'}，本程序需要 "
                f"{SCHEMA_HEAD}：请运行 commandcenter db upgrade 或升级程序"
                f" (schema {revision or 'missing'}, expected {SCHEMA_HEAD})")
    except BaseException:
        db.dispose()
        raise
    return db


def run_stats(args: argparse.Namespace) -> int:
    from commandcenter.config import load_settings
    from commandcenter.services.stats import hall_stats

    settings = load_settings({"db_url": getattr(args, "db_url", None)})
    db = _open_existing(settings.database_url())
    try:
        stats = hall_stats(db)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, separators=(",", ":")))
    else:
        sys.stdout.write(render_table(stats, ZoneInfo(settings.timezone)))
    return EXIT_OK


# --- the readable table --------------------------------------------------------------------
_KIND_ZH = {"report": "上报", "alarm": "告警", "camera": "视频", "reading": "监测读数",
            "unit_status": "人员状态", "unit_location": "人员位置", "heatmap": "人流热力"}


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two, so str.ljust would misalign the table."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _row(label: str, value: object = "", indent: int = 0, column: int = 38) -> str:
    text = " " * indent + label
    return f"{text}{' ' * max(1, column - _width(text))}{value}".rstrip() + "\n"


def _state_zh(state: str) -> str:
    try:
        return state_name_zh(CaseState(state))
    except ValueError:
        return ""


def render_table(stats: dict[str, Any], tz: ZoneInfo) -> str:
    from commandcenter.services.quarantine import REASON_ZH

    ev, cases, quar = stats["events"], stats["cases"], stats["quarantine"]
    out = [_row("数据库 database", stats["database"])]
    out.append(_row("事件 events", ev["total"]))
    if ev["by_kind"]:
        out.append(_row("按类型 by kind", indent=2))
        out += [_row(f"{kind} {_KIND_ZH.get(kind, '')}".rstrip(), n, 4)
                for kind, n in ev["by_kind"].items()]
        out.append(_row("按来源 by source", indent=2))
        out += [_row(source, n, 4) for source, n in ev["by_source"].items()]
    out.append(_row("案件 cases", cases["total"]))
    if cases["by_state"]:
        out.append(_row("未结 open", cases["open"], 2))
        out.append(_row("按状态 by state", indent=2))
        out += [_row(f"{state} {_state_zh(state)}".rstrip(), n, 4)
                for state, n in cases["by_state"].items()]
    out.append(_row("隔离消息 quarantine", quar["total"]))
    if quar["by_reason"]:
        out.append(_row("按原因 by reason", indent=2))
        out += [_row(f"{code} {REASON_ZH.get(code, '')}".rstrip(), n, 4)
                for code, n in quar["by_reason"].items()]
    last = stats["last_event_at"]
    when = "—"
    if last:
        local = datetime.fromisoformat(last).astimezone(tz)
        when = f"{local:%Y-%m-%d %H:%M:%S} ({tz.key}) = {last}"
    out.append(_row("最近事件 last event", when))
    return "".join(out)

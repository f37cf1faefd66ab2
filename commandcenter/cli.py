"""`commandcenter` — the console and its tools (DESIGN.md §7).

The GUI subcommands import `ui` lazily by name, so headless subcommands never load Qt.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path

from commandcenter.config import Settings, load_settings
from commandcenter.domain.errors import KnownError
from commandcenter.parse_cli import add_parse_parser
from commandcenter.stats_cli import add_stats_parser

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
Command Center — 街道城市管理指挥中心 console.

  commandcenter            start the console (same as `run`)
  commandcenter demo       start the console on a demo database fed by the built-in simulator
  commandcenter ingest     headless ingest worker: broker -> database (no Qt)
  commandcenter simulate   publish the demo scenario or a load to a broker
  commandcenter stats      counts of events, cases and quarantined messages (--json)
  commandcenter parse      device/platform payload files -> cc.event/1 JSON lines
  commandcenter gateway hj212   TCP gateway for HJ 212 oil-fume monitors -> broker
  commandcenter db upgrade bring the database schema up to date
  commandcenter audit verify   check the audit log's hash chain end to end
  commandcenter coords     convert coordinates between wgs84, gcj02 and bd09
  commandcenter rehearse   play a whole shift headless at accelerated time (演练) and report it
"""


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", dest="db_url", metavar="URL",
                   help="database URL (default: SQLite in the user data folder); "
                        "e.g. postgresql+psycopg://user@host/cc")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")


class _VersionAction(argparse.Action):
    """`--version`: the version and the build (source or bundle, commit, Python, platform),
    worked out only when asked (the commit may need `git`)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default,
                         help=help or "show the version and the build, and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from commandcenter.version_info import build_info

        print(f"commandcenter {build_info().describe()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="commandcenter", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--selftest", action="store_true",
                        help="check this installation offscreen (modules, resources, database, "
                             "translations, main window), print one line per check, exit 0 "
                             "when all passed")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="start the console (default)",
                         description="Start the dispatcher console on the configured database "
                                     "and broker.")
    _add_common(run)
    run.add_argument("--language", choices=["zh_CN", "en"], help="UI language (default zh_CN)")
    _add_broker(run)

    demo = sub.add_parser(
        "demo", help="console on a demo SQLite database fed by the built-in simulator",
        description="Start the console in demo mode: an embedded SQLite database (demo.db in "
                    "the user data folder) and the built-in simulator of 崇川区 (citizen "
                    "reports, oil-fume monitors, cameras, officers). The first start plays the "
                    "last 40 minutes of a shift so the queue is realistic.")
    _add_common(demo)
    demo.add_argument("--language", choices=["zh_CN", "en"], help="UI language (default zh_CN)")
    demo.add_argument("--seed", type=int, default=7, help="simulator seed (deterministic)")
    demo.add_argument("--rate", type=float, default=0.4,
                      help="signal rate multiplier (1.0 ≈ 1.5 signals a minute; default 0.4, "
                           "a steady evening for 12 officers)")
    demo.add_argument("--screenshot", metavar="FILE",
                      help="run offscreen, save a PNG of the main window, and exit 0")
    demo.add_argument("--after", type=float, default=5.0, metavar="SECONDS",
                      help="with --screenshot: seconds of live simulated activity first")
    demo.add_argument("--fresh", action="store_true",
                      help="start from an empty demo database (discard the previous demo)")
    _add_broker(demo, "run the simulator over this broker instead of in process")

    ingest = sub.add_parser(
        "ingest", help="headless ingest worker (broker -> database), no Qt",
        description="Take every message from the broker into the database: QoS 1, persistent "
                    "session, acknowledged only after commit. Ctrl-C / SIGTERM stops cleanly.")
    _add_common(ingest)
    _add_broker(ingest, required=True)
    ingest.add_argument("--client-id", help="MQTT client id (default cc-ingest-<workstation>); "
                                            "keep it fixed: the broker keeps its session")
    ingest.add_argument("--shared", action="store_true",
                        help="join the shared subscription $share/cc-ingest/... (several "
                             "workers on one PostgreSQL database)")

    simulate = sub.add_parser(
        "simulate", help="publish the demo scenario (or a load) to a broker",
        description="Publish realistic 崇川区 traffic to a broker: citizen reports, oil-fume "
                    "monitors, cameras, officers who answer dispatches. With --load N, publish "
                    "N synthetic reports a second instead.")
    _add_broker(simulate, required=True)
    simulate.add_argument("--seed", type=int, default=7)
    simulate.add_argument("--rate", type=float, default=1.0,
                          help="scenario signal rate multiplier (1.0 ≈ 1.5 signals a minute)")
    simulate.add_argument("--duration", type=float, default=600.0, metavar="SECONDS")
    simulate.add_argument("--load", type=float, metavar="N", help="N events a second instead")
    simulate.add_argument("--db", dest="db_url", metavar="URL",
                          help="also register the simulated officers in this database, so the "
                               "hall accepts their status and positions")
    simulate.add_argument("-v", "--verbose", action="store_true")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = db_sub.add_parser("upgrade", help="apply schema migrations")
    _add_common(up)

    audit = sub.add_parser("audit", help="audit log tools")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="verify the audit log's hash chain")
    _add_common(verify)

    add_stats_parser(sub)
    add_parse_parser(sub)

    rehearse = sub.add_parser(
        "rehearse", help="play a whole shift headless at accelerated time and report it (演练)",
        description="Play a shift through the real hall — simulated signals, officers who "
                    "accept, ride out and report, a dispatcher and a 值班长 who approves or "
                    "refuses requests — into an empty database, and print the outcome: cases "
                    "by state, merges, escalations, overdue, requests, persuasions, minutes to "
                    "the scene and the on-time rate. Tune sla.toml and correlation.toml with it "
                    "before going live.")
    rehearse.add_argument("--scenario", choices=["night", "day"], default="night",
                          help="night: 20:00-06:00, day: 08:00-18:00 (local time)")
    rehearse.add_argument("--speed", type=float, default=60.0, metavar="S",
                          help="simulated seconds per wall second (default 60; 0 or inf: as "
                               "fast as possible)")
    rehearse.add_argument("--seed", type=int, default=7, help="same seed, same outcome")
    rehearse.add_argument("--hours", type=float, metavar="H",
                          help="play only the first H hours of the shift")
    rehearse.add_argument("--rate", type=float, default=0.5,
                          help="peak signal rate (1.0 ≈ 1.5 signals a minute; default 0.5)")
    rehearse.add_argument("--sla", type=Path, metavar="FILE", help="candidate sla.toml")
    rehearse.add_argument("--correlation", type=Path, metavar="FILE",
                          help="candidate correlation.toml")
    rehearse.add_argument("--db", dest="db_url", metavar="URL",
                          help="an EMPTY database to play into (default: a temporary SQLite "
                               "file, removed afterwards); never the hall's own")
    rehearse.add_argument("--json", action="store_true", help="print one JSON object")
    rehearse.add_argument("-v", "--verbose", action="store_true")

    gateway = sub.add_parser("gateway", help="device gateways (HJ 212)")
    gateway_sub = gateway.add_subparsers(dest="gateway_kind", metavar="KIND", required=True)
    hj212 = gateway_sub.add_parser(
        "hj212", help="TCP server for HJ 212 monitors, publishing frames to the broker",
        description="Accept HJ 212-2017 / HJ/T 212-2005 frames over TCP, validate them, answer "
                    "9014 when asked, publish good frames to <prefix>/hj212/<MN> and rejected "
                    "ones to <prefix>/hj212/_rejected.")
    hj212.add_argument("--listen", required=True, metavar="HOST:PORT", help="e.g. 0.0.0.0:6000")
    _add_broker(hj212, required=True)
    hj212.add_argument("--client-id", default=None)
    hj212.add_argument("-v", "--verbose", action="store_true")

    coords = sub.add_parser("coords", help="convert coordinates between datums")
    coords.add_argument("--from", dest="src", choices=["wgs84", "gcj02", "bd09"], required=True)
    coords.add_argument("--to", dest="dst", choices=["wgs84", "gcj02", "bd09"], required=True)
    coords.add_argument("points", nargs="+", metavar="LAT,LON")
    return parser


def _add_broker(p: argparse.ArgumentParser, help_text: str | None = None, *,
                required: bool = False) -> None:
    p.add_argument("--broker", dest="broker_url", metavar="URL", required=required,
                   help=help_text or "MQTT broker: mqtt://[user[:password]@]host[:1883] or "
                                     "mqtts://host[:8883]?ca=FILE")


def main(argv: Sequence[str] | None = None) -> int:
    # In the frozen bundle the console's ingest process is this same executable, started by
    # multiprocessing: there this call runs the child and exits (elsewhere it does nothing).
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.selftest:
        selftest = importlib.import_module("ui.selftest")  # Qt only when asked for
        return int(selftest.run_selftest())
    command = args.command or "run"
    try:
        if command in ("run", "demo"):
            if command == "run" and not hasattr(args, "db_url"):
                args = parser.parse_args(["run", *(argv or sys.argv[1:])])
            console = importlib.import_module("ui.app")  # Qt only for the GUI subcommands
            return int(console.main(args, demo=command == "demo"))
        if command == "coords":
            return _coords(args)
        if command == "ingest":
            return _ingest(args)
        if command == "simulate":
            return _simulate(args)
        if command in ("stats", "parse"):
            return int(args.func(args))
        if command == "gateway":
            return _gateway(args)
        if command == "rehearse":
            return _rehearse(args)
        return _headless(command, args)
    except KnownError as exc:
        print(f"commandcenter: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `commandcenter parse … | head`: the reader has had enough
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings({"db_url": getattr(args, "db_url", None),
                          "broker_url": getattr(args, "broker_url", None)})


def _ingest(args: argparse.Namespace) -> int:
    from commandcenter.ingest.runner import open_ingest, run_until_signalled
    from commandcenter.logsetup import setup_logging

    setup_logging("commandcenter-ingest", verbose=args.verbose)
    settings = _settings(args)
    service = open_ingest(settings, settings.broker_url, client_id=args.client_id,
                          shared=args.shared)
    run_until_signalled(service)
    return EXIT_OK


def _rehearse(args: argparse.Namespace) -> int:
    from commandcenter.logsetup import setup_logging
    from commandcenter.sim.rehearsal import format_report, rehearse

    setup_logging("commandcenter-rehearse", verbose=args.verbose)
    # Not _settings(args): without --db that would be the hall's own database.
    report = rehearse(args.db_url, scenario=args.scenario, speed=args.speed, seed=args.seed,
                      hours=args.hours, rate=args.rate, sla=args.sla,
                      correlation=args.correlation)
    print(json.dumps(report, ensure_ascii=False) if args.json else format_report(report))
    return EXIT_OK


def _gateway(args: argparse.Namespace) -> int:
    from commandcenter.hall import parse_hj212_modes
    from commandcenter.ingest.broker_url import BrokerUrl
    from commandcenter.ingest.hj212 import run_gateway
    from commandcenter.ingest.mqtt import MqttLink
    from commandcenter.logsetup import setup_logging

    setup_logging("commandcenter-gateway", verbose=args.verbose)
    settings = _settings(args)
    link = MqttLink(BrokerUrl.parse(settings.broker_url),
                    args.client_id or f"cc-hj212-{settings.workstation}", lambda _m: None,
                    prefix=settings.topic_prefix, topics=())
    link.start()
    try:
        stats = run_gateway(args.listen, link.publish, prefix=settings.topic_prefix,
                            modes=parse_hj212_modes(settings.hj212_modes))
    finally:
        link.flush(30)
        link.stop()
    print(json.dumps({"connections": stats.connections, "frames_ok": stats.frames_ok,
                      "replies": stats.replies, "rejected": dict(stats.rejected),
                      "deviations": dict(stats.deviations)}))
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    import signal
    import threading

    from commandcenter.logsetup import setup_logging
    from commandcenter.sim.broadcast import simulate

    setup_logging("commandcenter-simulate", verbose=args.verbose)
    settings = _settings(args)
    if args.db_url:
        from datetime import UTC, datetime

        from commandcenter.hall import open_hall
        from commandcenter.sim.scenario import Scenario

        hall = open_hall(settings)
        try:
            roster = Scenario(args.seed, args.rate, start=datetime.now(UTC)).roster()
            hall.cases.register_units(roster)
        finally:
            hall.close()
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    summary = simulate(settings.broker_url, seed=args.seed, rate=args.rate,
                       duration=args.duration, load=args.load,
                       prefix=settings.topic_prefix, stop=stop)
    print(json.dumps({"published": summary.published, "seconds": round(summary.seconds, 2),
                      "all_acknowledged": summary.flushed}))
    return EXIT_OK if summary.flushed else EXIT_ERROR


def _headless(command: str, args: argparse.Namespace) -> int:
    from commandcenter.logsetup import setup_logging
    from commandcenter.store.database import open_database

    setup_logging("commandcenter-cli", verbose=args.verbose)
    settings = _settings(args)
    db = open_database(settings.database_url())
    try:
        if command == "db":
            print(f"database {db.display_url()} is up to date")
            return EXIT_OK
        from commandcenter.services import audit

        with db.read() as session:
            result = audit.verify(session)
        print(json.dumps({"entries": result.entries, "ok": result.ok,
                          "first_bad_id": result.first_bad_id, "problem": result.problem},
                         ensure_ascii=False))
        return EXIT_OK if result.ok else EXIT_ERROR
    finally:
        db.dispose()


def _coords(args: argparse.Namespace) -> int:
    from commandcenter.domain.geo import convert

    status = EXIT_OK
    for point in args.points:
        try:
            lat_text, lon_text = point.split(",")
            lat, lon = float(lat_text), float(lon_text)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError("out of range")
        except ValueError:
            print(json.dumps({"input": point, "error": "expected LAT,LON in degrees"}),
                  file=sys.stderr)
            status = 3
            continue
        out_lat, out_lon = convert(args.src, args.dst, lat, lon)
        print(f"{out_lat:.7f},{out_lon:.7f}")
    return status

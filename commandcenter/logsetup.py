"""Logging for the console and the headless tools: a rotating file in the per-user log folder
plus stderr; a hard crash leaves a faulthandler trace next to the log."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
from pathlib import Path
from typing import TextIO

from commandcenter.config import log_dir

_crash_file: TextIO | None = None


def setup_logging(name: str, *, verbose: bool = False, to_file: bool = True) -> Path | None:
    root = logging.getLogger()
    if getattr(root, "_cc_configured", False):
        return None
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s")
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(fmt)
    root.addHandler(console)
    path = None
    if to_file:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.log"
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5,
                                                       encoding="utf-8")
        handler.setFormatter(fmt)
        root.addHandler(handler)
        global _crash_file
        _crash_file = open(folder / f"{name}-crash.log", "a", encoding="utf-8")
        faulthandler.enable(_crash_file)
    root._cc_configured = True  # type: ignore[attr-defined]
    return path

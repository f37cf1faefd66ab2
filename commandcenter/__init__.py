"""Command Center core: domain, storage, ingest and services, free of Qt."""

from __future__ import annotations

__version__ = "0.1.0"

"""Settings: defaults < config file < `CC_*` environment < command-line flags.

Paths come from platformdirs (per-user data, config and log folders on Windows and Linux);
`CC_DATA_DIR` / `CC_CONFIG_DIR` / `CC_LOG_DIR` move them (tests and portable installs).
Secrets are never logged: `Settings.redacted()` is what goes to the log.
"""

from __future__ import annotations

import os
import platform
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from commandcenter.domain.errors import KnownError

APP = "CommandCenter"


class ConfigError(KnownError):
    pass


def data_dir() -> Path:
    return Path(os.environ.get("CC_DATA_DIR") or platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    return Path(os.environ.get("CC_CONFIG_DIR")
                or platformdirs.user_config_dir(APP, appauthor=False))


def log_dir() -> Path:
    return Path(os.environ.get("CC_LOG_DIR") or platformdirs.user_log_dir(APP, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = ""  # empty: the embedded SQLite file in the data folder
    broker_url: str = ""  # empty: no broker (demo uses the built-in simulator)
    workstation: str = field(default_factory=lambda: platform.node() or "workstation")
    operator: str = "值班员"
    language: str = "zh_CN"
    timezone: str = "Asia/Shanghai"
    topic_prefix: str = "cc/v1"
    # Per-device HJ 212 leniency, e.g. "32061300000000000000A001=lenient:clock_reset;…";
    # devices not named are strict.
    hj212_modes: str = ""
    cameras_file: str = ""  # the camera registry (default: the shipped resources/cameras.toml)
    roles: str = "dispatcher,supervisor"  # this workstation's operator

    def database_url(self, *, demo: bool = False) -> str:
        if self.db_url:
            return self.db_url
        name = "demo.db" if demo else "commandcenter.db"
        return f"sqlite+pysqlite:///{data_dir() / name}"

    def redacted(self) -> dict[str, Any]:
        from sqlalchemy.engine import make_url

        out = asdict(self)
        for key in ("db_url", "broker_url"):
            if out[key]:
                try:
                    out[key] = make_url(out[key]).render_as_string(hide_password=True)
                except Exception:
                    out[key] = "<unparseable>"
        return out


_FIELDS = {f.name for f in fields(Settings)}


def _coerce(source: str, values: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        if key not in _FIELDS:
            raise ConfigError(f"{source}: unknown setting {key!r} "
                              f"(known: {', '.join(sorted(_FIELDS))})")
        if not isinstance(value, str):
            raise ConfigError(f"{source}: {key} must be text")
        out[key] = value
    return out


def load_settings(flags: Mapping[str, Any] | None = None, *,
                  env: Mapping[str, str] | None = None, path: Path | None = None) -> Settings:
    settings = Settings()
    path = path or config_file()
    if path.is_file():
        try:
            with open(path, "rb") as fh:
                settings = replace(settings, **_coerce(str(path), tomllib.load(fh)))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    env = os.environ if env is None else env
    from_env = {name: env[f"CC_{name.upper()}"] for name in _FIELDS if f"CC_{name.upper()}" in env}
    settings = replace(settings, **_coerce("environment", from_env))
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    return replace(settings, **_coerce("command line", given))

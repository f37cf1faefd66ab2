"""Settings: defaults < config file < `CC_*` environment < command-line flags.

Paths come from platformdirs (per-user data, config and log folders on Windows and Linux);
`CC_DATA_DIR` / `CC_CONFIG_DIR` / `CC_LOG_DIR` move them (tests and portable installs).
Secrets are never logged: `Settings.redacted()` is what goes to the log. Passwords live in the
OS credential store where there is one (`commandcenter.secrets`): the file then holds the URLs
without them, and `load_settings` puts them back.
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
from commandcenter.secrets import (
    SECRET_SETTINGS,
    SecretStore,
    restore_passwords,
    secret_key,
    store_passwords,
)

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
    open311_url: str = ""  # a GeoReport v2 endpoint to poll, e.g. https://…/open311/v2
    open311_jurisdiction: str = ""
    open311_interval: str = "60"  # seconds between polls
    # The platform's service codes as catalog codes: "001=0103;006=0101"; others get the
    # default (a class code such as "01" 市容环境 is valid) until IT maps them.
    open311_categories: str = ""
    open311_default_category: str = "01"
    open311_crs: str = "wgs84"  # a domestic platform may send gcj02

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
                  env: Mapping[str, str] | None = None, path: Path | None = None,
                  secrets: SecretStore | None = None) -> Settings:
    """`secrets`: where passwords left out of the URLs are looked up (default: the OS
    credential store, asked only when a URL names a user without a password)."""
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
    settings = replace(settings, **_coerce("command line", given))
    urls = {name: getattr(settings, name) for name in SECRET_SETTINGS}
    return replace(settings, **restore_passwords(urls, secrets))


@dataclass(frozen=True, slots=True)
class SavedSettings:
    path: Path
    passwords_in_file: tuple[str, ...]  # settings whose password the file holds (no OS store)


_HEADER = """\
# Command Center settings, written by the settings dialog (设置). CC_* environment variables
# and command-line flags override what is here. Passwords are kept in the OS credential store
# when this computer has one; the URLs below then carry none.
"""


def save_settings(settings: Settings, path: Path | None = None, *,
                  secrets: SecretStore | None = None) -> SavedSettings:
    """Write the settings that differ from the defaults as TOML; passwords go to `secrets`
    (default: the OS credential store) when it takes them, else they stay in the file, which
    is then readable by its owner only (POSIX; on Windows the per-user folder already is)."""
    path = path or config_file()
    defaults = Settings()
    values = {f.name: getattr(settings, f.name) for f in fields(Settings)
              if getattr(settings, f.name) != getattr(defaults, f.name)}
    # Any URL naming a user involves the store: to take its password, or to forget an old one.
    names_user = any(secret_key(name, values.get(name, "")) for name in SECRET_SETTINGS)
    store = secrets if secrets is not None else (
        SecretStore.system() if names_user else SecretStore(None))
    values, in_file = store_passwords(values, store)
    text = _HEADER + "".join(f"{key} = {_toml_string(value)}\n" for key, value in values.items())
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "w", encoding="utf-8", newline="\n") as fh:
            if in_file and os.name == "posix":
                os.fchmod(fh.fileno(), 0o600)
            fh.write(text)
        os.replace(partial, path)
    except OSError as exc:
        if partial.is_file():
            partial.unlink()
        raise ConfigError(f"无法保存设置到 {path}：{exc.strerror or exc}") from exc
    return SavedSettings(path, tuple(in_file))


def _toml_string(value: str) -> str:
    """A TOML basic string (quotes, backslashes and control characters escaped)."""
    out = []
    for char in value:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


_TOML_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}

"""Settings: defaults < config file < CC_* environment < command-line flags, with real files;
saving writes a file that loads back to the same settings."""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.config import (
    ConfigError,
    Settings,
    config_file,
    load_settings,
    save_settings,
)
from commandcenter.secrets import SecretStore

NO_STORE = SecretStore(None)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(env={}, path=tmp_path / "missing.toml", secrets=NO_STORE)
    assert settings == Settings()
    assert settings.language == "zh_CN"
    assert settings.database_url().startswith("sqlite+pysqlite:///")


def test_file_over_defaults_env_over_file_flags_over_env(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", """
operator = "文件里的值班员"
workstation = "file-seat"
language = "en"
topic_prefix = "hall/v1"
""")
    env = {"CC_WORKSTATION": "env-seat", "CC_LANGUAGE": "zh_CN", "CC_UNRELATED": "x"}
    flags = {"language": "en", "db_url": None}  # None: the flag was not given

    only_file = load_settings(env={}, path=path, secrets=NO_STORE)
    assert (only_file.operator, only_file.workstation, only_file.language,
            only_file.topic_prefix) == ("文件里的值班员", "file-seat", "en", "hall/v1")

    with_env = load_settings(env=env, path=path, secrets=NO_STORE)
    assert with_env.workstation == "env-seat"  # env over file
    assert with_env.language == "zh_CN"
    assert with_env.operator == "文件里的值班员"  # the file still fills what env does not

    everything = load_settings(flags, env=env, path=path, secrets=NO_STORE)
    assert everything.language == "en"  # flag over env
    assert everything.workstation == "env-seat"
    assert everything.topic_prefix == "hall/v1"
    assert everything.db_url == ""  # a flag left out changes nothing
    assert everything.timezone == Settings().timezone  # default where nobody spoke


def test_the_default_file_is_the_per_user_config_folder(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("CC_CONFIG_DIR", str(tmp_path / "cfg"))
    write(tmp_path / "cfg" / "config.toml", 'operator = "李四"\n')
    assert config_file() == tmp_path / "cfg" / "config.toml"
    assert load_settings(env={}, secrets=NO_STORE).operator == "李四"


def test_an_unknown_key_or_bad_toml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'broker = "mqtt://x"\n')
    with pytest.raises(ConfigError, match=r"config\.toml: unknown setting 'broker'"):
        load_settings(env={}, path=path, secrets=NO_STORE)
    write(path, "operator = \n")
    with pytest.raises(ConfigError, match=r"config\.toml"):
        load_settings(env={}, path=path, secrets=NO_STORE)
    with pytest.raises(ConfigError, match="command line: operator must be text"):
        load_settings({"operator": 3}, env={}, path=tmp_path / "none.toml", secrets=NO_STORE)


def test_save_then_load_gives_the_same_settings(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    chosen = Settings(broker_url="mqtts://10.0.0.5:8883?ca=C:/certs/ca.pem",
                      db_url=f"sqlite+pysqlite:///{tmp_path / 'hall.db'}",
                      workstation="seat-3", operator='王"五\\', language="en")
    saved = save_settings(chosen, path, secrets=NO_STORE)
    assert saved.path == path and saved.passwords_in_file == ()
    assert load_settings(env={}, path=path, secrets=NO_STORE) == chosen
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert "timezone" not in data  # defaults are not written: a new default still applies
    assert data["language"] == "en"


def test_saving_without_a_credential_store_keeps_the_password_in_a_private_file(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "config.toml"
    chosen = Settings(broker_url="mqtt://cc:p%40ss@10.0.0.5",
                      db_url="postgresql+psycopg://cc:pg-secret@10.0.0.6/cc")
    with caplog.at_level(logging.WARNING):
        saved = save_settings(chosen, path, secrets=NO_STORE)
    assert saved.passwords_in_file == ("broker_url", "db_url")
    assert "kept in the config file" in caplog.text
    assert "pg-secret" not in caplog.text and "p%40ss" not in caplog.text
    assert "pg-secret" in path.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(env={}, path=path, secrets=NO_STORE) == chosen


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
@settings(max_examples=150, deadline=None)
def test_any_text_survives_the_toml_writer(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        save_settings(Settings(operator=text), path, secrets=NO_STORE)
        assert load_settings(env={}, path=path, secrets=NO_STORE).operator == text


def test_a_failed_save_is_a_config_error_and_leaves_no_partial_file(tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-folder", "")
    with pytest.raises(ConfigError, match="无法保存设置"):
        save_settings(Settings(operator="x"), blocker / "config.toml", secrets=NO_STORE)
    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / "config.toml").mkdir()  # a folder where the file should go
    with pytest.raises(ConfigError):
        save_settings(Settings(operator="x"), folder / "config.toml", secrets=NO_STORE)
    assert not (folder / "config.toml.partial").exists()

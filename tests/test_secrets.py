"""Passwords in the OS credential store: out of the config file when a store takes them, back
into the URLs on load; the config file (with a warning) when there is no store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commandcenter.config import Settings, load_settings, save_settings
from commandcenter.secrets import (
    SERVICE,
    SecretStore,
    secret_key,
    split_password,
    with_password,
)


@pytest.fixture
def file_keyring(tmp_path: Path) -> Iterator[object]:
    """A real keyring backend that keeps its passwords in a file of this test (keyrings.alt's
    PlaintextKeyring): the code path of the Windows Credential Manager, without touching the
    computer's own store."""
    from keyrings.alt.file import PlaintextKeyring  # a test dependency (pyproject [test])

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    yield backend


def test_url_passwords_split_and_join_back() -> None:
    assert split_password("mqtt://cc:p%40ss%3Aword@10.0.0.5:1883") == (
        "mqtt://cc@10.0.0.5:1883", "p@ss:word")
    assert split_password("mqtt://10.0.0.5") == ("mqtt://10.0.0.5", None)
    assert split_password("mqtt://cc@10.0.0.5") == ("mqtt://cc@10.0.0.5", None)
    assert split_password("postgresql+psycopg://cc:@h/db") == ("postgresql+psycopg://cc@h/db",
                                                               None)
    assert with_password("mqtt://cc@10.0.0.5:1883?ca=x", "p@ss:w/rd") == (
        "mqtt://cc:p%40ss%3Aw%2Frd@10.0.0.5:1883?ca=x")
    assert with_password("mqtt://10.0.0.5", "x") == "mqtt://10.0.0.5"  # no user: no password
    assert secret_key("broker_url", "mqtts://cc:x@10.0.0.5:8883") == "broker_url:cc@10.0.0.5:8883"
    assert secret_key("broker_url", "mqtt://10.0.0.5") is None


def test_with_a_keyring_the_file_holds_no_password_and_load_puts_it_back(
        tmp_path: Path, file_keyring: object) -> None:
    store = SecretStore(file_keyring)  # type: ignore[arg-type]
    path = tmp_path / "config.toml"
    chosen = Settings(broker_url="mqtts://cc:mq-s3cret@10.0.0.5:8883?ca=C:/ca.pem",
                      db_url="postgresql+psycopg://cc:pg-s3cret@10.0.0.6/cc")
    saved = save_settings(chosen, path, secrets=store)
    assert saved.passwords_in_file == ()
    text = path.read_text(encoding="utf-8")
    assert "s3cret" not in text
    assert 'broker_url = "mqtts://cc@10.0.0.5:8883?ca=C:/ca.pem"' in text
    assert 'db_url = "postgresql+psycopg://cc@10.0.0.6/cc"' in text
    assert file_keyring.get_password(  # type: ignore[attr-defined]
        SERVICE, "broker_url:cc@10.0.0.5:8883") == "mq-s3cret"
    assert load_settings(env={}, path=path, secrets=store) == chosen
    # Without the store the URLs stay without passwords (another Windows account, say).
    bare = load_settings(env={}, path=path, secrets=SecretStore(None))
    assert bare.broker_url == "mqtts://cc@10.0.0.5:8883?ca=C:/ca.pem"


def test_a_cleared_password_is_forgotten_and_another_server_gets_none(
        tmp_path: Path, file_keyring: object) -> None:
    store = SecretStore(file_keyring)  # type: ignore[arg-type]
    path = tmp_path / "config.toml"
    save_settings(Settings(broker_url="mqtt://cc:old@10.0.0.5"), path, secrets=store)
    save_settings(Settings(broker_url="mqtt://cc@10.0.0.5"), path, secrets=store)
    assert load_settings(env={}, path=path, secrets=store).broker_url == "mqtt://cc@10.0.0.5"
    save_settings(Settings(broker_url="mqtt://cc:new@10.0.0.5"), path, secrets=store)
    env = {"CC_BROKER_URL": "mqtt://cc@10.9.9.9"}  # same user, another broker
    assert load_settings(env=env, path=path, secrets=store).broker_url == "mqtt://cc@10.9.9.9"


def test_a_plain_text_keyring_does_not_count_as_the_os_store(file_keyring: object) -> None:
    """keyrings.alt's file is no safer than the config file: the OS store or nothing."""
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(file_keyring)  # type: ignore[arg-type]
    try:
        store = SecretStore.system()
    finally:
        keyring.set_keyring(previous)
    assert not store.available
    assert store.get("broker_url:cc@h") is None
    assert store.put("broker_url:cc@h", "x") is False


def test_no_store_keeps_passwords_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    chosen = Settings(broker_url="mqtt://cc:pw@10.0.0.5")
    saved = save_settings(chosen, path, secrets=SecretStore(None))
    assert saved.passwords_in_file == ("broker_url",)
    assert load_settings(env={}, path=path, secrets=SecretStore(None)) == chosen

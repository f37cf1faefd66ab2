""""Test connection" against the real thing: a private Mosquitto (anonymous, with passwords,
with TLS), PostgreSQL at 127.0.0.1 and SQLite files. Only loopback addresses."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from commandcenter.connection_check import check_broker, check_database, normalize_database_url
from commandcenter.store.database import SCHEMA_HEAD, open_database
from tests.support.mosquitto import Mosquitto, free_port

pytestmark = pytest.mark.broker


# --- broker ------------------------------------------------------------------------------------
def test_a_running_broker_is_reachable(mosquitto: Mosquitto) -> None:
    result = check_broker(mosquitto.url)
    assert result.ok
    assert result.message == f"消息服务器可达，已接受匿名连接（mqtt://127.0.0.1:{mosquitto.port}）"


def test_a_closed_port_is_refused() -> None:
    port = free_port()
    result = check_broker(f"mqtt://cc:pw@127.0.0.1:{port}")
    assert not result.ok
    assert result.message == f"连接被拒绝：127.0.0.1:{port}"


def test_credentials_on_a_broker_that_requires_them(auth_broker: Mosquitto) -> None:
    port = auth_broker.port
    good = check_broker(f"mqtt://cc:s3cret@127.0.0.1:{port}")
    assert good.ok
    assert good.message == f"消息服务器可达，已通过认证（mqtt://cc@127.0.0.1:{port}）"
    bad = check_broker(f"mqtt://cc:wrong-pass@127.0.0.1:{port}")
    assert not bad.ok and bad.message == "用户名或密码错误"
    assert "wrong-pass" not in bad.message
    anonymous = check_broker(f"mqtt://127.0.0.1:{port}")
    assert not anonymous.ok and anonymous.message == "消息服务器要求用户名和密码"


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:  # accepts the TCP connection, never speaks MQTT
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        result = check_broker(f"mqtt://127.0.0.1:{port}", timeout=0.5)
    assert not result.ok
    assert result.message == f"超时：0.5 秒内无响应（127.0.0.1:{port}）"


def test_tls_verifies_the_certificate_against_the_given_ca(
        tls_broker: tuple[Mosquitto, Path]) -> None:
    broker, ca = tls_broker
    unknown_ca = check_broker(f"mqtts://127.0.0.1:{broker.port}")
    assert not unknown_ca.ok
    assert unknown_ca.message.startswith("TLS 证书验证失败：")
    trusted = check_broker(f"mqtts://127.0.0.1:{broker.port}?ca={ca}")
    assert trusted.ok, trusted.message
    assert trusted.message.endswith(f"（mqtts://127.0.0.1:{broker.port}）")
    plain = check_broker(f"mqtt://127.0.0.1:{broker.port}", timeout=2)
    assert not plain.ok and "TLS（mqtts://）" in plain.message


def test_tls_to_a_plain_port_and_missing_certificate_files(mosquitto: Mosquitto,
                                                           tmp_path: Path) -> None:
    handshake = check_broker(f"mqtts://127.0.0.1:{mosquitto.port}", timeout=2)
    assert not handshake.ok and handshake.message.startswith("TLS 握手失败")
    missing = check_broker(f"mqtts://127.0.0.1:{mosquitto.port}?ca={tmp_path}/nope.pem")
    assert not missing.ok and missing.message == f"找不到CA 证书文件：{tmp_path}/nope.pem"


def test_a_malformed_url_says_what_is_wrong_without_the_password() -> None:
    result = check_broker("http://cc:hunter2@127.0.0.1")
    assert not result.ok
    assert "mqtt://" in result.message and "hunter2" not in result.message


# --- database ----------------------------------------------------------------------------------
def test_a_new_sqlite_file_is_not_created_by_the_check(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cc.db"
    result = check_database(f"sqlite+pysqlite:///{path}")
    assert result.ok
    assert result.message.startswith("数据库是空的，首次启动时会创建表")
    assert not path.exists() and not path.parent.exists()


def test_a_migrated_sqlite_database_reports_its_schema(sqlite_url: str) -> None:
    open_database(sqlite_url).dispose()
    result = check_database(sqlite_url)
    assert result.ok
    assert result.message == (f"数据库可用（SQLite {sqlite3.sqlite_version}，"
                              f"结构版本 {SCHEMA_HEAD}）")


def test_a_schema_newer_than_the_program_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    open_database(sqlite_url).dispose()
    with sqlite3.connect(tmp_path / "cc.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    result = check_database(sqlite_url)
    assert not result.ok
    assert result.message == f"数据库的结构版本 9999 比本程序（{SCHEMA_HEAD}）新，请升级程序"


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"this is a shift report, not a database\n" * 200)
    result = check_database(f"sqlite:///{junk}")
    assert not result.ok
    assert result.message == f"不是 SQLite 数据库文件（或已损坏）：{junk}"
    folder = check_database(f"sqlite:///{tmp_path}")
    assert not folder.ok and folder.message.startswith("这是一个文件夹")


@pytest.mark.postgres
def test_postgresql_empty_then_migrated(pg_url: str) -> None:
    empty = check_database(pg_url)
    assert empty.ok and empty.message.startswith("数据库是空的，首次启动时会创建表（PostgreSQL ")
    open_database(pg_url).dispose()
    ready = check_database(pg_url)
    assert ready.ok
    assert ready.message.startswith("数据库可用（PostgreSQL ")
    assert ready.message.endswith(f"结构版本 {SCHEMA_HEAD}）")


@pytest.mark.postgres
def test_postgresql_refused_on_a_closed_port_and_a_missing_database(pg_url: str) -> None:
    port = free_port()
    refused = check_database(f"postgresql://cc:pg-secret@127.0.0.1:{port}/cc")
    assert not refused.ok
    assert refused.message == f"连接被拒绝：127.0.0.1:{port}"
    base = pg_url.split("?")[0].rsplit("/", 1)[0]
    missing = check_database(f"{base}/no_such_db_cc")
    assert not missing.ok and missing.message == "数据库 no_such_db_cc 不存在"


def test_postgres_urls_get_the_shipped_driver() -> None:
    assert normalize_database_url(" postgresql://cc@h/cc") == "postgresql+psycopg://cc@h/cc"
    assert normalize_database_url("postgres://cc@h/cc") == "postgresql+psycopg://cc@h/cc"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert not check_database("mysql://cc@127.0.0.1/cc").ok

""""Test connection" for the settings dialog: try the broker or the database once and answer
in a sentence IT can act on ("连接被拒绝：10.0.0.5:1883"), never with a password in it.

Blocking (up to `timeout` seconds per step): the UI runs these off the GUI thread. Nothing is
changed: the broker gets a clean session that is closed again, the database is only read.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import ssl
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from commandcenter.ingest.broker_url import BrokerUrl, BrokerUrlError
from commandcenter.secrets import split_password
from commandcenter.store.database import SCHEMA_HEAD

log = logging.getLogger(__name__)

# MQTT 3.1.1 CONNACK refusals as paho 2 reports them (v5 reason codes).
_BAD_CREDENTIALS = 134  # "Bad user name or password"
_NOT_AUTHORIZED = 135  # Mosquitto's answer to a wrong password and to a missing one


@dataclass(frozen=True, slots=True)
class CheckResult:
    ok: bool
    message: str


def _seconds(timeout: float) -> str:
    return f"{timeout:g}"


def _network_error(exc: OSError, host: str, port: int, timeout: float) -> CheckResult:
    """The socket-level failures both checks share, in words."""
    if isinstance(exc, ConnectionRefusedError):
        return CheckResult(False, f"连接被拒绝：{host}:{port}")
    if isinstance(exc, socket.gaierror):
        return CheckResult(False, f"地址无法解析：{host}")
    if isinstance(exc, TimeoutError):
        return CheckResult(False, f"超时：{_seconds(timeout)} 秒内无响应（{host}:{port}）")
    reason = exc.strerror or str(exc) or type(exc).__name__
    return CheckResult(False, f"无法连接 {host}:{port}：{reason}")


# --- broker -------------------------------------------------------------------------------------
def check_broker(url: str, timeout: float = 5.0) -> CheckResult:
    """Connect once with the URL's TLS settings and credentials, then disconnect."""
    try:
        broker = BrokerUrl.parse(url)
    except BrokerUrlError as exc:
        return CheckResult(False, str(exc))
    try:
        return _scrub(_check_broker(broker, timeout), broker.password)
    except Exception as exc:  # a bug here must not kill the dialog's worker: report it
        log.exception("broker check of %s failed", broker.display)
        return CheckResult(False, _scrub_text(f"检查失败：{type(exc).__name__}: {exc}",
                                              broker.password))


def _check_broker(broker: BrokerUrl, timeout: float) -> CheckResult:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    for label, name in (("CA 证书", broker.ca_file), ("客户端证书", broker.cert_file),
                        ("客户端私钥", broker.key_file)):
        if name and not Path(name).is_file():
            return CheckResult(False, f"找不到{label}文件：{name}")
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"cc-check-{uuid.uuid4().hex[:8]}",
                         clean_session=True, protocol=mqtt.MQTTv311)
    client.connect_timeout = timeout
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    if broker.tls:
        try:
            context = ssl.create_default_context(cafile=broker.ca_file)
            if broker.cert_file:
                context.load_cert_chain(broker.cert_file, broker.key_file)
        except (ssl.SSLError, OSError) as exc:
            return CheckResult(False, f"证书文件无法使用：{_ssl_reason(exc)}")
        if broker.insecure:
            context.check_hostname = False
        client.tls_set_context(context)
        # The handshake on our own socket first: paho leaks its socket when it fails.
        failure = _tls_handshake(context, broker, timeout)
        if failure is not None:
            return failure
    answers: list[Any] = []
    client.on_connect = lambda _c, _u, _f, reason_code, _p: answers.append(reason_code)
    where = f"{broker.host}:{broker.port}"
    try:
        client.connect(broker.host, broker.port, keepalive=max(10, int(timeout * 2)))
    except ssl.SSLCertVerificationError as exc:
        return CheckResult(False, f"TLS 证书验证失败：{exc.verify_message or exc.reason}")
    except ssl.SSLError as exc:
        return CheckResult(False, f"TLS 握手失败：{_ssl_reason(exc)}（{where} 是否启用了 TLS？）")
    except OSError as exc:
        if broker.tls and isinstance(exc, ConnectionResetError):
            return CheckResult(False, f"TLS 握手失败：{where} 断开了连接（是否启用了 TLS？）")
        return _network_error(exc, broker.host, broker.port, timeout)
    try:
        deadline = time.monotonic() + timeout
        while not answers and time.monotonic() < deadline:
            rc = client.loop(timeout=0.1)
            if rc != mqtt.MQTT_ERR_SUCCESS and not answers:
                hint = "" if broker.tls else "，或者服务器要求 TLS（mqtts://）"
                return CheckResult(False, f"{where} 断开了连接，没有 MQTT 应答：端口不对{hint}")
        if not answers:
            return CheckResult(False, f"超时：{_seconds(timeout)} 秒内无响应（{where}）")
        reason = answers[0]
        if not reason.is_failure:
            if broker.username:
                return CheckResult(True, f"消息服务器可达，已通过认证（{broker.display}）")
            return CheckResult(True, f"消息服务器可达，已接受匿名连接（{broker.display}）")
        if reason.value in (_BAD_CREDENTIALS, _NOT_AUTHORIZED):
            if not broker.username:
                return CheckResult(False, "消息服务器要求用户名和密码")
            return CheckResult(False, "用户名或密码错误")
        return CheckResult(False, f"消息服务器拒绝连接：{reason}")
    finally:
        client.disconnect()
        client.loop(timeout=0.1)  # flush the DISCONNECT; closes the socket


def _tls_handshake(context: ssl.SSLContext, broker: BrokerUrl,
                   timeout: float) -> CheckResult | None:
    where = f"{broker.host}:{broker.port}"
    try:
        with socket.create_connection((broker.host, broker.port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=broker.host):
            return None
    except ssl.SSLCertVerificationError as exc:
        return CheckResult(False, f"TLS 证书验证失败：{exc.verify_message or exc.reason}")
    except ssl.SSLError as exc:
        return CheckResult(False, f"TLS 握手失败：{_ssl_reason(exc)}（{where} 是否启用了 TLS？）")
    except ConnectionResetError:
        return CheckResult(False, f"TLS 握手失败：{where} 断开了连接（是否启用了 TLS？）")
    except OSError as exc:
        return _network_error(exc, broker.host, broker.port, timeout)


def _ssl_reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError):
        return str(exc.reason or exc.strerror or exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}：{exc.filename}" if exc.filename else str(exc)
    return str(exc)


# --- database -----------------------------------------------------------------------------------
def normalize_database_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean the driver we ship: psycopg (version 3)."""
    text = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix):]
    return text


def check_database(url: str, timeout: float = 5.0) -> CheckResult:
    """Open the database read-only (no migration, no file created) and say what is there."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = normalize_database_url(url)
    password = split_password(url)[1]
    try:
        parsed = make_url(url)
    except ArgumentError:
        return CheckResult(False, _scrub_text(f"数据库地址格式无效：{url}", password))
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            return _check_sqlite(parsed.database or "", timeout)
        if backend == "postgresql":
            return _scrub(_check_postgres(url, parsed.host, parsed.port or 5432,
                                          parsed.username, parsed.database, timeout), password)
    except Exception as exc:  # a bug here must not kill the dialog's worker: report it
        log.exception("database check failed")
        return CheckResult(False, _scrub_text(f"检查失败：{type(exc).__name__}: {exc}",
                                              password))
    return CheckResult(False, f"不支持的数据库类型：{backend}（可用 SQLite 或 PostgreSQL）")


def _schema_answer(product: str, revision: str | None, has_tables: bool) -> CheckResult:
    if revision is None:
        if has_tables:
            return CheckResult(False, f"{product} 数据库里已有其他程序的表，没有本程序的结构版本；"
                                      "请使用一个空数据库")
        return CheckResult(True, f"数据库是空的，首次启动时会创建表（{product}）")
    if revision.isdigit() and SCHEMA_HEAD.isdigit() and int(revision) > int(SCHEMA_HEAD):
        return CheckResult(False, f"数据库的结构版本 {revision} 比本程序（{SCHEMA_HEAD}）新，"
                                  "请升级程序")
    if revision != SCHEMA_HEAD:
        return CheckResult(True, f"数据库可用（{product}，结构版本 {revision}，"
                                 f"启动时会升级到 {SCHEMA_HEAD}）")
    return CheckResult(True, f"数据库可用（{product}，结构版本 {revision}）")


def _check_sqlite(name: str, timeout: float) -> CheckResult:
    if not name or name == ":memory:":
        return CheckResult(False, "SQLite 数据库需要一个文件路径")
    path = Path(name)
    if path.is_dir():
        return CheckResult(False, f"这是一个文件夹，不是数据库文件：{path}")
    if not path.exists():
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not os.access(folder, os.W_OK):
            return CheckResult(False, f"无法创建数据库文件：没有写入 {folder} 的权限")
        return CheckResult(True, f"数据库是空的，首次启动时会创建表（新文件 {path}）")
    if not os.access(path, os.R_OK | os.W_OK):
        return CheckResult(False, f"数据库文件不可读写（权限不足）：{path}")
    product = f"SQLite {sqlite3.sqlite_version}"
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                               timeout=timeout)
    except sqlite3.Error as exc:
        return CheckResult(False, f"无法打开数据库文件 {path}：{exc}")
    try:
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            return CheckResult(False, f"不是 SQLite 数据库文件（或已损坏）：{path}")
        return CheckResult(False, f"无法读取数据库文件 {path}：{exc}")
    finally:
        conn.close()
    return _schema_answer(product, revision, bool(tables))


def _check_postgres(url: str, host: str | None, port: int, user: str | None,
                    database: str | None, timeout: float) -> CheckResult:
    # The socket first: "refused" and "no such host" in plain words, before the driver's.
    if host:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
        except OSError as exc:
            return _network_error(exc, host, port, timeout)
    try:
        import psycopg  # noqa: F401  (the driver the bundle ships)
    except ImportError:
        return CheckResult(False, "缺少 PostgreSQL 驱动（psycopg），请安装带 PostgreSQL 支持的版本")
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool,
                           connect_args={"connect_timeout": max(1, round(timeout))})
    try:
        with engine.connect() as conn:
            version = str(conn.exec_driver_sql("SHOW server_version").scalar() or "?")
            inspector = inspect(conn)
            tables = inspector.get_table_names()
            revision = None
            if "alembic_version" in tables:
                revision = conn.exec_driver_sql(
                    "SELECT version_num FROM alembic_version").scalar()
            conn.rollback()
    except DBAPIError as exc:
        return _postgres_error(str(exc.orig), user, database)
    finally:
        engine.dispose()
    return _schema_answer(f"PostgreSQL {version.split()[0]}", revision, bool(tables))


def _postgres_error(text: str, user: str | None, database: str | None) -> CheckResult:
    if "password authentication failed" in text:
        return CheckResult(False, f"用户名或密码错误（数据库用户 {user}）")
    if "no password supplied" in text:
        return CheckResult(False, f"数据库要求密码（数据库用户 {user}）")
    if "does not exist" in text and f'database "{database}"' in text:
        return CheckResult(False, f"数据库 {database} 不存在")
    if "does not exist" in text and f'role "{user}"' in text:
        return CheckResult(False, f"数据库用户 {user} 不存在")
    if "timeout expired" in text:
        return CheckResult(False, "超时：数据库没有及时应答")
    first = next((line.strip() for line in text.splitlines() if line.strip()), text)
    return CheckResult(False, f"无法连接数据库：{first}")


# --- never a password in an answer --------------------------------------------------------------
def _scrub_text(text: str, password: str | None) -> str:
    if password:
        text = text.replace(password, "***").replace(quote(password, safe=""), "***")
    return text


def _scrub(result: CheckResult, password: str | None) -> CheckResult:
    return CheckResult(result.ok, _scrub_text(result.message, password))

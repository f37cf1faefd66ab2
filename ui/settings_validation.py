"""The settings dialog's field checks, one function per field: the text as typed in, None when
it is valid, else the message the dialog shows under the field.

Kept apart from the dialog so the rules can be read (and changed) without the layout around them,
and because they need no widget: only `QCoreApplication.translate`. The messages keep the
translation context "SettingsDialog" they had when they lived in the dialog's module.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from commandcenter.connection_check import normalize_database_url
from ui.qt import QCoreApplication

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?"
                       r"(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$")


def host_error(host: str) -> str | None:
    host = host.strip()
    if not host:
        return None
    if "://" in host:
        return QCoreApplication.translate("SettingsDialog", "只填主机名或 IP 地址，不要带 mqtt://")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return None
    except ValueError:
        pass
    if not _HOSTNAME.match(host):
        return QCoreApplication.translate("SettingsDialog",
                                          "主机名无效：只能有字母、数字、点和连字符")
    return None


def port_error(text: str) -> str | None:
    text = text.strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        return QCoreApplication.translate("SettingsDialog", "端口应为 1–65535 之间的整数")
    return None


def file_error(text: str) -> str | None:
    if not text.strip():
        return None
    path = Path(text.strip())
    if path.is_dir():
        return QCoreApplication.translate("SettingsDialog", "这是一个文件夹，请选择文件")
    if not path.is_file():
        return QCoreApplication.translate("SettingsDialog", "文件不存在")
    return None


def sqlite_path_error(text: str) -> str | None:
    text = text.strip()
    if not text:
        return QCoreApplication.translate("SettingsDialog", "请填写数据库文件的路径")
    path = Path(text)
    if not path.is_absolute():
        return QCoreApplication.translate("SettingsDialog",
                                          "请填写完整路径，例如 D:/指挥中心/commandcenter.db")
    if path.is_dir():
        return QCoreApplication.translate("SettingsDialog", "这是一个文件夹，请填写文件名")
    return None


def postgres_url_error(text: str) -> str | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = normalize_database_url(text)
    if not text:
        return QCoreApplication.translate("SettingsDialog", "请填写 PostgreSQL 地址，例如 postgresql://cc@10.0.0.6/cc")
    try:
        url = make_url(text)
    except ArgumentError:
        return QCoreApplication.translate("SettingsDialog", "地址格式无效，应为 postgresql://用户名@主机:端口/数据库名")
    if url.get_backend_name() != "postgresql":
        return QCoreApplication.translate("SettingsDialog", "应以 postgresql:// 开头")
    if not url.host:
        return QCoreApplication.translate("SettingsDialog", "地址中缺少主机")
    if not url.database:
        return QCoreApplication.translate("SettingsDialog", "地址中缺少数据库名")
    return None


def workstation_error(text: str) -> str | None:
    text = text.strip()
    if not text:
        return QCoreApplication.translate("SettingsDialog", "请填写工作站名称")
    if re.search(r"[\s/+#]", text):
        return QCoreApplication.translate("SettingsDialog", "工作站名称不能包含空格或 / + #")
    if len(text) > 40:
        return QCoreApplication.translate("SettingsDialog", "工作站名称最多 40 个字符")
    return None


def operator_error(text: str) -> str | None:
    if not text.strip():
        return QCoreApplication.translate("SettingsDialog", "请填写值班员姓名")
    return None

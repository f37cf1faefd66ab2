"""设置: where the console connects (broker, database) and who sits at it, for IT.

Shown on the first start (no config file yet) and from 文件 → 设置…. Every field says what is
wrong with it next to it and 确定 stays disabled until all are valid. "测试连接" runs the
Qt-free checks of `commandcenter.connection_check` off the GUI thread through `run(job,
on_done)` (the console's `Bridge.run`). 确定 writes the config file; passwords go to the OS
credential store when there is one (`commandcenter.secrets`).

This module is the dialog (its layout, the values in and out, saving) and the ways the console
opens it (the menu entry, the first start). The field rules are in `ui.settings_validation`, the
row and colour pieces in `ui.settings_widgets`, and a 测试连接 button's bookkeeping in
`ui.settings_probe`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from commandcenter.config import (
    ConfigError,
    SavedSettings,
    Settings,
    config_file,
    data_dir,
    save_settings,
)
from commandcenter.connection_check import check_broker, check_database, normalize_database_url
from commandcenter.ingest.broker_url import BrokerUrl, BrokerUrlError
from commandcenter.secrets import SecretStore, split_password, with_password
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAction,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from ui.settings_probe import ConnectionProbe, Run
from ui.settings_validation import (
    file_error,
    host_error,
    operator_error,
    port_error,
    postgres_url_error,
    sqlite_path_error,
    workstation_error,
)
from ui.settings_widgets import (
    ERROR_STYLE,
    NOTE_STYLE,
    WARN_STYLE,
    FieldRow,
    button_line,
    selectable,
)

log = logging.getLogger(__name__)
# Each language by its own name; "中文" gets "(Chinese)" added in the English catalogue.
LANGUAGES = (("zh_CN", QT_TRANSLATE_NOOP("SettingsDialog", "中文")), ("en", "English"))


def default_sqlite_path() -> Path:
    return data_dir() / "commandcenter.db"


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, *, run: Run, secrets: SecretStore | None = None,
                 config_path: Path | None = None, env: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置"))
        self._initial = settings
        self._run = run
        self._secrets = secrets if secrets is not None else SecretStore.system()
        self._config_path = config_path or config_file()
        self.saved: SavedSettings | None = None
        self._build()
        self._load(settings)
        self._notes(os.environ if env is None else env)
        self.validate()

    # --- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("例如 10.0.0.5；留空表示不连接消息服务器"))
        self.port = QLineEdit("1883")
        self.port.setMaximumWidth(80)
        self.tls = QCheckBox(self.tr("使用 TLS 加密（mqtts://）"))
        self.ca_file = QLineEdit()
        self.cert_file = QLineEdit()
        self.key_file = QLineEdit()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_broker = QPushButton(self.tr("测试连接(&B)"))
        self.broker_answer = QLabel()
        self.broker_answer.setWordWrap(True)
        self.broker_answer.setTextInteractionFlags(
            self.broker_answer.textInteractionFlags() | selectable())

        broker_box = QGroupBox(self.tr("消息服务器（MQTT）"))
        form = QFormLayout(broker_box)
        self._rows: dict[str, FieldRow] = {}
        self._add(form, "host", self.tr("主机(&H)："), self.host)
        self._add(form, "port", self.tr("端口(&P)："), self.port, stretch_first=False)
        form.addRow("", self.tls)
        self._add(form, "ca_file", self.tr("CA 证书："), self.ca_file,
                  self._browse_button(self.ca_file, self.tr("选择 CA 证书"), cert=True))
        self._add(form, "cert_file", self.tr("客户端证书："), self.cert_file,
                  self._browse_button(self.cert_file, self.tr("选择客户端证书"), cert=True))
        self._add(form, "key_file", self.tr("客户端私钥："), self.key_file,
                  self._browse_button(self.key_file, self.tr("选择客户端私钥"), cert=True))
        self._add(form, "username", self.tr("用户名(&U)："), self.username)
        self._add(form, "password", self.tr("密码(&W)："), self.password)
        form.addRow(button_line(self.test_broker, self.broker_answer))

        self.sqlite = QRadioButton(self.tr("内置 SQLite 数据库（单机）(&S)"))
        self.postgres = QRadioButton(self.tr("PostgreSQL（多工作站共用）(&G)"))
        self.db_kind = QButtonGroup(self)
        self.db_kind.addButton(self.sqlite)
        self.db_kind.addButton(self.postgres)
        self.sqlite_path = QLineEdit()
        self.pg_url = QLineEdit()
        self.pg_url.setPlaceholderText("postgresql://cc@10.0.0.6:5432/cc")
        self.pg_password = QLineEdit()
        self.pg_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_database = QPushButton(self.tr("测试连接(&D)"))
        self.database_answer = QLabel()
        self.database_answer.setWordWrap(True)
        self.database_answer.setTextInteractionFlags(
            self.database_answer.textInteractionFlags() | selectable())
        self._probes = {  # each 测试连接 button with the answer beside it
            "broker": ConnectionProbe(self.test_broker, self.broker_answer, self._run,
                                      self.validate),
            "database": ConnectionProbe(self.test_database, self.database_answer, self._run,
                                        self.validate),
        }
        db_box = QGroupBox(self.tr("数据库"))
        db_form = QFormLayout(db_box)
        db_form.addRow(self.sqlite)
        self._add(db_form, "sqlite_path", self.tr("文件："), self.sqlite_path,
                  self._browse_button(self.sqlite_path, self.tr("选择数据库文件"), cert=False))
        db_form.addRow(self.postgres)
        self._add(db_form, "pg_url", self.tr("地址："), self.pg_url)
        self._add(db_form, "pg_password", self.tr("密码："), self.pg_password)
        db_form.addRow(button_line(self.test_database, self.database_answer))

        self.workstation = QLineEdit()
        self.operator = QLineEdit()
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(QCoreApplication.translate("SettingsDialog", str(name)), code)
        seat_box = QGroupBox(self.tr("本工作站"))
        seat_form = QFormLayout(seat_box)
        self._add(seat_form, "workstation", self.tr("工作站名称(&N)："), self.workstation)
        self._add(seat_form, "operator", self.tr("值班员(&O)："), self.operator)
        self._add(seat_form, "language", self.tr("界面语言(&L)："), self.language,
                  stretch_first=False)

        self.secrets_note = QLabel()
        self.secrets_note.setWordWrap(True)
        self.env_note = QLabel()
        self.env_note.setWordWrap(True)
        self.env_note.setStyleSheet(WARN_STYLE)
        self.path_note = QLabel()
        self.path_note.setWordWrap(True)
        self.path_note.setStyleSheet(NOTE_STYLE)
        self.path_note.setTextInteractionFlags(selectable())

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        right = QVBoxLayout()
        right.addWidget(db_box)
        right.addWidget(seat_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(broker_box, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.secrets_note)
        layout.addWidget(self.env_note)
        layout.addWidget(self.path_note)
        layout.addWidget(self.buttons)

        for edit in (self.host, self.port, self.ca_file, self.cert_file, self.key_file,
                     self.username, self.password):
            edit.textChanged.connect(lambda _t: self._changed("broker"))
        self.tls.toggled.connect(self._on_tls)
        for edit in (self.sqlite_path, self.pg_url, self.pg_password):
            edit.textChanged.connect(lambda _t: self._changed("database"))
        self.sqlite.toggled.connect(lambda _on: self._changed("database"))
        self.workstation.textChanged.connect(lambda _t: self.validate())
        self.operator.textChanged.connect(lambda _t: self.validate())
        self.test_broker.clicked.connect(self.start_broker_check)
        self.test_database.clicked.connect(self.start_database_check)
        self.setMinimumWidth(980)

    def _add(self, form: QFormLayout, name: str, label: str, field: QWidget,
             *extra: QWidget, stretch_first: bool = True) -> None:
        row = FieldRow(field, *extra, stretch_first=stretch_first)
        self._rows[name] = row
        label_widget = QLabel(label)
        label_widget.setBuddy(field)  # the &-key in the label focuses the field
        form.addRow(label_widget, row)

    def _browse_button(self, target: QLineEdit, title: str, *, cert: bool) -> QPushButton:
        button = QPushButton(self.tr("浏览…"))
        button.setAutoDefault(False)
        button.clicked.connect(lambda _=False: self._browse(target, title, cert=cert))
        return button

    def _browse(self, target: QLineEdit, title: str, *, cert: bool) -> None:
        start = target.text().strip() or str(Path.home())
        if cert:
            name, _filter = QFileDialog.getOpenFileName(
                self, title, start, self.tr("证书和密钥 (*.pem *.crt *.cer *.key);;所有文件 (*)"))
        else:
            name, _filter = QFileDialog.getSaveFileName(
                self, title, start, self.tr("SQLite 数据库 (*.db *.sqlite);;所有文件 (*)"),
                options=QFileDialog.Option.DontConfirmOverwrite)
        if name:
            target.setText(str(Path(name)))

    # --- values in and out -----------------------------------------------------------------
    def _load(self, settings: Settings) -> None:
        self._insecure = False
        if settings.broker_url:
            try:
                broker = BrokerUrl.parse(settings.broker_url)
            except BrokerUrlError as exc:
                self._rows["host"].show_error(str(exc))
                log.warning("settings dialog: %s", exc)
            else:
                self.host.setText(broker.host)
                self.tls.setChecked(broker.tls)
                self.port.setText(str(broker.port))
                self.ca_file.setText(broker.ca_file or "")
                self.cert_file.setText(broker.cert_file or "")
                self.key_file.setText(broker.key_file or "")
                self.username.setText(broker.username or "")
                self.password.setText(broker.password or "")
                self._insecure = broker.insecure
        self._on_tls(self.tls.isChecked(), adjust_port=False)
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        db_url = settings.db_url
        self.sqlite_path.setText(str(default_sqlite_path()))
        self.sqlite.setChecked(True)
        if db_url:
            try:
                backend = make_url(db_url).get_backend_name()
            except ArgumentError:
                backend = ""
            if backend == "sqlite":
                self.sqlite_path.setText(make_url(db_url).database or "")
            else:
                bare, password = split_password(db_url)
                self.postgres.setChecked(True)
                self.pg_url.setText(bare)
                self.pg_password.setText(password or "")
        self.workstation.setText(settings.workstation)
        self.operator.setText(settings.operator)
        index = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(index, 0))

    def _notes(self, env: dict[str, str] | Any) -> None:
        if self._secrets.available:
            self.secrets_note.setText(self.tr("密码保存在系统凭据存储中（{store}），配置文件里不含密码。")
                                      .format(store=self._secrets.name))
            self.secrets_note.setStyleSheet(NOTE_STYLE)
        else:
            self.secrets_note.setText(self.tr("此电脑没有系统凭据存储，密码将保存在配置文件中"))
            self.secrets_note.setStyleSheet(WARN_STYLE)
        overridden = [f"CC_{f.name.upper()}" for f in fields(Settings)
                      if f"CC_{f.name.upper()}" in env]
        self.env_note.setText(self.tr("注意：环境变量 {names} 优先于这里保存的设置。")
                              .format(names=", ".join(overridden)))
        self.env_note.setVisible(bool(overridden))
        self.path_note.setText(self.tr("配置文件：{path}").format(path=self._config_path))

    def broker_url(self) -> str:
        """The URL the fields describe ("" when no host: no broker)."""
        host = self.host.text().strip()
        if not host:
            return ""
        tls = self.tls.isChecked()
        user = self.username.text()
        userinfo = ""
        if user:
            userinfo = quote(user, safe="")
            if self.password.text():
                userinfo += ":" + quote(self.password.text(), safe="")
            userinfo += "@"
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"  # an IPv6 address
        port = self.port.text().strip()
        default = "8883" if tls else "1883"
        netloc = userinfo + host + ("" if port == default else f":{port}")
        query = []
        if tls:
            for key, edit in (("ca", self.ca_file), ("cert", self.cert_file),
                              ("key", self.key_file)):
                if edit.text().strip():
                    query.append(f"{key}={quote(edit.text().strip(), safe='/:')}")
            if self._insecure:
                query.append("insecure=1")
        scheme = "mqtts" if tls else "mqtt"
        return f"{scheme}://{netloc}" + ("?" + "&".join(query) if query else "")

    def database_url(self) -> str:
        """The URL the fields describe; "" for the default embedded file."""
        if self.sqlite.isChecked():
            path = Path(self.sqlite_path.text().strip())
            if path == default_sqlite_path():
                return ""
            return f"sqlite+pysqlite:///{path}"
        url = normalize_database_url(self.pg_url.text())
        if self.pg_password.text():
            url = with_password(split_password(url)[0], self.pg_password.text())
        return url

    def result_settings(self) -> Settings:
        return replace(self._initial, broker_url=self.broker_url(),
                       db_url=self.database_url(),
                       workstation=self.workstation.text().strip(),
                       operator=self.operator.text().strip(),
                       language=str(self.language.currentData()))

    # --- validation ------------------------------------------------------------------------
    def _on_tls(self, on: bool, *, adjust_port: bool = True) -> None:
        for edit in (self.ca_file, self.cert_file, self.key_file):
            edit.setEnabled(on)
        for name in ("ca_file", "cert_file", "key_file"):
            for button in self._rows[name].findChildren(QPushButton):
                button.setEnabled(on)
        if adjust_port and self.port.text().strip() == ("1883" if on else "8883"):
            self.port.setText("8883" if on else "1883")  # the usual port for the scheme
        self._changed("broker")

    def _changed(self, group: str) -> None:
        self._probes[group].invalidate()  # an answer still on its way is for the old values
        self.validate()

    def validate(self) -> bool:
        rows = self._rows
        tls = self.tls.isChecked()
        has_host = bool(self.host.text().strip())
        host_msg = host_error(self.host.text())
        if not has_host and (self.username.text() or self.password.text()
                             or (tls and (self.ca_file.text() or self.cert_file.text()))):
            host_msg = self.tr("填写了用户名、密码或证书时必须填写主机")
        broker_ok = all([
            rows["host"].show_error(host_msg),
            rows["port"].show_error(port_error(self.port.text()) if has_host else None),
            rows["ca_file"].show_error(file_error(self.ca_file.text()) if tls else None),
            rows["cert_file"].show_error(file_error(self.cert_file.text()) if tls else None),
            rows["key_file"].show_error(self._key_error() if tls else None),
            rows["username"].show_error(None),
            rows["password"].show_error(
                self.tr("填写密码时必须填写用户名")
                if self.password.text() and not self.username.text() else None),
        ])
        sqlite = self.sqlite.isChecked()
        self.sqlite_path.setEnabled(sqlite)
        rows["sqlite_path"].findChildren(QPushButton)[0].setEnabled(sqlite)
        self.pg_url.setEnabled(not sqlite)
        self.pg_password.setEnabled(not sqlite)
        pg_user = split_password(normalize_database_url(self.pg_url.text()))[0]
        database_ok = all([
            rows["sqlite_path"].show_error(
                sqlite_path_error(self.sqlite_path.text()) if sqlite else None),
            rows["pg_url"].show_error(None if sqlite else postgres_url_error(self.pg_url.text())),
            rows["pg_password"].show_error(
                self.tr("填写密码时地址中必须有用户名（postgresql://用户名@主机/数据库）")
                if not sqlite and self.pg_password.text() and "@" not in pg_user else None),
        ])
        seat_ok = all([
            rows["workstation"].show_error(workstation_error(self.workstation.text())),
            rows["operator"].show_error(operator_error(self.operator.text())),
        ])
        self.test_broker.setEnabled(broker_ok and has_host)
        self.test_database.setEnabled(database_ok)
        valid = broker_ok and database_ok and seat_ok
        self.ok_button.setEnabled(valid)
        return valid

    def _key_error(self) -> str | None:
        error = file_error(self.key_file.text())
        if error is None and self.key_file.text().strip() and not self.cert_file.text().strip():
            return self.tr("选择了私钥时也要选择客户端证书")
        return error

    def field_error(self, name: str) -> str:
        """The message shown next to a field ("" when it is valid)."""
        row = self._rows[name]
        return row.error.text() if not row.error.isHidden() else ""

    # --- connection tests ------------------------------------------------------------------
    def start_broker_check(self) -> None:
        if not self.test_broker.isEnabled():
            return
        url = self.broker_url()
        self._probes["broker"].start(lambda: check_broker(url))

    def start_database_check(self) -> None:
        if not self.test_database.isEnabled():
            return
        url = self.database_url() or f"sqlite+pysqlite:///{default_sqlite_path()}"
        self._probes["database"].start(lambda: check_database(url))

    def broker_answer_text(self) -> str:
        return self.broker_answer.text()

    def database_answer_text(self) -> str:
        return self.database_answer.text()

    # --- saving ----------------------------------------------------------------------------
    def accept(self) -> None:
        if not self.validate():
            return
        settings = self.result_settings()
        try:
            self.saved = save_settings(settings, self._config_path, secrets=self._secrets)
        except ConfigError as exc:
            self.path_note.setStyleSheet(ERROR_STYLE)
            self.path_note.setText(str(exc))
            return
        log.info("settings saved to %s: %s", self.saved.path, settings.redacted())
        super().accept()


def settings_action(parent: QObject, trigger: Callable[[], None]) -> QAction:
    """文件 → 设置… (Ctrl+,) for the main window's menu."""
    action = QAction(QCoreApplication.translate("SettingsDialog", "设置…"), parent)
    action.setShortcut(QKeySequence("Ctrl+,"))
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.triggered.connect(lambda _=False: trigger())
    return action


def file_menu_title() -> str:
    return QCoreApplication.translate("SettingsDialog", "文件(&F)")


def restart_notice() -> str:
    """For the status bar after 设置 was saved in a running console."""
    return QCoreApplication.translate("SettingsDialog", "设置已保存，重新启动程序后生效")


def first_run(app: QApplication, settings: Settings, *, secrets: SecretStore | None = None,
              config_path: Path | None = None, styled: bool = True) -> Settings | None:
    """The first start without a config file: ask, save, return the settings as chosen;
    None when IT cancelled (the console then does not start). The dialog speaks the language
    of `settings` (flags and CC_LANGUAGE apply already); the console installs its own
    translators afterwards."""
    from ui.bridge import Bridge
    from ui.i18n import install_translators
    from ui.qt import QLocale
    from ui.style import apply_style

    if styled:
        apply_style(app)
    default_locale = QLocale()
    translators = install_translators(app, settings.language)
    bridge = Bridge()
    try:
        dialog = SettingsDialog(settings, run=bridge.run, secrets=secrets,
                                config_path=config_path)
        dialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", "首次启动：设置"))
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.result_settings() if accepted else None
        dialog.deleteLater()
    finally:
        bridge.shutdown()
        for translator in translators:
            app.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(default_locale)
    return chosen

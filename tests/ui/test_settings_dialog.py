"""The settings dialog: every field checked where it is typed, 保存 only when all are valid,
"测试连接" off the GUI thread against a real broker and real databases, saved to a real file."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from commandcenter.config import Settings, data_dir, load_settings
from commandcenter.ingest.broker_url import BrokerUrl
from commandcenter.secrets import SecretStore
from tests.support.mosquitto import Mosquitto, free_port
from ui.bridge import Bridge
from ui.qt import QApplication, QLineEdit, Qt, QTimer
from ui.settings_dialog import SettingsDialog, default_sqlite_path, first_run

NO_STORE = SecretStore(None)


@pytest.fixture
def bridge(qtbot: Any) -> Iterator[Bridge]:
    b = Bridge()
    yield b
    b.shutdown()


@pytest.fixture
def make_dialog(qtbot: Any, bridge: Bridge, tmp_path: Path
                ) -> Callable[..., SettingsDialog]:
    def make(settings: Settings | None = None, **kw: Any) -> SettingsDialog:
        kw.setdefault("secrets", NO_STORE)
        kw.setdefault("config_path", tmp_path / "config" / "config.toml")
        kw.setdefault("env", {})
        kw.setdefault("run", bridge.run)
        dialog = SettingsDialog(settings or Settings(workstation="seat-1"), **kw)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def test_defaults_are_valid_and_point_at_the_embedded_database(
        make_dialog: Callable[..., SettingsDialog]) -> None:
    dialog = make_dialog()
    assert dialog.windowTitle() == "设置"
    assert dialog.validate() and dialog.ok_button.isEnabled()
    assert dialog.sqlite.isChecked()
    assert dialog.sqlite_path.text() == str(data_dir() / "commandcenter.db")
    assert not dialog.test_broker.isEnabled()  # no host: no broker to test
    result = dialog.result_settings()
    assert result.broker_url == "" and result.db_url == ""  # the defaults stay defaults
    assert dialog.secrets_note.text() == "此电脑没有系统凭据存储，密码将保存在配置文件中"


@pytest.mark.parametrize(("field", "text", "message"), [
    ("host", "mqtt://10.0.0.5", "只填主机名或 IP 地址，不要带 mqtt://"),
    ("host", "10.0.0.5 hall", "主机名无效：只能有字母、数字、点和连字符"),
    ("port", "0", "端口应为 1–65535 之间的整数"),
    ("port", "65536", "端口应为 1–65535 之间的整数"),
    ("port", "18x3", "端口应为 1–65535 之间的整数"),
    ("ca_file", "/no/such/ca.pem", "文件不存在"),
    ("cert_file", "/no/such/client.pem", "文件不存在"),
    ("password", "secret", "填写密码时必须填写用户名"),
    ("workstation", "seat 1", "工作站名称不能包含空格或 / + #"),
    ("workstation", "", "请填写工作站名称"),
    ("operator", " ", "请填写值班员姓名"),
])
def test_each_field_says_what_is_wrong_and_blocks_saving(
        make_dialog: Callable[..., SettingsDialog], field: str, text: str,
        message: str) -> None:
    dialog = make_dialog()
    dialog.host.setText("10.0.0.5")
    dialog.tls.setChecked(True)  # the certificate fields count only with TLS
    assert dialog.ok_button.isEnabled()
    getattr(dialog, field).setText(text)
    assert dialog.field_error(field) == message
    assert not dialog.ok_button.isEnabled()
    assert dialog._rows[field].error.isVisibleTo(dialog)


def test_valid_values_clear_the_messages(make_dialog: Callable[..., SettingsDialog],
                                         tmp_path: Path) -> None:
    dialog = make_dialog()
    dialog.host.setText("mqtt://x")
    dialog.port.setText("0")
    assert not dialog.ok_button.isEnabled()
    dialog.host.setText("broker.hall.local")
    dialog.port.setText("1884")
    assert dialog.field_error("host") == "" and dialog.field_error("port") == ""
    assert dialog.ok_button.isEnabled()
    dialog.host.setText("fe80::1")
    assert dialog.field_error("host") == ""


def test_tls_enables_the_certificate_fields_and_moves_the_usual_port(
        make_dialog: Callable[..., SettingsDialog], tmp_path: Path) -> None:
    dialog = make_dialog()
    dialog.host.setText("10.0.0.5")
    assert dialog.port.text() == "1883" and not dialog.ca_file.isEnabled()
    dialog.ca_file.setText("/no/such/ca.pem")
    assert dialog.field_error("ca_file") == ""  # not used without TLS
    dialog.tls.setChecked(True)
    assert dialog.port.text() == "8883" and dialog.ca_file.isEnabled()
    assert dialog.field_error("ca_file") == "文件不存在"
    key = tmp_path / "client.key"
    key.write_text("key")
    dialog.ca_file.setText("")
    dialog.key_file.setText(str(key))
    assert dialog.field_error("key_file") == "选择了私钥时也要选择客户端证书"
    dialog.tls.setChecked(False)
    assert dialog.port.text() == "1883" and dialog.ok_button.isEnabled()


def test_database_choice_and_its_checks(make_dialog: Callable[..., SettingsDialog]) -> None:
    dialog = make_dialog()
    dialog.sqlite_path.setText("relative/cc.db")
    assert dialog.field_error("sqlite_path") == "请填写完整路径，例如 D:/指挥中心/commandcenter.db"
    dialog.postgres.setChecked(True)
    assert dialog.field_error("sqlite_path") == ""  # the other choice is not checked
    assert not dialog.sqlite_path.isEnabled() and dialog.pg_url.isEnabled()
    assert dialog.field_error("pg_url").startswith("请填写 PostgreSQL 地址")
    for text, message in (("mysql://cc@10.0.0.6/cc", "应以 postgresql:// 开头"),
                          ("postgresql://cc@10.0.0.6", "地址中缺少数据库名"),
                          ("postgresql:///cc", "地址中缺少主机"),
                          ("not a url", "地址格式无效，应为 postgresql://用户名@主机:端口/数据库名")):
        dialog.pg_url.setText(text)
        assert dialog.field_error("pg_url") == message, text
        assert not dialog.ok_button.isEnabled()
    dialog.pg_url.setText("postgresql://10.0.0.6/cc")
    dialog.pg_password.setText("pw")
    assert dialog.field_error("pg_password").startswith("填写密码时地址中必须有用户名")
    dialog.pg_url.setText("postgresql://cc@10.0.0.6/cc")
    assert dialog.ok_button.isEnabled()
    assert dialog.result_settings().db_url == "postgresql+psycopg://cc:pw@10.0.0.6/cc"


def test_the_fields_make_a_url_the_console_parses_back(
        make_dialog: Callable[..., SettingsDialog], tmp_path: Path) -> None:
    ca = tmp_path / "certs+keys" / "hall ca.pem"
    ca.parent.mkdir()
    ca.write_text("ca")
    dialog = make_dialog()
    dialog.host.setText("10.0.0.5")
    dialog.tls.setChecked(True)
    dialog.ca_file.setText(str(ca))
    dialog.username.setText("cc@hall")
    dialog.password.setText("p@ss:w/rd&x")
    url = BrokerUrl.parse(dialog.result_settings().broker_url)
    assert (url.host, url.port, url.tls, url.ca_file) == ("10.0.0.5", 8883, True, str(ca))
    assert (url.username, url.password) == ("cc@hall", "p@ss:w/rd&x")


def test_existing_settings_fill_the_fields(make_dialog: Callable[..., SettingsDialog]) -> None:
    dialog = make_dialog(Settings(
        broker_url="mqtts://cc:pw@10.0.0.5:8884?insecure=1",
        db_url="postgresql+psycopg://cc:pgpw@10.0.0.6:5433/hall", workstation="seat-2",
        operator="赵六", language="en"))
    assert (dialog.host.text(), dialog.port.text(), dialog.tls.isChecked()) == (
        "10.0.0.5", "8884", True)
    assert (dialog.username.text(), dialog.password.text()) == ("cc", "pw")
    assert dialog.postgres.isChecked()
    assert dialog.pg_url.text() == "postgresql+psycopg://cc@10.0.0.6:5433/hall"
    assert dialog.pg_password.text() == "pgpw"
    assert dialog.language.currentData() == "en"
    result = dialog.result_settings()
    assert result.broker_url == "mqtts://cc:pw@10.0.0.5:8884?insecure=1"  # kept as it was
    assert result.db_url == "postgresql+psycopg://cc:pgpw@10.0.0.6:5433/hall"
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password


def test_environment_overrides_are_pointed_out(make_dialog: Callable[..., SettingsDialog]
                                               ) -> None:
    dialog = make_dialog(env={"CC_BROKER_URL": "mqtt://x", "PATH": "/bin"})
    assert dialog.env_note.isVisibleTo(dialog)
    assert dialog.env_note.text() == "注意：环境变量 CC_BROKER_URL 优先于这里保存的设置。"


# --- 测试连接 against real services, off the GUI thread ------------------------------------------
def test_broker_check_answers_on_the_gui_thread(qtbot: Any, bridge: Bridge,
                                                make_dialog: Callable[..., SettingsDialog],
                                                mosquitto: Mosquitto) -> None:
    threads: list[str] = []

    def run(job: Callable[[], Any], on_done: Callable[[Any], None]) -> object:
        def recorded() -> Any:
            threads.append(threading.current_thread().name)
            return job()

        return bridge.run(recorded, on_done)

    dialog = make_dialog(run=run)
    dialog.host.setText("127.0.0.1")
    dialog.port.setText(str(mosquitto.port))
    qtbot.mouseClick(dialog.test_broker, Qt.MouseButton.LeftButton)
    assert dialog.broker_answer_text() == "正在测试…"
    assert not dialog.test_broker.isEnabled()  # one check at a time
    qtbot.waitUntil(lambda: dialog.broker_answer_text().startswith("✓"), timeout=10_000)
    assert dialog.broker_answer_text() == (
        f"✓ 消息服务器可达，已接受匿名连接（mqtt://127.0.0.1:{mosquitto.port}）")
    assert threads and threads[0] != threading.main_thread().name
    assert dialog.test_broker.isEnabled()


def test_a_refused_broker_is_said_plainly(qtbot: Any,
                                          make_dialog: Callable[..., SettingsDialog]) -> None:
    port = free_port()
    dialog = make_dialog()
    dialog.host.setText("127.0.0.1")
    dialog.port.setText(str(port))
    dialog.username.setText("cc")
    dialog.password.setText("do-not-show")
    dialog.start_broker_check()
    qtbot.waitUntil(lambda: dialog.broker_answer_text().startswith("✗"), timeout=10_000)
    assert dialog.broker_answer_text() == f"✗ 连接被拒绝：127.0.0.1:{port}"


def test_an_answer_for_old_values_is_dropped(qtbot: Any, bridge: Bridge,
                                             make_dialog: Callable[..., SettingsDialog]) -> None:
    dialog = make_dialog()
    dialog.host.setText("127.0.0.1")
    dialog.port.setText(str(free_port()))
    dialog.start_broker_check()
    dialog.port.setText(str(free_port()))  # changed while the check runs
    done = bridge.run(lambda: None)  # the worker runs jobs in order: wait for the check
    qtbot.waitUntil(done.done, timeout=10_000)
    qtbot.wait(250)  # the bridge delivers answers every 100 ms
    assert dialog.broker_answer_text() == ""
    assert dialog.test_broker.isEnabled()


def test_database_checks_on_sqlite_files(qtbot: Any, tmp_path: Path,
                                         make_dialog: Callable[..., SettingsDialog]) -> None:
    dialog = make_dialog()
    dialog.sqlite_path.setText(str(tmp_path / "hall.db"))
    qtbot.keyClick(dialog.test_database, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.database_answer_text().startswith("✓"), timeout=10_000)
    assert "数据库是空的，首次启动时会创建表" in dialog.database_answer_text()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite " * 300)
    dialog.sqlite_path.setText(str(junk))
    dialog.start_database_check()
    qtbot.waitUntil(lambda: dialog.database_answer_text().startswith("✗"), timeout=10_000)
    assert dialog.database_answer_text() == f"✗ 不是 SQLite 数据库文件（或已损坏）：{junk}"


@pytest.mark.postgres
def test_database_checks_on_postgresql(qtbot: Any, pg_url: str,
                                       make_dialog: Callable[..., SettingsDialog]) -> None:
    dialog = make_dialog()
    dialog.postgres.setChecked(True)
    dialog.pg_url.setText(pg_url)
    dialog.start_database_check()
    qtbot.waitUntil(lambda: dialog.database_answer_text().startswith("✓"), timeout=10_000)
    assert "PostgreSQL" in dialog.database_answer_text()
    port = free_port()
    dialog.pg_url.setText(f"postgresql://cc@127.0.0.1:{port}/cc")
    dialog.start_database_check()
    qtbot.waitUntil(lambda: dialog.database_answer_text().startswith("✗"), timeout=10_000)
    assert dialog.database_answer_text() == f"✗ 连接被拒绝：127.0.0.1:{port}"


# --- saving and the keyboard -----------------------------------------------------------------
def test_saving_writes_the_config_file_that_loads_back(
        make_dialog: Callable[..., SettingsDialog], tmp_path: Path) -> None:
    path = tmp_path / "config" / "config.toml"
    dialog = make_dialog()
    dialog.host.setText("127.0.0.1")
    dialog.username.setText("cc")
    dialog.password.setText("s3cret")
    dialog.sqlite_path.setText(str(tmp_path / "hall.db"))
    dialog.workstation.setText("seat-7")
    dialog.operator.setText("孙七")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.saved is not None and dialog.saved.passwords_in_file == ("broker_url",)
    loaded = load_settings(env={}, path=path, secrets=NO_STORE)
    assert loaded == dialog.result_settings()
    assert (loaded.workstation, loaded.operator, loaded.language) == ("seat-7", "孙七", "en")
    assert loaded.db_url == f"sqlite+pysqlite:///{tmp_path / 'hall.db'}"


def test_a_failed_save_keeps_the_dialog_open_with_the_reason(
        make_dialog: Callable[..., SettingsDialog], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    dialog = make_dialog(config_path=blocker / "config.toml")
    dialog.accept()
    assert dialog.isVisible() and dialog.saved is None
    assert dialog.path_note.text().startswith("无法保存设置到")


def test_keyboard_only(qtbot: Any, make_dialog: Callable[..., SettingsDialog]) -> None:
    dialog = make_dialog()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # mnemonics and Enter go to the active window
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.port  # the label's &-key
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.workstation
    qtbot.keyClick(dialog.workstation, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Rejected


def test_enter_saves_when_valid(qtbot: Any, make_dialog: Callable[..., SettingsDialog],
                                tmp_path: Path) -> None:
    dialog = make_dialog()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # mnemonics and Enter go to the active window
    dialog.operator.setFocus()
    qtbot.keyClick(dialog.operator, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert (tmp_path / "config" / "config.toml").is_file()


def test_the_default_sqlite_file_is_in_the_user_data_folder() -> None:
    assert default_sqlite_path().parent == data_dir()


def test_first_run_saves_what_it_was_given_or_nothing_when_cancelled(
        qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "first" / "config.toml"

    def answer(accept: bool) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        assert dialog.windowTitle() == "首次启动：设置"
        if accept:
            dialog.operator.setText("周八")
            dialog.accept()
        else:
            dialog.reject()

    QTimer.singleShot(0, lambda: answer(False))
    assert first_run(qapp, Settings(), secrets=NO_STORE, config_path=path,
                     styled=False) is None
    assert not path.exists()
    QTimer.singleShot(0, lambda: answer(True))
    chosen = first_run(qapp, Settings(), secrets=NO_STORE, config_path=path, styled=False)
    assert chosen is not None and chosen.operator == "周八"
    assert load_settings(env={}, path=path, secrets=NO_STORE).operator == "周八"

"""关于: the version, which build this is, and the third-party notices (resources/NOTICE.md:
Qt/PySide6 under the LGPL, the libraries, the map data's attribution)."""

from __future__ import annotations

import platform
from collections.abc import Callable

from commandcenter.config import config_file, log_dir
from commandcenter.resources import ResourcesNotFound, resource_path
from commandcenter.version_info import build_info
from ui.qt import (
    PYSIDE6_VERSION,
    QAction,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGuiApplication,
    QLabel,
    QPushButton,
    Qt,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    qVersion,
)


def version_text() -> str:
    """What IT pastes into a ticket: plain ASCII lines, the same in every UI language."""
    info = build_info()
    lines = [
        f"Command Center {info.version}",
        f"Build: {info.kind}" + (f", commit {info.commit}" if info.commit else ""),
        f"Python: {info.python} ({platform.python_implementation()}, "
        f"{platform.architecture()[0]})",
        f"Qt: {qVersion()}",
        f"PySide6: {PYSIDE6_VERSION}",
        f"Platform: {info.platform}",
    ]
    return "\n".join(lines)


def notice_markdown() -> str:
    try:
        return resource_path("NOTICE.md").read_text(encoding="utf-8")
    except (ResourcesNotFound, OSError) as exc:
        return f"NOTICE.md: {exc}"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        info = build_info()
        self.setWindowTitle(self.tr("关于"))
        title = QLabel(self.tr("街道城市管理指挥中心"))
        title.setObjectName("caseTitle")  # the style sheet's large bold title
        version = QLabel(self.tr("版本 {version}").format(version=info.version))
        build = (self.tr("安装包") if info.frozen else self.tr("源代码"))
        if info.commit:
            build += f" · commit {info.commit}"

        facts = QFormLayout()
        self.version_label = version
        for label, value in (
                (self.tr("构建："), build),
                ("Python:", f"{info.python}"),
                ("Qt / PySide6:", f"{qVersion()} / {PYSIDE6_VERSION}"),
                (self.tr("系统："), info.platform),
                (self.tr("配置文件："), str(config_file())),
                (self.tr("日志文件夹："), str(log_dir()))):
            field = QLabel(value)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setWordWrap(True)
            facts.addRow(label, field)

        about = QWidget()
        about_layout = QVBoxLayout(about)
        about_layout.addWidget(title)
        about_layout.addWidget(version)
        about_layout.addLayout(facts)
        licence = QLabel(self.tr("本程序使用 Qt（PySide6），依 GNU LGPL v3 授权；"
                                 "第三方组件和地图数据的许可见“第三方声明”。"))
        licence.setWordWrap(True)
        about_layout.addWidget(licence)
        about_layout.addStretch(1)

        self.notices = QTextBrowser()
        self.notices.setOpenExternalLinks(True)
        self.notices.setMarkdown(notice_markdown())

        self.tabs = QTabWidget()
        self.tabs.addTab(about, self.tr("版本"))
        self.tabs.addTab(self.notices, self.tr("第三方声明"))

        self.copy_button = QPushButton(self.tr("复制版本信息(&C)"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_version)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(760, 560)

    def copy_version(self) -> None:
        QGuiApplication.clipboard().setText(version_text())
        self.copy_button.setText(self.tr("已复制"))


def about_action(parent: QWidget, *, open_dialog: Callable[[], None] | None = None) -> QAction:
    """帮助 → 关于… for the main window's menu."""
    action = QAction(QCoreApplication.translate("AboutDialog", "关于…"), parent)
    action.setMenuRole(QAction.MenuRole.AboutRole)

    def show() -> None:
        if open_dialog is not None:
            open_dialog()
            return
        dialog = AboutDialog(parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action.triggered.connect(lambda _=False: show())
    return action

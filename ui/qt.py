"""The one Qt import point: every ui module imports Qt names from here.

A binding or version quirk is handled in this file only (qutebrowser's `qt/`, Anki's `aqt/qt`).
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import (
    Property,
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStatusBar,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "Property", "QAbstractItemView", "QAbstractTableModel", "QAction", "QApplication", "QBrush",
    "QByteArray", "QCloseEvent", "QColor", "QComboBox", "QCoreApplication", "QDialog",
    "QDialogButtonBox", "QEvent", "QFont", "QFontDatabase", "QFormLayout", "QFrame",
    "QGroupBox", "QGuiApplication", "QHBoxLayout", "QHeaderView", "QIcon", "QInputDialog",
    "QItemSelectionModel", "QKeySequence", "QLabel", "QLineEdit", "QListWidget",
    "QListWidgetItem", "QLocale", "QMainWindow", "QMessageBox", "QModelIndex", "QObject",
    "QPainter", "QPalette", "QPen", "QPersistentModelIndex", "QPlainTextEdit", "QPointF",
    "QPushButton", "QRectF", "QSettings", "QShortcut", "QSize", "QSortFilterProxyModel",
    "QSplitter", "QStatusBar", "QTabWidget", "QTableView", "QTextBrowser", "QTimer",
    "QToolBar", "QTranslator", "QVBoxLayout", "QWidget", "Qt", "QtCore", "QtGui", "QtWidgets",
    "Signal", "Slot",
]

# Added for the map (ui/map): path geometry, text metrics and overlay painting.
from PySide6.QtCore import QPoint
from PySide6.QtGui import (
    QFontMetrics,
    QFontMetricsF,
    QPainterPath,
    QPaintEvent,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

__all__ += [
    "QFontMetrics", "QFontMetricsF", "QGraphicsItem", "QGraphicsPathItem", "QGraphicsRectItem",
    "QGraphicsSimpleTextItem", "QPaintEvent", "QPainterPath", "QPoint", "QPolygonF",
    "QResizeEvent",
]

# Console widgets (main window, case panel, dialogs).
from PySide6.QtWidgets import (  # noqa: E402
    QCheckBox,
    QGridLayout,
    QToolButton,
)

__all__ += ["QCheckBox", "QGridLayout", "QToolButton"]

# Quarantine dialog: load its list when shown.
from PySide6.QtGui import QShowEvent  # noqa: E402

__all__ += ["QShowEvent"]

from PySide6.QtCore import QLibraryInfo  # noqa: E402

__all__ += ["QLibraryInfo"]

# Translation: strings kept in tables are marked for lupdate and translated where shown.
from PySide6.QtCore import QT_TRANSLATE_NOOP  # noqa: E402

__all__ += ["QT_TRANSLATE_NOOP"]

from PySide6.QtCore import QUrl  # noqa: E402
from PySide6.QtGui import QDesktopServices  # noqa: E402

__all__ += ["QDesktopServices", "QUrl"]

# Oil-fume sites (ui/sites): the cleaning form's dates; the auto-refresh stops when hidden.
from PySide6.QtCore import QDate  # noqa: E402
from PySide6.QtGui import QHideEvent  # noqa: E402
from PySide6.QtWidgets import QDateEdit  # noqa: E402

__all__ += ["QDate", "QDateEdit", "QHideEvent"]

# Oil-fume sites: status and cleaning cells drawn as badges that keep their colour when selected.
from PySide6.QtWidgets import (  # noqa: E402
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

__all__ += ["QStyle", "QStyleOptionViewItem", "QStyledItemDelegate"]

from PySide6.QtWidgets import QSpinBox  # noqa: E402

__all__ += ["QSpinBox"]

# Settings, About and crash dialogs: file pickers, the database choice, Qt's version.
from PySide6 import __version__ as PYSIDE6_VERSION  # noqa: E402
from PySide6.QtCore import QThread, qVersion  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QButtonGroup,
    QFileDialog,
    QRadioButton,
)

__all__ += ["PYSIDE6_VERSION", "QButtonGroup", "QFileDialog", "QRadioButton", "QThread",
            "qVersion"]

# The case queue keeps each painted cell as a picture between repaints.
from PySide6.QtCore import QRect  # noqa: E402
from PySide6.QtGui import QPixmap, QTransform  # noqa: E402

__all__ += ["QPixmap", "QRect", "QTransform"]

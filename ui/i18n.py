"""Translations: Chinese (zh_CN) is the source language of the UI; Qt's own dialogs and buttons
need Qt's zh_CN catalogue, and English comes from resources/i18n when chosen."""

from __future__ import annotations

import logging

from commandcenter.resources import resource_path
from ui.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the catalogues for `language`; returns them (they must outlive the app)."""
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    locale = QLocale(language)
    QLocale.setDefault(locale)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    elif not language.startswith("en"):
        log.warning("Qt's %s translation not found in %s", language, qt_dir)
    if not language.startswith("zh"):
        ours = QTranslator(app)
        folder = str(resource_path("i18n"))
        if ours.load(locale, "commandcenter", "_", folder):
            app.installTranslator(ours)
            installed.append(ours)
        else:
            log.warning("no %s translation of the console in %s; showing Chinese", language,
                        folder)
    return installed


def ui_language() -> str:
    """The language the UI is showing: the installed catalogue says which it is (its translation
    of this message), so data with its own names (the catalog's zh/en) follows the same choice,
    and Chinese when no catalogue is installed."""
    return QCoreApplication.translate(
        "Language", "zh", "Language code of this translation: the catalog shows its names in it")

"""What ships: the PyInstaller spec, the wheel, the icon, the installer script, the selftest.

`resources/` must be found from a source checkout, an installed wheel and the frozen bundle
(DESIGN.md §8). The bundle itself is built and selftested by `scripts/build-bundle` (too slow
for the suite); these checks catch the usual slips early: a resource or migration the spec or
the wheel leaves out, a module the analysis cannot see, an installer path that points nowhere.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import pytest

from commandcenter import __version__
from commandcenter.version_info import windows_version

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
MIGRATIONS = ROOT / "commandcenter" / "store" / "migrations"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _modules(package: str) -> set[str]:
    """Importable modules of a package, from the source tree."""
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "__pycache__" in parts or parts[-1] == "__main__":
            continue
        if all((ROOT.joinpath(*parts[:i]) / "__init__.py").is_file()
               for i in range(1, len(parts))):
            names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


# --- build.spec, run with stand-ins for PyInstaller's classes -------------------------------

class _Recorded:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs


class _Analysis(_Recorded):
    # Entries PyInstaller's Qt hooks would add: the spec keeps zh_CN and en only.
    QT_TRANSLATIONS: ClassVar[list[tuple[str, str, str]]] = [
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", "x", "DATA"),
        ("PySide6/Qt/translations/qtbase_de.qm", "x", "DATA"),
        ("PySide6\\translations\\qtbase_en.qm", "x", "DATA"),
        ("PySide6\\translations\\qtbase_fr.qm", "x", "DATA"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pure: list[Any] = []
        self.scripts: list[Any] = []
        self.binaries: list[Any] = []
        self.datas = [(f"{dest}/{Path(src).name}", src, "DATA")
                      for src, dest in kwargs["datas"]] + self.QT_TRANSLATIONS


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("spec")
    namespace: dict[str, Any] = {
        "SPECPATH": str(ROOT), "workpath": str(out / "build"), "DISTPATH": str(out / "dist"),
        "Analysis": _Analysis, "PYZ": _Recorded, "EXE": _Recorded, "COLLECT": _Recorded,
        "__file__": str(ROOT / "build.spec"), "__name__": "__main__",
    }
    code = compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec")
    exec(code, namespace)
    return namespace


def test_spec_ships_every_resource_and_migration_file(spec: dict[str, Any]) -> None:
    shipped = {(Path(src).resolve(), dest) for src, dest in spec["a"].kwargs["datas"]}
    for folder, dest in ((RESOURCES, "resources"),
                         (MIGRATIONS, "commandcenter/store/migrations")):
        expected = {(path.resolve(), (Path(dest) / path.parent.relative_to(folder)).as_posix())
                    for path in _files(folder)}
        assert expected, folder
        assert expected <= shipped, sorted(expected - shipped)
    names = {Path(src).name for src, _ in spec["a"].kwargs["datas"]}
    assert {"catalog.toml", "env.py", "script.py.mako", "mosquitto.conf"} <= names


def test_spec_names_the_modules_its_analysis_cannot_see(spec: dict[str, Any]) -> None:
    hidden = set(spec["a"].kwargs["hiddenimports"])
    # ui is imported by name from the CLI; migrations' imports run from files.
    assert _modules("commandcenter") | _modules("ui") <= hidden
    assert {"ui.app", "ui.selftest", "commandcenter.store.schema", "alembic.context",
            "sqlalchemy.dialects.sqlite.pysqlite", "sqlalchemy.dialects.postgresql.psycopg",
            "PySide6.QtOpenGL"} <= hidden
    assert not any(name.endswith("__main__") for name in hidden)
    excludes = set(spec["a"].kwargs["excludes"])
    assert {"tkinter", "matplotlib", "IPython", "pytest", "hypothesis", "mypy",
            "PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick",
            "PySide6.Qt3DCore", "PySide6.QtCharts", "PySide6.QtPdf"} <= excludes
    assert not hidden & excludes


def test_spec_makes_a_windowed_console_and_a_console_tool(spec: dict[str, Any]) -> None:
    gui, cli, coll = spec["gui"], spec["cli"], spec["coll"]
    assert (gui.kwargs["name"], gui.kwargs["console"]) == ("CommandCenter", False)
    assert (cli.kwargs["name"], cli.kwargs["console"]) == ("commandcenter-cli", True)
    assert spec["a"].args[0] == [str(ROOT / "commandcenter" / "__main__.py")]
    assert coll.args[:2] == (gui, cli) and coll.kwargs["name"] == "CommandCenter"
    for exe in (gui, cli):
        assert exe.kwargs["upx"] is False and exe.kwargs["exclude_binaries"] is True
        assert Path(exe.kwargs["icon"]).is_file()
        text = Path(exe.kwargs["version"]).read_text(encoding="utf-8")
        assert f"filevers={windows_version(__version__)}" in text
        assert f"StringStruct('ProductVersion', '{__version__}')" in text
        assert f"StringStruct('OriginalFilename', '{exe.kwargs['name']}.exe')" in text
    assert coll.kwargs["upx"] is False


def test_spec_keeps_qt_catalogues_of_the_two_languages_only(spec: dict[str, Any]) -> None:
    kept = {dest for dest, _, _ in spec["a"].datas if "translations" in dest}
    assert kept == {"PySide6/Qt/translations/qtbase_zh_CN.qm",
                    "PySide6\\translations\\qtbase_en.qm"}


def test_spec_puts_the_notices_beside_the_programs(spec: dict[str, Any]) -> None:
    notice = Path(spec["DISTPATH"]) / "CommandCenter" / "NOTICE.txt"
    raw = notice.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Windows and Inno Setup agree
    assert raw[3:].decode("utf-8") == (RESOURCES / "NOTICE.md").read_text(encoding="utf-8")


def test_windows_version_has_four_numbers() -> None:
    assert windows_version("1.2.3rc1") == (1, 2, 3, 0)
    assert windows_version("2.0") == (2, 0, 0, 0)
    assert windows_version("1.2.3.4.5") == (1, 2, 3, 4)
    with pytest.raises(ValueError):
        windows_version("dev")


# --- the wheel ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel` of a copy of the checkout (the build must not write into the tree)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("commandcenter", "ui", "resources"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(base / "out"),
         str(source)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = (base / "out").glob("commandcenter-*.whl")
    return built


@pytest.mark.slow
def test_wheel_carries_resources_migrations_and_every_module(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in _files(RESOURCES):
        assert f"commandcenter/resources/{path.relative_to(RESOURCES).as_posix()}" in names
    for path in _files(MIGRATIONS):
        assert f"commandcenter/store/migrations/{path.relative_to(MIGRATIONS).as_posix()}" \
            in names
    assert {"commandcenter/resources/catalog.toml", "commandcenter/resources/places.toml",
            "commandcenter/resources/mosquitto.conf",
            "commandcenter/store/migrations/env.py",
            "commandcenter/store/migrations/script.py.mako"} <= names
    assert any(re.fullmatch(r"commandcenter/resources/map/.+\.geojson", n) for n in names)
    assert any(re.fullmatch(r"commandcenter/resources/i18n/.+\.qm", n) for n in names)
    assert any(re.fullmatch(r"commandcenter/store/migrations/versions/.+\.py", n)
               for n in names)
    for module in _modules("commandcenter") | _modules("ui"):
        path = module.replace(".", "/")
        assert f"{path}.py" in names or f"{path}/__init__.py" in names, module


@pytest.mark.slow
def test_resources_resolve_from_the_installed_layout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # -S: no site-packages, so neither the editable install nor the checkout can answer.
    code = ("import commandcenter.resources as r, sys; d = r.resources_dir(); print(d); "
            "assert 'site-packages' not in r.__file__; "
            "print(sorted(p.name for p in d.iterdir()))")
    result = subprocess.run([sys.executable, "-S", "-c", code], cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(site)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.splitlines()[0])
    assert folder == site / "commandcenter" / "resources"
    assert (folder / "catalog.toml").is_file() and (folder / "sla.toml").is_file()


# --- icon, installer, workflow -------------------------------------------------------------

def test_icon_holds_the_sizes_windows_asks_for() -> None:
    data = (RESOURCES / "icons" / "commandcenter.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, _h, _c, _r, _planes, bits, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i)
        assert bits == 32 and offset + size <= len(data)
        sizes.add(width or 256)
    assert {16, 24, 32, 48, 256} <= sizes
    png = (RESOURCES / "icons" / "commandcenter.png").read_bytes()
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (256, 256)


def test_installer_script_points_at_files_that_exist() -> None:
    iss = (ROOT / "installer" / "commandcenter.iss").read_text(encoding="utf-8-sig")
    assert "OutputBaseFilename=CommandCenter-Setup-{#AppVersion}" in iss
    assert "DefaultDirName={autopf}\\CommandCenter" in iss
    assert 'MessagesFile: "{#ChineseMessages}"' in iss and "compiler:Default.isl" in iss
    assert "AppData\\Local\\CommandCenter" in iss  # the uninstall message names the data
    for relative in re.findall(r"\{#Here\}([^\s\"]+)", iss):
        target = (ROOT / "installer" / relative.replace("\\", "/")).resolve()
        if "dist" not in target.relative_to(ROOT).parts:  # the bundle is built, not committed
            assert target.exists(), relative


def test_build_script_and_workflow_pin_the_same_pyinstaller() -> None:
    script = (ROOT / "scripts" / "build-bundle").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    (pin,) = re.findall(r"^PYINSTALLER_VERSION=(\S+)$", script, re.M)
    assert re.search(rf'PYINSTALLER_VERSION: "{re.escape(pin)}"', workflow)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for found in re.findall(r'"pyinstaller\s*==\s*([^";]+)', pyproject, re.I):
        assert found.strip() == pin


# --- the selftest, in process ------------------------------------------------------------

def test_selftest_passes_in_process(qapp: Any) -> None:
    from ui.selftest import run_selftest

    lines: list[str] = []
    status = run_selftest(lines.append)
    assert status == 0, "\n".join(lines)
    for check in ("imports", "resources", "timezone", "database", "tls", "mqtt", "qt", "icon",
                  "translations zh_CN", "window 1680x960"):
        assert any(line.startswith(f"ok {check}") for line in lines), (check, lines)
    assert lines[-1] == "selftest passed"
    assert not any(line.startswith("FAIL") for line in lines)


def test_selftest_reports_a_failure_and_what_depends_on_it(
        qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import commandcenter.store.database as database
    from ui.selftest import run_selftest

    monkeypatch.setattr(database, "SCHEMA_HEAD", "9999")  # as if a migration were not shipped
    lines: list[str] = []
    assert run_selftest(lines.append) == 1
    assert any(re.fullmatch(r"FAIL database: schema at \d+, expected 9999", line)
               for line in lines), lines
    assert "FAIL window: needs the database check" in lines
    assert "FAIL ingest process: needs the database check" in lines
    assert any(line.startswith("ok resources") for line in lines)
    assert lines[-1] == "selftest FAILED: database, ingest process, window"

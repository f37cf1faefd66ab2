"""The program's version in the forms Windows wants, for build.spec and the Windows workflow.

An .exe's VERSIONINFO and the installer's file version take four numbers, while the package
version is PEP 440 (`1.2.3rc1`): `python -m commandcenter.version_info` prints both forms.
`build_info()` says which build is running (`--version`, the About dialog, crash reports).
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from commandcenter import __version__


def windows_version(version: str = __version__) -> tuple[int, int, int, int]:
    """`1.2.3rc1` -> (1, 2, 3, 0); `1.2` -> (1, 2, 0, 0)."""
    match = re.match(r"\d+(?:\.\d+)*", version)
    if match is None:
        raise ValueError(f"version {version!r} does not start with a number")
    numbers = [int(n) for n in match.group(0).split(".")] + [0, 0, 0, 0]
    return numbers[0], numbers[1], numbers[2], numbers[3]


@dataclass(frozen=True, slots=True)
class BuildInfo:
    version: str
    frozen: bool  # the PyInstaller bundle (the Windows installer) rather than a source install
    commit: str | None  # git commit the build was made from, when known
    python: str
    platform: str

    @property
    def kind(self) -> str:
        return "bundle" if self.frozen else "source"

    def describe(self) -> str:
        """One line: `0.1.0 (bundle, commit 1a2b3c4d, Python 3.11.7, Windows-10-…)`."""
        commit = f", commit {self.commit}" if self.commit else ""
        return (f"{self.version} ({self.kind}{commit}, Python {self.python}, "
                f"{self.platform})")


def build_info() -> BuildInfo:
    return BuildInfo(__version__, bool(getattr(sys, "frozen", False)), build_commit(),
                     platform.python_version(), platform.platform(terse=True))


def build_commit() -> str | None:
    """The commit: `CC_BUILD_COMMIT`, else the `BUILD` file a build writes into resources/
    (`commit=…` lines), else `git` in a source checkout; None when none of them knows."""
    if os.environ.get("CC_BUILD_COMMIT"):
        return os.environ["CC_BUILD_COMMIT"].strip()[:12]
    from commandcenter.resources import ResourcesNotFound, resource_path

    try:
        build_file = resource_path("BUILD")
    except ResourcesNotFound:
        build_file = None
    if build_file is not None and build_file.is_file():
        for line in build_file.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "commit" and value.strip():
                return value.strip()[:12]
    checkout = Path(__file__).resolve().parent.parent
    if getattr(sys, "frozen", False) or not (checkout / ".git").exists():
        return None
    try:
        done = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short=8", "HEAD"],
                              capture_output=True, text=True, timeout=2, check=False,
                              creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except (OSError, subprocess.SubprocessError):
        return None  # no git on this computer: the commit is simply unknown
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def main() -> int:
    print(__version__, ".".join(str(n) for n in windows_version()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

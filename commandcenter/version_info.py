"""The program's version in the forms Windows wants, for build.spec and the Windows workflow.

An .exe's VERSIONINFO and the installer's file version take four numbers, while the package
version is PEP 440 (`1.2.3rc1`): `python -m commandcenter.version_info` prints both forms.
"""

from __future__ import annotations

import re
import sys

from commandcenter import __version__


def windows_version(version: str = __version__) -> tuple[int, int, int, int]:
    """`1.2.3rc1` -> (1, 2, 3, 0); `1.2` -> (1, 2, 0, 0)."""
    match = re.match(r"\d+(?:\.\d+)*", version)
    if match is None:
        raise ValueError(f"version {version!r} does not start with a number")
    numbers = [int(n) for n in match.group(0).split(".")] + [0, 0, 0, 0]
    return numbers[0], numbers[1], numbers[2], numbers[3]


def main() -> int:
    print(__version__, ".".join(str(n) for n in windows_version()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

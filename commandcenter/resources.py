"""Find the shipped `resources/` folder wherever the program runs from.

Three situations (DESIGN.md §8): a source checkout (`<repo>/resources`), an installed wheel
(`commandcenter/resources`, mapped by pyproject's package-dir) and a PyInstaller bundle
(`sys._MEIPASS/resources`). This is the only function that knows them.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


class ResourcesNotFound(RuntimeError):
    pass


@cache
def resources_dir() -> Path:
    here = Path(__file__).resolve().parent
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    candidates += [here / "resources", here.parent / "resources"]
    for candidate in candidates:
        if (candidate / "catalog.toml").is_file():
            return candidate
    raise ResourcesNotFound(
        "resources folder not found; looked in " + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)

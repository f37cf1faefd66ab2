"""Find the shipped `resources/` folder wherever the program runs from.

Three situations (DESIGN.md §8): a source checkout (`<repo>/resources`), an installed wheel
(`commandcenter/resources`, mapped by pyproject's package-dir) and a PyInstaller bundle
(`sys._MEIPASS/resources`). This is the only function that knows them.
"""

from __future__ import annotations

import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any


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


def read_toml(path: str | Path, error: type[Exception]) -> dict[str, Any]:
    """A configuration file as data, or `error` naming the file and what is wrong with it:
    the one way the registries (places, speakers, cameras) read their files."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise error(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML ({exc})") from exc

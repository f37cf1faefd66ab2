"""The category tree (resources/catalog.toml), modelled on GB/T 30428.2's event classes.

Cities extend or replace the file; code only ever looks categories up by code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    zh: str
    en: str
    parent: str | None = None
    priority: int = 3

    def name(self, language: str = "zh") -> str:
        return self.zh if language.startswith("zh") else self.en


class Catalog:
    def __init__(self, classes: dict[str, Category], categories: dict[str, Category]) -> None:
        self.classes = classes
        self.categories = categories

    @classmethod
    def load(cls, path: Path | None = None) -> Catalog:
        if path is None:
            from commandcenter.resources import resource_path

            path = resource_path("catalog.toml")
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        classes = {code: Category(code, v["zh"], v["en"]) for code, v in data["classes"].items()}
        categories = {}
        for code, v in data["categories"].items():
            parent = v.get("parent")
            if parent not in classes:
                raise ValueError(f"{path}: category {code} names unknown class {parent!r}")
            categories[code] = Category(code, v["zh"], v["en"], parent, int(v.get("priority", 3)))
        return cls(classes, categories)

    def get(self, code: str | None) -> Category | None:
        if code is None:
            return None
        return self.categories.get(code) or self.classes.get(code)

    def name(self, code: str | None, language: str = "zh") -> str:
        """A display name that never fails: an unknown code is shown as itself."""
        cat = self.get(code)
        if cat is None:
            return code or ("未分类" if language.startswith("zh") else "Uncategorised")
        return cat.name(language)

    def priority(self, code: str | None) -> int:
        cat = self.get(code)
        return cat.priority if cat else 3


@cache
def default_catalog() -> Catalog:
    return Catalog.load()

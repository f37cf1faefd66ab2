"""The schema head the code knows equals the newest migration it ships."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from commandcenter.store.database import MIGRATIONS, SCHEMA_HEAD, open_database


def test_schema_head_constant_matches_alembic() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_fresh_database_is_stamped_at_head(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    try:
        assert db.current_revision() == SCHEMA_HEAD
    finally:
        db.dispose()

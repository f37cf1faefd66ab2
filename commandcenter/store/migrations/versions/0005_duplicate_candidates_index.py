"""Index for the duplicate search: open cases that are not themselves duplicates, by latitude.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 17:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_WHERE = sa.text("duplicate_of IS NULL")


def upgrade() -> None:
    # A flood of reports about one spot makes most new cases duplicates; the candidates the
    # writer looks for are the few that are not, near the point (repositories.open_near).
    op.create_index("ix_cases_candidates_lat", "cases", ["lat", "updated_at"],
                    sqlite_where=_WHERE, postgresql_where=_WHERE)


def downgrade() -> None:
    op.drop_index("ix_cases_candidates_lat", table_name="cases")

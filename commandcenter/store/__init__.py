"""Persistence: SQLAlchemy 2 tables, Alembic migrations, repositories (DESIGN.md §5)."""

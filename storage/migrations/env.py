"""Alembic environment: the engine is handed in by storage.db.migrate (no ini file)."""

from alembic import context

import storage.audit
import storage.auth  # noqa: F401
from storage.tables import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    context.run_migrations()

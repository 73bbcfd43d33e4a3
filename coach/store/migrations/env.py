"""Alembic's entry point, configured in code (`coach.store.migrate`): no alembic.ini.

Online, the store hands over its own connection, already in the migration's
transaction (`config.attributes["connection"]`). Offline (`python -m coach db
upgrade --sql`), the SQL is printed for the database's dialect instead of run.
"""

from __future__ import annotations

from alembic import context

from coach.store.schema import METADATA

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # offline: print the SQL for a DBA to review
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=METADATA,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=METADATA, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()

"""The search vector maintained by a trigger that fires only when a searchable column changes
(a generated column is recomputed on every UPDATE, and the status projection updates tickets
all the time); and the idempotency keys of create requests.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

from common.idempotency import create_idempotency_table, drop_idempotency_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# As written in 0002.
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(jsonb_to_tsvector('simple'::regconfig, ticket_data, '[\"string\", \"numeric\"]'), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, number), 'A')"
)
NEW_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(NEW.title, '')), 'A') || "
    "setweight(jsonb_to_tsvector('simple'::regconfig, NEW.ticket_data, '[\"string\", \"numeric\"]'), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, NEW.number), 'A')"
)


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS tickets.ix_tickets_search")
    op.execute("ALTER TABLE tickets.tickets DROP COLUMN search_vector")
    op.execute("ALTER TABLE tickets.tickets ADD COLUMN search_vector tsvector")
    op.execute(
        f"""
        CREATE FUNCTION tickets.tickets_search_vector() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector := {NEW_VECTOR};
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER tickets_search_vector BEFORE INSERT OR UPDATE OF title, ticket_data, number "
        "ON tickets.tickets FOR EACH ROW EXECUTE FUNCTION tickets.tickets_search_vector()"
    )
    op.execute("UPDATE tickets.tickets SET title = title")
    op.execute("ALTER TABLE tickets.tickets ALTER COLUMN search_vector SET NOT NULL")
    op.execute("CREATE INDEX ix_tickets_search ON tickets.tickets USING gin (search_vector)")
    create_idempotency_table("tickets")


def downgrade() -> None:
    drop_idempotency_table("tickets")
    op.execute("DROP INDEX IF EXISTS tickets.ix_tickets_search")
    op.execute("DROP TRIGGER tickets_search_vector ON tickets.tickets")
    op.execute("DROP FUNCTION tickets.tickets_search_vector()")
    op.execute("ALTER TABLE tickets.tickets DROP COLUMN search_vector")
    op.execute(
        f"ALTER TABLE tickets.tickets ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({SEARCH_VECTOR_SQL}) STORED NOT NULL"
    )
    op.execute("CREATE INDEX ix_tickets_search ON tickets.tickets USING gin (search_vector)")

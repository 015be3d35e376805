"""search index: entries and people on both databases; FTS5 on SQLite, tsvector + GIN on PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:00:00.000000

The index starts empty: run ``storage.search.reindex_all`` once on a database that already holds
documents. SQLite keeps the indexed tokens in ``search_tokens`` (a contentless FTS5 table needs
them to delete a row; apart, so that ``search_entries`` rows stay narrow); PostgreSQL keeps
tsvectors built from the same tokens.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FTS5 = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(exact, folded, tags, content='', columnsize=0, "
    "tokenize='unicode61 remove_diacritics 0')"
)


def _entries_columns(dialect: str) -> list[sa.Column[object]]:
    columns: list[sa.Column[object]] = [
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("dossier_code", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=35), nullable=False),
        sa.Column("procedure_code", sa.String(length=20), nullable=False),
        sa.Column("doc_type", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    ]
    if dialect != "sqlite":
        columns += [sa.Column("exact_tsv", postgresql.TSVECTOR(), nullable=False),
                    sa.Column("folded_tsv", postgresql.TSVECTOR(), nullable=False)]
    return columns


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table("search_entries", *_entries_columns(dialect),
                    sa.PrimaryKeyConstraint("id", name="pk_search_entries"))
    op.create_index("ix_search_entries_dossier_id", "search_entries", ["dossier_id"])
    op.create_index("ix_search_entries_document_id", "search_entries", ["document_id"],
                    unique=True)
    op.create_index("ix_search_entries_dossier_code", "search_entries", ["dossier_code"])
    op.create_table(
        "search_people",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.String(length=12), nullable=True),
        sa.Column("name_exact", sa.String(length=200), nullable=True),
        sa.Column("name_folded", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_search_people"),
    )
    op.create_index("ix_search_people_entry_id", "search_people", ["entry_id"])
    op.create_index("ix_search_people_person_id", "search_people", ["person_id"])
    op.create_index("ix_search_people_name_folded", "search_people", ["name_folded"])
    if dialect == "sqlite":
        op.create_table("search_tokens",
                        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
                        sa.Column("tokens", sa.Text(), nullable=False),
                        sa.PrimaryKeyConstraint("id", name="pk_search_tokens"))
        op.execute(FTS5)
    elif dialect == "postgresql":
        _postgres_indexes()


def _postgres_indexes() -> None:
    # Keep tsvectors inline and uncompressed: checking a row must not cost a TOAST fetch.
    op.execute("ALTER TABLE search_entries ALTER COLUMN exact_tsv SET STORAGE EXTERNAL, "
               "ALTER COLUMN folded_tsv SET STORAGE EXTERNAL")
    op.execute("ALTER TABLE search_entries SET (toast_tuple_target = 8160)")
    op.create_index("ix_search_entries_exact_tsv", "search_entries", ["exact_tsv"],
                    postgresql_using="gin")
    op.create_index("ix_search_entries_folded_tsv", "search_entries", ["folded_tsv"],
                    postgresql_using="gin")
    for column in ("unit", "procedure_code", "doc_type", "status"):
        op.create_index(f"ix_search_entries_{column}_id", "search_entries", [column, "id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
        op.drop_table("search_tokens")
    op.drop_table("search_people")
    op.drop_table("search_entries")

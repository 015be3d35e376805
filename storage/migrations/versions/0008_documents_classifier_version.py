"""documents.classifier_version: the rules and model version that named each document

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("classifier_version", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("classifier_version")

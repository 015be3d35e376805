"""dossiers.ordinals_used: document ordinals reserved atomically

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 05:52:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ordinals_used", sa.Integer(), nullable=False, server_default="0")
        )
    # Existing dossiers continue after their highest ordinal.
    op.execute(
        "UPDATE dossiers SET ordinals_used = COALESCE("
        "(SELECT MAX(ordinal) FROM documents WHERE documents.dossier_id = dossiers.id), 0)"
    )


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("ordinals_used")

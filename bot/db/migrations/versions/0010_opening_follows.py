"""Opening follows: users told when a periodic source's call opens.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "opening_follows",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "entry_id", name=op.f("pk_opening_follows")),
    )
    op.create_index(op.f("ix_opening_follows_entry_id"), "opening_follows", ["entry_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_opening_follows_entry_id"), table_name="opening_follows")
    op.drop_table("opening_follows")

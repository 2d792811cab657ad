"""Funding-call alerts: alert profiles, followed calls and muted sources.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert_profiles",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("applicants", sa.JSON(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("states", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_alert_profiles")),
    )
    op.create_table(
        "call_follows",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "entry_id", name=op.f("pk_call_follows")),
    )
    op.create_index(op.f("ix_call_follows_entry_id"), "call_follows", ["entry_id"])
    op.create_table(
        "source_mutes",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "entry_id", name=op.f("pk_source_mutes")),
    )


def downgrade() -> None:
    op.drop_table("source_mutes")
    op.drop_index(op.f("ix_call_follows_entry_id"), table_name="call_follows")
    op.drop_table("call_follows")
    op.drop_table("alert_profiles")

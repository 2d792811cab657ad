"""Alliance directory: public profiles, contact requests and blocks.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ally_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(150), nullable=False),
        sa.Column("sector", sa.String(20), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("municipality", sa.String(120), nullable=True),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("seeks", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("accepts_requests", sa.Boolean(), nullable=False,
                  server_default=sa.true()),
        sa.Column("consent_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ally_profiles")),
        sa.UniqueConstraint("user_id", name=op.f("uq_ally_profiles_user_id")),
    )
    op.create_index(op.f("ix_ally_profiles_sector"), "ally_profiles", ["sector"])
    op.create_index(op.f("ix_ally_profiles_state"), "ally_profiles", ["state"])
    op.create_table(
        "ally_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.BigInteger(), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ally_requests")),
    )
    op.create_index("ix_ally_requests_sent", "ally_requests", ["requester_id", "created_at"])
    op.create_index(op.f("ix_ally_requests_target_id"), "ally_requests", ["target_id"])
    op.create_table(
        "ally_blocks",
        sa.Column("blocker_id", sa.BigInteger(), nullable=False),
        sa.Column("blocked_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("blocker_id", "blocked_id", name=op.f("pk_ally_blocks")),
    )
    op.create_index(op.f("ix_ally_blocks_blocked_id"), "ally_blocks", ["blocked_id"])


def downgrade() -> None:
    op.drop_table("ally_blocks")
    op.drop_table("ally_requests")
    op.drop_table("ally_profiles")

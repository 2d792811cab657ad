"""Cycles, sessions, profiles, registrations and conversation flows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cycles",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("organizers", sa.JSON(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("reminder_offsets", sa.JSON(), nullable=False),
        sa.Column("certificate_min_sessions", sa.Integer(), nullable=True),
        sa.Column("grace_minutes", sa.Integer(), nullable=False),
        sa.Column("min_minutes", sa.Integer(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycles")),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.String(40), nullable=False),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("speakers", sa.JSON(), nullable=False),
        sa.Column("starts_at", WHEN, nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("modality", sa.String(60), nullable=True),
        sa.Column("join_url", sa.String(500), nullable=True),
        sa.Column("recording_url", sa.String(500), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], ondelete="CASCADE",
                                name=op.f("fk_sessions_cycle_id_cycles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("cycle_id", "code", name=op.f("uq_sessions_cycle_id")),
    )
    op.create_index(op.f("ix_sessions_starts_at"), "sessions", ["starts_at"])
    op.create_table(
        "profiles",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("full_name", sa.String(120), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("organization", sa.String(150), nullable=True),
        sa.Column("sector", sa.String(20), nullable=True),
        sa.Column("state", sa.String(40), nullable=True),
        sa.Column("municipality", sa.String(100), nullable=True),
        sa.Column("cluni", sa.String(20), nullable=True),
        sa.Column("consent_version", sa.String(20), nullable=True),
        sa.Column("consent_at", WHEN, nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_profiles")),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("sector", sa.String(20), nullable=True),
        sa.Column("state", sa.String(40), nullable=True),
        sa.Column("queued_at", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE",
                                name=op.f("fk_registrations_session_id_sessions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_registrations_session_id")),
    )
    op.create_index(op.f("ix_registrations_session_id"), "registrations", ["session_id"])
    op.create_index(op.f("ix_registrations_user_id"), "registrations", ["user_id"])
    op.create_table(
        "flows",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_flows")),
    )


def downgrade() -> None:
    op.drop_table("flows")
    op.drop_index(op.f("ix_registrations_user_id"), table_name="registrations")
    op.drop_index(op.f("ix_registrations_session_id"), table_name="registrations")
    op.drop_table("registrations")
    op.drop_table("profiles")
    op.drop_index(op.f("ix_sessions_starts_at"), table_name="sessions")
    op.drop_table("sessions")
    op.drop_table("cycles")

"""Attendance, check-in codes and certificates.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("name_confirmed", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE",
                                name=op.f("fk_attendance_session_id_sessions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_attendance_session_id")),
    )
    op.create_index(op.f("ix_attendance_session_id"), "attendance", ["session_id"])
    op.create_index(op.f("ix_attendance_user_id"), "attendance", ["user_id"])
    op.create_table(
        "checkin_codes",
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE",
                                name=op.f("fk_checkin_codes_session_id_sessions")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_checkin_codes")),
    )
    op.create_index(op.f("ix_checkin_codes_session_id"), "checkin_codes", ["session_id"])
    op.create_table(
        "certificates",
        sa.Column("folio", sa.String(24), nullable=False),
        sa.Column("cycle_id", sa.String(40), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("organization", sa.String(150), nullable=True),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("issued_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("revoked_reason", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("folio", name=op.f("pk_certificates")),
        sa.UniqueConstraint("cycle_id", "user_id", name=op.f("uq_certificates_cycle_id")),
    )
    op.create_index(op.f("ix_certificates_cycle_id"), "certificates", ["cycle_id"])
    op.create_index(op.f("ix_certificates_user_id"), "certificates", ["user_id"])


def downgrade() -> None:
    op.drop_table("certificates")
    op.drop_table("checkin_codes")
    op.drop_table("attendance")
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("name_confirmed")

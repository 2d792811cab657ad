"""Question log and knowledge base version.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.String(4096), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("best_id", sa.String(64), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("offered", sa.String(1024), nullable=True),
        sa.Column("feedback", sa.Integer(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_log")),
    )
    op.create_index(op.f("ix_question_log_asked_at"), "question_log", ["asked_at"])
    op.create_index(op.f("ix_question_log_user_id"), "question_log", ["user_id"])
    op.create_table(
        "knowledge_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reloaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_version")),
    )


def downgrade() -> None:
    op.drop_table("knowledge_version")
    op.drop_index(op.f("ix_question_log_user_id"), table_name="question_log")
    op.drop_index(op.f("ix_question_log_asked_at"), table_name="question_log")
    op.drop_table("question_log")

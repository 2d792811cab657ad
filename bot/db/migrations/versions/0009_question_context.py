"""Question log: the organisation an unknown answer named, and a per-user index by time so the
text path reads a user's latest question together with their open form.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("question_log") as batch:
        batch.add_column(sa.Column("organisation", sa.String(150), nullable=True))
    # (user_id, asked_at) serves every lookup by user that the old index served, and the latest.
    op.create_index("ix_question_log_user_asked", "question_log", ["user_id", "asked_at"])
    op.drop_index("ix_question_log_user_id", table_name="question_log")


def downgrade() -> None:
    op.create_index("ix_question_log_user_id", "question_log", ["user_id"])
    op.drop_index("ix_question_log_user_asked", table_name="question_log")
    with op.batch_alter_table("question_log") as batch:
        batch.drop_column("organisation")

"""Question log ids are 63-bit and chosen by the bot, so questions are written in batches.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("question_log") as batch:
        batch.alter_column("id", type_=sa.BigInteger(), existing_type=sa.Integer(),
                           existing_nullable=False, server_default=None)


def downgrade() -> None:
    # Ids chosen by the bot do not fit a 32-bit column: the log cannot go back.
    raise NotImplementedError("question log ids cannot be narrowed to 32 bits")

"""Each registration counts the calendar files sent for it (iCalendar SEQUENCE).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A calendar app replaces an event only by a file with the same UID and a higher
    # SEQUENCE, so the number must survive restarts and be shared by every replica.
    with op.batch_alter_table("registrations") as batch:
        batch.add_column(sa.Column("calendar_sequence", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("calendar_sequence")

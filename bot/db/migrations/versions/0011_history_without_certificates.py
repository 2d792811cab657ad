"""The shipped 2021 cycle is history: drop the certificate rule Coopera had made up for it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Its organisers announced certificates without publishing the rule; the file no longer
    # carries one, and databases seeded from the earlier file follow it.
    op.execute("UPDATE cycles SET certificate_min_sessions = NULL "
               "WHERE id = 'cid-multiactor-2021'")


def downgrade() -> None:
    op.execute("UPDATE cycles SET certificate_min_sessions = 4 WHERE id = 'cid-multiactor-2021'")

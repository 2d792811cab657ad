"""Database models (SQLAlchemy 2, typed)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes stored in UTC; SQLite, which keeps no zone, gives them back aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, _dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, _dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UtcDateTime()}


class User(Base):
    """A Telegram user who has talked to the bot."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128))
    last_name: Mapped[str | None] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(64))
    language_code: Mapped[str | None] = mapped_column(String(16))
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]
    blocked_at: Mapped[dt.datetime | None]


class ProcessedUpdate(Base):
    """An update id already taken, so a re-sent update is not processed twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[dt.datetime] = mapped_column(index=True)


class QuestionLog(Base):
    """A question asked in free text, what the bot decided, and the user's feedback."""

    __tablename__ = "question_log"
    # A user's latest question is read with every text message (see bot.flows).
    __table_args__ = (Index("ix_question_log_user_asked", "user_id", "asked_at"),)

    # Chosen by the process that logs the question (see bot.questions), not by the database.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    asked_at: Mapped[dt.datetime] = mapped_column(index=True)
    # Kept unless the question was declined (declined ones are anonymous).
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(4096))
    # What the bot did (knowledge.Decision), or "mensaje": a message left for staff.
    decision: Mapped[str] = mapped_column(String(16))
    # The organisation an "unknown" answer named, as the question wrote it (for curators).
    organisation: Mapped[str | None] = mapped_column(String(150))
    best_id: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    # Entry ids offered ("¿Quiso decir…?") or listed, comma-separated, in the order shown.
    offered: Mapped[str | None] = mapped_column(String(1024))
    feedback: Mapped[int | None]
    feedback_at: Mapped[dt.datetime | None]


class KnowledgeVersion(Base):
    """One row: bumped by /recargar so every replica reloads the knowledge base."""

    __tablename__ = "knowledge_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int]
    reloaded_at: Mapped[dt.datetime]


class Cycle(Base):
    """A cycle of conversatorios, imported from knowledge/eventos/<id>.yaml."""

    __tablename__ = "cycles"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    organizers: Mapped[list[str]] = mapped_column(JSON)
    audience: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64))
    reminder_offsets: Mapped[list[int]] = mapped_column(JSON)
    certificate_min_sessions: Mapped[int | None]
    grace_minutes: Mapped[int]
    min_minutes: Mapped[int]
    sources: Mapped[list[str]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime]


class EventSession(Base):
    """One session of a cycle; start is stored in UTC, shown in the cycle's zone."""

    __tablename__ = "sessions"
    __table_args__ = (UniqueConstraint("cycle_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str | None] = mapped_column(Text)
    speakers: Mapped[list[str]] = mapped_column(JSON)
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int | None]
    modality: Mapped[str | None] = mapped_column(String(60))
    join_url: Mapped[str | None] = mapped_column(String(500))
    recording_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]


class Profile(Base):
    """What a user told us to register: remembered so the next registration asks less."""

    __tablename__ = "profiles"

    # No foreign key to users: a user may be forgotten and come back at any time.
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    full_name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    organization: Mapped[str | None] = mapped_column(String(150))
    sector: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str | None] = mapped_column(String(40))
    municipality: Mapped[str | None] = mapped_column(String(100))
    cluni: Mapped[str | None] = mapped_column(String(20))
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[dt.datetime | None]
    reminders: Mapped[bool] = mapped_column(default=True)
    # The name on certificates is confirmed (or corrected) once, before the first is issued.
    name_confirmed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime]


class Registration(Base):
    """A seat or a waitlist place; anonymous (no user) once its holder deleted their data."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    status: Mapped[str] = mapped_column(String(12))
    # Kept for anonymous counts by sector and state after the holder's data is deleted.
    sector: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str | None] = mapped_column(String(40))
    queued_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # iCalendar SEQUENCE of the last file sent for this seat: a change or a cancellation
    # reaches the user's calendar only with a higher one.
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")


class Flow(Base):
    """Where a user is in a multi-step conversation; in the database so any replica continues it."""

    __tablename__ = "flows"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime]


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigId = BigInteger().with_variant(Integer, "sqlite")


class Broadcast(Base):
    """A message staff send to an audience; its recipients are rows of the outbox."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime]
    text: Mapped[str] = mapped_column(Text)
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)
    scheduled_at: Mapped[dt.datetime]
    state: Mapped[str] = mapped_column(String(16), index=True)
    total: Mapped[int]
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    finished_at: Mapped[dt.datetime | None]


class OutboxMessage(Base):
    """A message to one chat, written before it is sent, sent at most once per dedup key."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[int] = mapped_column(BigInteger, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int]
    next_attempt_at: Mapped[dt.datetime]
    # Not sent after this moment (a reminder whose session has started is dropped).
    expires_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    broadcast_id: Mapped[int | None] = mapped_column(index=True)
    session_id: Mapped[int | None] = mapped_column(index=True)
    registration_id: Mapped[int | None] = mapped_column(index=True)


class Attendance(Base):
    """Who attended which session, and how we know (check-in, report import, staff)."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    source: Mapped[str] = mapped_column(String(12))
    minutes: Mapped[int | None]
    recorded_at: Mapped[dt.datetime]


class CheckinCode(Base):
    """The short code staff announce during a live session."""

    __tablename__ = "checkin_codes"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[dt.datetime]


class Certificate(Base):
    """An issued certificate; the folio is random and stays the same when re-issued."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("cycle_id", "user_id"),)

    folio: Mapped[str] = mapped_column(String(24), primary_key=True)
    cycle_id: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    organization: Mapped[str | None] = mapped_column(String(150))
    sessions: Mapped[list[Any]] = mapped_column(JSON)
    issued_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(200))


class AllyProfile(Base):
    """A public entry of the alliance directory, listed only with its owner's consent."""

    __tablename__ = "ally_profiles"

    # A public id for buttons, so callback data never carries the Telegram id.
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(150))
    sector: Mapped[str] = mapped_column(String(20), index=True)
    state: Mapped[str] = mapped_column(String(40), index=True)
    municipality: Mapped[str | None] = mapped_column(String(120))
    themes: Mapped[list[int]] = mapped_column(JSON)
    offers: Mapped[list[str]] = mapped_column(JSON)
    seeks: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(String(300))
    accepts_requests: Mapped[bool] = mapped_column(default=True)
    consent_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class AllyRequest(Base):
    """A contact request between two directory members; details travel only when accepted."""

    __tablename__ = "ally_requests"
    __table_args__ = (Index("ix_ally_requests_sent", "requester_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(BigInteger)
    target_id: Mapped[int] = mapped_column(BigInteger, index=True)
    message: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime]
    answered_at: Mapped[dt.datetime | None]


class AllyBlock(Base):
    """A member who no longer wants requests from another one."""

    __tablename__ = "ally_blocks"

    blocker_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    blocked_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False,
                                            index=True)
    created_at: Mapped[dt.datetime]


class AlertProfile(Base):
    """Which open funding calls a user wants to hear about."""

    __tablename__ = "alert_profiles"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    applicants: Mapped[list[str]] = mapped_column(JSON)
    themes: Mapped[list[int]] = mapped_column(JSON)
    states: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[dt.datetime]


class CallFollow(Base):
    """A user reminded before one open call closes."""

    __tablename__ = "call_follows"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    created_at: Mapped[dt.datetime]


class SourceMute(Base):
    """A funding source a user asked never to hear about again."""

    __tablename__ = "source_mutes"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime]


class OpeningFollow(Base):
    """A user told when a periodic source's call opens (each opening, until unfollowed).

    Apart from call_follows: those rows get deadline reminders at once, and these users are
    only offered them when the call opens."""

    __tablename__ = "opening_follows"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    created_at: Mapped[dt.datetime]

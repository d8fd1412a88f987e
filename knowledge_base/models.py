"""Tables of the knowledge base in the app database: loaded entries and unanswered questions."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Integer, String, UniqueConstraint

from appdb import Base, UTCDateTime, utcnow


class KnowledgeEntryRow(Base):
    """One validated content file; ``document`` is the whole entry so readers need no joins."""

    __tablename__ = "kb_entry"

    id = Column(String(80), primary_key=True)
    kind = Column(String(20), nullable=False, index=True)
    topic = Column(String(60), nullable=True, index=True)
    document = Column(JSON, nullable=False)
    # sha256 of the canonical JSON: the loader compares it to skip unchanged files.
    content_hash = Column(String(64), nullable=False)
    verified = Column(Date, nullable=False)
    source_file = Column(String(300), nullable=False)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class UnansweredQuestion(Base):
    """How often a question (scrubbed of personal details) found no answer, for content writers."""

    __tablename__ = "unanswered_question"
    __table_args__ = (
        UniqueConstraint("question", "lang", name="uq_unanswered_question_question_lang"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    question = Column(String(300), nullable=False)
    topic = Column(String(60), nullable=True, index=True)
    lang = Column(String(2), nullable=False)
    count = Column(Integer, nullable=False, default=1)
    first_seen = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen = Column(UTCDateTime, nullable=False, default=utcnow)

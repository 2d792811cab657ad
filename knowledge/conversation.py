"""Messages that are conversation (a greeting, thanks, a complaint) or a personal matter that
belongs to another public service, read from lexicon/conversation.yaml and redirects.yaml."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.phrases import PhraseTable
from knowledge.text import words
from knowledge.vocab import read_yaml

# Intents that count wherever they appear in a message, not only in a message of their own.
ANYWHERE = frozenset({"human", "urgency", "complaint"})
_REPEATS = re.compile(r"([a-z])\1{2,}")
# Words a message of pure conversation may carry besides its phrases ("hola, buenas, coopera").
LEFTOVER = 1
_LETTERS = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Redirect:
    """A personal matter outside Coopera's scope, and where it belongs."""

    topic: str
    reply: str
    # Matched by a phrase that is personal whoever else the question names ("cuánto gana").
    always: bool = False


def _flags(phrases: list[str]) -> PhraseTable[bool]:
    return PhraseTable({tuple(words(p)): True for p in phrases})


def _found(table: PhraseTable[bool], tokens: Sequence[str]) -> bool:
    return any(v for _, _, v in table.scan(tokens))


def _table(groups: dict[str, list[str]]) -> PhraseTable[str]:
    return PhraseTable({tuple(words(p)): name for name, phrases in groups.items() for p in phrases})


@dataclass(frozen=True)
class OwnSession:
    """A question about the asker's own registration, and what it asks, in order (time, date,
    link, cancel; none when nothing in particular)."""

    aspects: tuple[str, ...] = ()


class Conversation:
    """Reads conversational intents, personal matters and questions about one's own sessions
    from a message's words."""

    def __init__(self) -> None:
        """Compile the phrase tables of the two lexicon files."""
        data = read_yaml("conversation.yaml")
        self.intents = _table(data["intents"])
        self.filler = frozenset(data["filler"])
        self.priority = {name: rank for rank, name in enumerate(data["priority"])}
        redirects = read_yaml("redirects.yaml")
        topics = redirects["topics"]
        self.replies = {name: " ".join(spec["reply"].split()) for name, spec in topics.items()}
        self.topics = _table({n: s.get("phrases", []) for n, s in topics.items()})
        self.always = _table({n: s.get("always", []) for n, s in topics.items()})
        self.institutional = _flags(redirects["institutional"])
        self.broad = _flags(redirects["broad_institutional"])
        self.personal = _flags(redirects["personal_markers"])
        self.keywords = _table(redirects["keywords"])
        own = read_yaml("own_sessions.yaml")
        self.sessions = _flags(own["sessions"])
        self.own = _flags(own["own"])
        aspects = own["aspects"]
        self.aspects = _table({n: spec["phrases"] for n, spec in aspects.items()})
        self.always_aspects = frozenset(
            n for n, spec in aspects.items() if spec.get("always") == "true")

    def intent(self, text: str, folded: Sequence[str]) -> str | None:
        """Return the conversational intent of a message (folded: its folded words), or None
        when it asks something."""
        tokens = [_REPEATS.sub(r"\1", w) for w in folded]
        if not tokens:
            return "emoji" if text.strip() and not _LETTERS.search(text) else None
        found: list[str] = []
        left = 0
        for start, end, name in self.intents.scan(tokens):
            if name is not None:
                found.append(name)
            elif tokens[start] not in self.filler:
                left += end - start
        found.sort(key=lambda name: self.priority.get(name, len(self.priority)))
        if found and (found[0] in ANYWHERE or left <= LEFTOVER):
            return found[0]
        return None

    def redirect(self, tokens: Sequence[str]) -> Redirect | None:
        """Return where a personal matter belongs, or None (tokens: the message's words)."""
        for _, _, name in self.always.scan(tokens):
            if name:
                return Redirect(name, self.replies[name], always=True)
        if _found(self.institutional, tokens):
            return None
        for _, _, name in self.topics.scan(tokens):
            if name:
                return Redirect(name, self.replies[name])
        # One word ("préstamo", "beca") is enough when the asker speaks for themself only.
        if _found(self.personal, tokens) and not _found(self.broad, tokens):
            for _, _, name in self.keywords.scan(tokens):
                if name:
                    return Redirect(name, self.replies[name])
        return None

    def own_session(self, tokens: Sequence[str]) -> OwnSession | None:
        """Return what a question asks about the asker's own registration, or None."""
        if not _found(self.sessions, tokens):
            return None
        aspects = [name for _, _, name in self.aspects.scan(tokens) if name]
        own = _found(self.own, tokens)
        if own or self.always_aspects.intersection(aspects):
            return OwnSession(tuple(dict.fromkeys(aspects)))
        return None

"""Organisations a question names: the ones the base covers, and the ones it does not.

Known names come from the entries themselves (aliases, the title and its acronyms, the funder),
so adding an entry teaches the recogniser its names. Unknown names are read from how people
name organisations ("fundación X", "embajada de X", "X foundation", an acronym in capitals) and
from a short list of real organisations the base does not cover (lexicon/organisations.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from knowledge.general import is_common
from knowledge.phrases import PhraseTable
from knowledge.schema import Entry, Kind
from knowledge.text import fold, words
from knowledge.vocab import read_yaml

# A name shared by more entries than this is a family ("Gobierno de México"), not one organisation.
MAX_ENTRIES_PER_NAME = 3
MAX_NAME_WORDS = 4
_PARENTHESES = re.compile(r"\(([^)]*)\)")
_SEGMENTS = re.compile(r"[,;/()]| - | – | y su | e | a través de ")
_ACRONYM = re.compile(r"\b[A-ZÁÉÍÓÚÑ]{2,8}\b")


@dataclass(frozen=True)
class Named:
    """An organisation a question names: as written, and the entries about it (none if unknown)."""

    name: str
    entries: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """Tell whether the base has an entry about this organisation."""
        return bool(self.entries)


def _own_names(entry: Entry) -> list[str]:
    """The entry's aliases, its title without parentheses, and the acronyms inside them."""
    names = [*entry.aliases, _PARENTHESES.sub("", entry.title), *_ACRONYM.findall(entry.title)]
    for inside in _PARENTHESES.findall(entry.title):
        names += [part for part in re.split(r"[,/;]", inside) if _ACRONYM.search(part)]
    return names


class Organisations:
    """Recognises organisation names in questions."""

    def __init__(self, entries: Sequence[Entry], in_base: Callable[[str], bool]) -> None:
        """Collect the names of every fuente entry and compile the patterns of lexicon data;
        in_base tells whether a word is part of the base's vocabulary (then it is no name
        unless capitalised)."""
        self.in_base = in_base
        data = read_yaml("organisations.yaml")
        generic = {tuple(words(p)) for p in data["generic"]}
        self.not_names = frozenset(w for p in data["not_names"] for w in words(p))
        own: dict[tuple[str, ...], set[str]] = {}
        funders: dict[tuple[str, ...], set[str]] = {}
        for entry in entries:
            if entry.kind is not Kind.FUENTE:
                continue
            for names, owners in ((_own_names(entry), own),
                                  (_SEGMENTS.split(entry.funder or ""), funders)):
                for name in names:
                    tokens = self._trim(words(name))
                    if tokens and tokens not in generic and self._distinctive(tokens):
                        owners.setdefault(tokens, set()).add(entry.id)
        # An entry's own name points at it; a funder's name at the entries it funds.
        table = {t: ids for t, ids in funders.items() if len(ids) <= MAX_ENTRIES_PER_NAME}
        table.update(own)
        self.known = PhraseTable({t: tuple(sorted(ids)) for t, ids in table.items()})
        # The rare words of entries' own names, for names written another way ("Mott
        # Foundation" for "Fundación Charles Stewart Mott").
        by_word: dict[str, set[str]] = {}
        for tokens, ids in own.items():
            for word in tokens:
                if not is_common(word) and word not in self.not_names and not word.isdigit():
                    by_word.setdefault(word, set()).update(ids)
        self.by_word = {w: tuple(sorted(ids)) for w, ids in by_word.items()
                        if len(ids) <= MAX_ENTRIES_PER_NAME}
        self.absent = PhraseTable({tuple(words(n)): n for n in data["absent"]})
        self.triggers = PhraseTable({tuple(words(t)): t for t in data["triggers"]})
        self.suffixes = frozenset(words(" ".join(data["suffixes"])))
        self.triggers_words = frozenset(words(" ".join([*data["triggers"], *data["connectors"]])))
        self.connectors = frozenset(data["connectors"])
        self.acronyms = frozenset(fold(a) for a in data["common_acronyms"])
        self.display = {fold(k): v for k, v in data["display"].items()}

    def _trim(self, tokens: list[str]) -> tuple[str, ...]:
        """Drop the words around a name that are not part of it ("en México", "lo implementa")."""
        start, end = 0, len(tokens)
        while start < end and tokens[start] in self.not_names:
            start += 1
        while end > start and tokens[end - 1] in self.not_names:
            end -= 1
        return tuple(tokens[start:end])

    @staticmethod
    def _distinctive(tokens: tuple[str, ...]) -> bool:
        """One common word alone ("semillas") names nothing; longer names and rare words do."""
        return len(tokens) > 1 or not is_common(tokens[0]) or tokens[0].isdigit()

    def read(self, text: str, corrected: Sequence[str]) -> list[Named]:
        """Return the organisations named in text (known ones first); corrected: its words with
        spelling fixed, so that "fundasion walmar" still names Fundación Walmart."""
        found: list[Named] = []
        seen: set[tuple[str, ...]] = set()
        for tokens in (tuple(words(text)), tuple(corrected)):
            for start, end, ids in self.known.scan(tokens):
                if ids and tokens[start:end] not in seen:
                    seen.add(tokens[start:end])
                    found.append(Named(" ".join(tokens[start:end]), ids))
        if found:
            return found
        recognised = (self._recognised(named) for named in self._unknown(text))
        return [named for named in recognised if named is not None]

    def _recognised(self, named: Named) -> Named | None:
        """An unknown-looking name with a rare word of a known entry's name is that entry's; one
        whose every word the base already uses is no unknown organisation (None): the ranking
        finds what the base says about it ("RENCID", "PADOR")."""
        tokens = words(named.name)
        for word in tokens:
            if word in self.by_word:
                return Named(named.name, self.by_word[word])
        if all(self.in_base(w) or w in self.triggers_words for w in tokens):
            return None
        return named

    def _unknown(self, text: str) -> list[Named]:
        """Names of organisations the base does not cover."""
        tokens = words(text)
        for _, _, name in self.absent.scan(tokens):
            if name:
                return [Named(name)]
        capitalised = {fold(w) for w in re.findall(r"\b[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+", text[1:])}
        for _, end, trigger in self.triggers.scan(tokens):
            if trigger is None:
                continue
            name = self._after(tokens, end, capitalised)
            if name:
                return [Named(self._show(trigger, name))]
        for i, token in enumerate(tokens):
            if token in self.suffixes and i > 0:
                before = self._before(tokens, i, capitalised)
                if before:
                    return [Named(self._show("", [*before, token]))]
        for acronym in _ACRONYM.findall(text):
            if len(acronym) >= 3 and fold(acronym) not in self.acronyms:
                return [Named(acronym)]
        return []

    def _name_word(self, token: str, capitalised: set[str]) -> bool:
        """Tell whether a word can be part of an organisation's name."""
        if token in self.not_names:
            return False
        return token in capitalised or not (is_common(token) and self.in_base(token))

    def _after(self, tokens: Sequence[str], start: int, capitalised: set[str]) -> list[str]:
        """The name words that follow a trigger ("fundación" + "bbva"), or none."""
        name: list[str] = []
        i = start
        # "la fundación de Bimbo": a connector right after the trigger, before a name, is skipped.
        while i + 1 < len(tokens) and tokens[i] in self.connectors and (
                self._name_word(tokens[i + 1], capitalised)):
            i += 1
        while i < len(tokens) and len(name) < MAX_NAME_WORDS:
            token = tokens[i]
            joins = name and token in self.connectors and i + 1 < len(tokens) and (
                self._name_word(tokens[i + 1], capitalised))
            if not (self._name_word(token, capitalised) or (name and token.isdigit()) or joins):
                break
            name.append(token)
            i += 1
        return name

    def _before(self, tokens: Sequence[str], end: int, capitalised: set[str]) -> list[str]:
        """The name words before an English suffix ("rockefeller" + "foundation")."""
        i = end
        while i > 0 and end - i < MAX_NAME_WORDS and self._name_word(tokens[i - 1], capitalised):
            i -= 1
        return list(tokens[i:end])

    def _show(self, trigger: str, name: Sequence[str]) -> str:
        """Write a name as a person would: "fundacion bbva" -> "Fundación BBVA"."""
        shown = [self.display.get(fold(trigger), trigger.capitalize())] if trigger else []
        for word in name:
            if word in self.connectors:
                shown.append(word)
            else:
                shown.append(self.display.get(word, word.upper() if len(word) <= 4 and
                                              not _has_vowel_run(word) else word.capitalize()))
        return " ".join(shown)


def _has_vowel_run(word: str) -> bool:
    """Tell whether a short word reads as a word ("bimbo") rather than an acronym ("bbva")."""
    return bool(re.search(r"[aeiou][^aeiou][aeiou]", word))

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
from functools import lru_cache

from knowledge.general import is_common
from knowledge.geography import CITIES, REGIONS, STATE_CODES
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
    # The words that make the name (folded), and where it starts among the question's words.
    words: tuple[str, ...] = ()
    start: int = 0
    # An acronym in capitals ("PADOR"): an entry that mentions it may well be about it.
    acronym: bool = False
    # The word that introduced the name ("programa"), when a pattern found it.
    trigger: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """Tell whether the base has an entry about this organisation."""
        return bool(self.entries)


def _own_names(entry: Entry) -> list[str]:
    """The entry's title without parentheses, and the acronyms in it."""
    names = [_PARENTHESES.sub("", entry.title), *_ACRONYM.findall(entry.title)]
    for inside in _PARENTHESES.findall(entry.title):
        names += [part for part in re.split(r"[,/;]", inside) if _ACRONYM.search(part)]
    return names


class Organisations:
    """Recognises organisation names in questions."""

    def __init__(
        self, entries: Sequence[Entry], terms: Callable[[str], frozenset[str]],
        in_base: Callable[[str], bool],
    ) -> None:
        """Collect the names of every fuente entry and compile the patterns of lexicon data.
        terms gives a word's search terms (spelling fixed, stemmed, synonyms joined), so that
        "canadiense" and "Canadá" compare equal; in_base tells whether a term is indexed."""
        # Names are made of few distinct words: their terms are worth remembering.
        self.terms = lru_cache(maxsize=8192)(terms)
        self.in_base = in_base
        self.by_id = {e.id: e for e in entries}
        self._texts: dict[str, frozenset[str]] = {}
        data = read_yaml("organisations.yaml")
        generic = {tuple(words(p)) for p in data["generic"]}
        places = [*STATE_CODES, *CITIES, *REGIONS]
        self.not_names = frozenset(w for p in [*data["not_names"], *places] for w in words(p))
        self.trim = frozenset(w for p in data["trim"] for w in words(p))
        self.acronyms = frozenset(fold(a) for a in data["common_acronyms"])
        self.triggers_words = frozenset(words(" ".join([*data["triggers"], *data["connectors"]])))
        self.trigger_terms = frozenset(
            t for w in words(" ".join(data["triggers"])) for t in self.terms(w))
        own: dict[tuple[str, ...], set[str]] = {}
        funders: dict[tuple[str, ...], set[str]] = {}
        for entry in entries:
            if entry.kind is not Kind.FUENTE:
                continue
            for names, owners in ((_own_names(entry), own),
                                  (_SEGMENTS.split(entry.funder or ""), funders)):
                for name in names:
                    tokens = self._trim(words(name))
                    if tokens not in generic and self._distinctive(tokens):
                        owners.setdefault(tokens, set()).add(entry.id)
            # Aliases are chosen by a person for this entry: "Rotary" and "FEC" count although
            # they are everyday words elsewhere.
            for alias in entry.aliases:
                tokens = self._trim(words(alias))
                if tokens and tokens not in generic:
                    own.setdefault(tokens, set()).add(entry.id)
        # Every word an entry is named with, to tell whether an answer is about the one asked.
        self.name_terms: dict[str, set[str]] = {}
        for owned in (own, funders):
            for tokens, ids in owned.items():
                found = {t for w in tokens for t in self.terms(w)}
                for entry_id in ids:
                    self.name_terms.setdefault(entry_id, set()).update(found)
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
        self.generic_before = frozenset(data["generic_before"])
        self.suffixes = frozenset(words(" ".join(data["suffixes"])))
        self.connectors = frozenset(data["connectors"])
        self.display = {fold(k): v for k, v in data["display"].items()}

    def _trim(self, tokens: list[str]) -> tuple[str, ...]:
        """Drop the words around a name that are not part of it ("en México", "lo implementa")."""
        start, end = 0, len(tokens)
        while start < end and tokens[start] in self.trim:
            start += 1
        while end > start and tokens[end - 1] in self.trim:
            end -= 1
        return tuple(tokens[start:end])

    def _distinctive(self, tokens: tuple[str, ...]) -> bool:
        """A name needs a word of its own: "Fondo Internacional" or "OSC" names nothing, and
        one common word alone ("semillas") neither."""
        own = [t for t in tokens if t not in self.not_names and t not in self.triggers_words
               and t not in self.acronyms]
        if not own:
            return False
        return len(tokens) > 1 or not is_common(tokens[0]) or tokens[0].isdigit()

    def read(self, text: str, tokens: Sequence[str], corrected: Sequence[str]) -> list[Named]:
        """Return the organisations named in text, in the order they appear: known ones with
        their entries, others as candidates. tokens: its folded words; corrected: those words
        with spelling fixed, so that "fundasion walmar" still names Fundación Walmart."""
        found: list[Named] = []
        seen: set[tuple[str, ...]] = set()
        raw = tuple(tokens)
        for tokens in (raw, tuple(corrected)):
            for start, end, ids in self.known.scan(tokens):
                # A correction names an organisation only when it is long enough to be sure:
                # "apps" is no "APS", "TIKA" no "JICA".
                fixed = tokens is not raw and end - start == 1 and len(tokens[start]) < 5
                if ids and not fixed and tokens[start:end] not in seen:
                    seen.add(tokens[start:end])
                    found.append(Named(" ".join(tokens[start:end]), ids, tokens[start:end], start))
        unknown = self._unknown(text, raw)
        if unknown is not None and not any(n.start <= unknown.start for n in found):
            found.append(self._recognised(unknown))
        return sorted(found, key=lambda n: n.start)

    def _recognised(self, named: Named) -> Named:
        """An unknown-looking name with a rare word of a known entry's name is that entry's."""
        for word in named.words:
            if word in self.by_word:
                return Named(named.name, self.by_word[word], named.words, named.start)
        return named

    def entries_about(self, named: Named) -> set[str]:
        """The funding sources named with every word of a name, besides its own entries."""
        asked = self._asked(named)
        about = (i for i in self.name_terms if self._named_with(named, asked, i))
        return {*named.entries, *about}

    def new_to_base(self, named: Named) -> bool:
        """Tell whether a name has a word the base never uses (so no entry can be about it)."""
        return any(not any(map(self.in_base, self.terms(w))) for w in named.words)

    def is_about(self, named: Named, entry: Entry) -> bool:
        """Tell whether an entry can answer about a name: it must be named with every word of it
        ("Fondo Semillas"); for an acronym it is enough that the entry explains it ("PADOR")."""
        if self._named_with(named, self._asked(named), entry.id):
            return True
        if not named.acronym:
            return False
        return all(w in self._text_words(entry.id) for w in named.words)

    def _asked(self, named: Named) -> list[frozenset[str]]:
        """The terms of a name's words (an acronym as written: spelling correction would turn
        "TIKA" into "JICA")."""
        return [frozenset([w]) if named.acronym else self.terms(w) for w in named.words]

    def _named_with(self, named: Named, asked: list[frozenset[str]], entry_id: str) -> bool:
        """Tell whether an entry's names carry every asked term."""
        own = self.name_terms.get(entry_id, set())
        # The kind of organisation counts when the entry says its own: a "Programa Semilla" is
        # no "Fondo Semillas", while "programa Adelante" is ADELANTE.
        if not self.trigger_terms.isdisjoint(own):
            asked = asked + [self.terms(w) for w in named.trigger]
        return all(not t.isdisjoint(own) for t in asked if t)

    def _text_words(self, entry_id: str) -> frozenset[str]:
        """The words an entry's text uses (for acronyms it explains), read once."""
        found = self._texts.get(entry_id)
        if found is None:
            entry = self.by_id[entry_id]
            text = " ".join([entry.title, entry.summary, *entry.keywords, entry.body])
            found = self._texts[entry_id] = frozenset(words(text))
        return found

    def _unknown(self, text: str, tokens: Sequence[str]) -> Named | None:
        """The first name of an organisation the entries do not name, or None."""
        for start, _, name in self.absent.scan(tokens):
            if name:
                return Named(name, (), tuple(words(name)), start)
        for start, end, trigger in self.triggers.scan(tokens):
            if trigger is None or (start and tokens[start - 1] in self.generic_before):
                continue
            name = self._after(tokens, end)
            if name:
                shown = self._show(trigger, name)
                core = tuple(w for w in name if w not in self.connectors and not w.isdigit())
                kind = tuple(w for w in words(trigger) if w not in self.connectors)
                return Named(shown, (), core, start, trigger=kind)
        for i, token in enumerate(tokens):
            if token in self.suffixes and i > 0:
                before = self._before(tokens, i)
                if before:
                    return Named(self._show("", [*before, token]), (), tuple(before),
                                 i - len(before))
        for acronym in _ACRONYM.findall(text):
            folded = fold(acronym)
            if len(acronym) >= 3 and folded not in self.acronyms and not is_common(folded):
                return Named(acronym, (), (folded,), tokens.index(folded), acronym=True)
        return None

    def _name_word(self, token: str) -> bool:
        """Tell whether a word can be part of an organisation's name: any word that is not a
        function or domain word ("Fundación Gigante", "Fondo Colibrí")."""
        return token not in self.not_names

    def _after(self, tokens: Sequence[str], start: int) -> list[str]:
        """The name words that follow a trigger ("fundación" + "bbva"), or none."""
        name: list[str] = []
        i = start
        # "la fundación de (los) Leones": connectors right after the trigger are skipped.
        while i < len(tokens) and tokens[i] in self.connectors and i - start < 2:
            i += 1
        while i < len(tokens) and len(name) < MAX_NAME_WORDS:
            token = tokens[i]
            joins = name and token in self.connectors and i + 1 < len(tokens) and (
                self._name_word(tokens[i + 1]))
            if not (self._name_word(token) or (name and token.isdigit()) or joins):
                break
            name.append(token)
            i += 1
        while name and name[-1] in self.connectors:
            name.pop()
        return name

    def _before(self, tokens: Sequence[str], end: int) -> list[str]:
        """The name words before an English suffix ("rockefeller" + "foundation")."""
        i = end
        while i > 0 and end - i < MAX_NAME_WORDS and self._name_word(tokens[i - 1]):
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

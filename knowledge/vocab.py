"""The domain lexicon (stop words, rewrites, lemmas, synonyms) from knowledge/lexicon/*.yaml."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.phrases import PhraseTable
from knowledge.text import stem, words

LEXICON_DIR = Path(__file__).parent / "lexicon"


# libyaml's parser when PyYAML has it: the same documents, several times faster.
_BaseLoader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@cache
def read_yaml(name: str) -> Any:
    """Return the parsed content of one lexicon file, every scalar as a string (do not modify)."""
    # BaseLoader: YAML 1.1 would read stop words such as "no", "y" or "si" as booleans.
    with (LEXICON_DIR / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_BaseLoader)


def _scalars(data: Any) -> Iterable[str]:
    """Yield every key and scalar of parsed YAML."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _scalars(value)
    elif isinstance(data, list):
        for item in data:
            yield from _scalars(item)
    else:
        yield str(data)


def _as_list(value: Any) -> list[str]:
    """Accept a scalar or a list of scalars from YAML and return strings."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _plural(word: str) -> str:
    """Return the Spanish plural of a folded word (good enough for lexicon phrases)."""
    if word[-1] in "aeiou":
        return word + "s"
    if word.endswith("z"):
        return word[:-1] + "ces"
    return word if word.endswith("s") else word + "es"


def number_forms(phrase: str) -> list[str]:
    """Return a phrase as written, with every word plural, and with only its head plural."""
    tokens = words(phrase)
    if not tokens or any(t.isdigit() for t in tokens):
        return [phrase]
    head = [_plural(tokens[0]), *tokens[1:]]
    return [phrase, " ".join(_plural(t) for t in tokens), " ".join(head)]


class Lexicon:
    """Compiled lexicon: turns text into the canonical terms the index and questions share."""

    def __init__(self) -> None:
        """Read and compile every lexicon file."""
        stop = read_yaml("stopwords.yaml")
        self.stopwords = frozenset(w for group in stop.values() for v in group for w in words(v))
        rewrites: dict[tuple[str, ...], tuple[str, ...]] = {}
        # Two passes: implied phrases are matched on words whose shorthands are already expanded
        # ("q es esto" reads as "que es esto").
        self.rewrites: list[PhraseTable[tuple[str, ...]]] = []
        for files in (("abbreviations.yaml", "english.yaml"), ("implied.yaml",)):
            table = {
                tuple(words(str(key))): tuple(words(str(value)))
                for name in files
                for key, value in read_yaml(name).items()
            }
            rewrites.update(table)
            self.rewrites.append(PhraseTable(table))
        self.lemmas = {words(k)[0]: words(v)[0] for k, v in read_yaml("lemmas.yaml").items()}
        self.synonyms: PhraseTable[str] = PhraseTable({})
        synonyms: dict[tuple[str, ...], str] = {}
        names: set[str] = set()
        for name in ("names.yaml", "synonyms.yaml"):
            for canonical, variants in read_yaml(name).items():
                term = " ".join(words(str(canonical)))
                if name == "names.yaml":
                    names.add(term)
                for variant in [str(canonical), *_as_list(variants)]:
                    for form in number_forms(variant):
                        synonyms.setdefault(self._stem_phrase(form), term)
        self.names = frozenset(names)
        synonyms.pop((), None)
        self.synonyms = PhraseTable(synonyms)
        expansions = read_yaml("expansions.yaml")
        self.expansion_weight = float(expansions["weight"])
        self.expansions = {
            self.phrase(key)[0]: tuple(t for v in _as_list(targets) for t in self.phrase(v))
            for key, targets in expansions["terms"].items()
        }
        self.known_words = self._known_words(
            " ".join((*key, *value)) for key, value in rewrites.items()
        )

    def _known_words(self, extra: Iterable[str]) -> frozenset[str]:
        """Collect every surface word the lexicon mentions, so spelling never 'corrects' them."""
        known: set[str] = set(self.stopwords) | set(self.lemmas)
        for text in extra:
            known.update(words(text))
        for name in ("names.yaml", "synonyms.yaml", "filters.yaml"):
            known.update(w for text in _scalars(read_yaml(name)) for w in words(text))
        # Domain words may be typo targets; off-topic words are known but never targets.
        self.target_words = frozenset(known)
        for name in ("domain.yaml", "intents.yaml"):
            known.update(w for text in _scalars(read_yaml(name)) for w in words(text))
        return frozenset(known)

    def rewrite(self, tokens: list[str]) -> list[str]:
        """Expand abbreviations, translate English words, then add the terms phrases imply."""
        for table in self.rewrites:
            out: list[str] = []
            for start, end, value in table.scan(tokens):
                out.extend(tokens[start:end] if value is None else value)
            tokens = out
        return tokens

    def stems(self, tokens: Iterable[str]) -> list[str]:
        """Drop stop words and stem the rest (lemma overrides first)."""
        lemmas, stop = self.lemmas, self.stopwords
        return [lemmas.get(t) or stem(t) for t in tokens if t not in stop]

    def canonical(self, stems: list[str]) -> list[str]:
        """Replace synonym phrases by their canonical term."""
        return [
            " ".join(stems[start:end]) if value is None else value
            for start, end, value in self.synonyms.scan(stems)
        ]

    def _stem_phrase(self, text: str) -> tuple[str, ...]:
        """Return the stems of a lexicon phrase, before synonyms."""
        return tuple(self.stems(self.rewrite(words(text))))

    def phrase(self, text: str) -> tuple[str, ...]:
        """Return the canonical terms of a lexicon phrase."""
        return tuple(self.canonical(list(self._stem_phrase(text))))

    def terms(self, text: str) -> list[str]:
        """Return the canonical terms of a text (no spelling correction)."""
        return self.canonical(self.stems(self.rewrite(words(text))))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Return the shared compiled lexicon."""
    return Lexicon()

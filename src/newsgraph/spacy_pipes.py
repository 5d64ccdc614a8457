"""Faster drop-in versions of two rule-based spaCy pipes, with the same output.

The pinned English model's ``attribute_ruler`` (tag map, morphology rules and exceptions: 179 Matcher
patterns) ran every token through spaCy's general Matcher: ~40 µs a token, as much CPU as our
whole entity detection. Nearly all of its patterns look at one token only, so what they set is a
function of the few attributes they read (TAG, LOWER, DEP, …): `FastAttributeRuler` computes that
once per distinct combination and applies the cached result to every later token with the same
values; the few patterns of several tokens ("gon na", "there is") are checked only where their
first token fits. `FastEnglishLemmatizer` does the same for the rule lemmatizer: its lemma is a function of
(ORTH, POS, MORPH), spaCy's own cache key, so a Doc's lemmas are read from a dictionary and set in
one array, not token by token.

Both fall back to spaCy's own code for anything they do not model (a quantifier, an extension
attribute, an operator other than IN/NOT_IN/REGEX), so they can never give another result:
tests/test_spacy_pipes.py compares every token attribute with the stock pipes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# One token's test: (column of the key, the predicate on that column's value); a pattern is a list of
# alternatives, each a list of positions, each the tests of one token
Test = tuple[int, Callable[[int], bool]]
Pattern = list[list[list[Test]]]
Key = tuple[int, ...]


class Unsupported(Exception):
    """A pattern this module does not model: the stock Matcher is used instead."""


def _value_id(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(get_string_id(value))
    raise Unsupported(f"value {value!r}")


class FastAttributeRuler(AttributeRuler):
    """spaCy's ``AttributeRuler`` with a cached, per-attribute-combination application (same output)."""

    _compiled: bool | None = None

    def add(self, patterns: Any, attrs: dict[str, Any], index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._compiled = None

    def clear(self) -> None:
        super().clear()
        self._compiled = None

    # ---- compiling the patterns -------------------------------------------------------------------

    def _compile(self) -> None:
        """The attributes the patterns read (the key of a token) and each pattern as token tests."""
        try:
            columns: list[int] = []
            compiled: list[Pattern] = []
            for i in range(len(self.attrs)):
                alternatives = self.matcher.get(str(i))[1]
                compiled.append([[self._token_tests(spec, columns) for spec in alt] for alt in alternatives])
                index = self.indices[i]
                if any(not -len(alt) <= index < len(alt) for alt in alternatives):
                    raise Unsupported("empty pattern or index outside it")  # spaCy raises its own error
        except Unsupported:
            self._compiled = False
            return
        self._compiled = True
        self._columns = columns
        self._patterns = compiled
        self._single: dict[Key, dict[int, Any] | None] = {}
        self._tests_cache: dict[Key, frozenset[tuple[int, int, int]]] = {}
        # patterns of several tokens: (pattern, alternative, its length)
        self._multi = [
            (k, a, len(alt)) for k, alts in enumerate(compiled) for a, alt in enumerate(alts) if len(alt) > 1
        ]

    def _token_tests(self, spec: dict[str, Any], columns: list[int]) -> list[Test]:
        tests: list[Test] = []
        for name, value in spec.items():
            attr = IDS.get("ORTH" if name.upper() == "TEXT" else name.upper())
            if attr is None or name in ("_", "OP") or name.upper() == "OP":
                raise Unsupported(f"attribute {name!r}")
            if attr not in columns:
                columns.append(attr)
            col = columns.index(attr)
            tests.append((col, self._predicate(value)))
        return tests

    def _predicate(self, value: Any) -> Callable[[int], bool]:
        if not isinstance(value, dict):
            want = _value_id(value)
            return lambda v: v == want
        if len(value) != 1:
            raise Unsupported(f"predicate {value!r}")
        ((op, arg),) = value.items()
        op = op.upper()
        if op in ("IN", "NOT_IN") and isinstance(arg, list):
            ids = frozenset(_value_id(x) for x in arg)
            return (lambda v: v in ids) if op == "IN" else (lambda v: v not in ids)
        if op == "REGEX" and isinstance(arg, str):
            regex = re.compile(arg)
            strings = self.vocab.strings
            return lambda v: bool(regex.search(strings[v]))
        raise Unsupported(f"predicate {value!r}")

    # ---- applying them ----------------------------------------------------------------------------

    def _fits(self, key: Key) -> frozenset[tuple[int, int, int]]:
        """The (pattern, alternative, position) token tests that a token with these values passes."""
        fits = self._tests_cache.get(key)
        if fits is None:
            fits = frozenset(
                (k, a, p)
                for k, alts in enumerate(self._patterns)
                for a, alt in enumerate(alts)
                for p, tests in enumerate(alt)
                if all(test(key[col]) for col, test in tests)
            )
            self._tests_cache[key] = fits
        return fits

    def _single_attrs(self, key: Key) -> dict[int, Any] | None:
        """What the one-token patterns set on a token with these values, later patterns winning."""
        if key in self._single:
            return self._single[key]
        merged: dict[int, Any] = {}
        fits = self._fits(key)
        for k, alts in enumerate(self._patterns):
            if any(len(alt) == 1 and (k, a, 0) in fits for a, alt in enumerate(alts)):
                merged.update(self.attrs[k])
        out = merged or None
        self._single[key] = out
        return out

    def __call__(self, doc: Doc) -> Doc:
        if self._compiled is None:
            self._compile()
        if not self._compiled or len(doc) == 0:
            return super().__call__(doc)
        rows: list[list[int]] = cast(Any, doc.to_array(list[int | str](self._columns))).reshape(len(doc), -1).tolist()
        keys: list[Key] = [tuple(row) for row in rows]
        extra: dict[int, list[int]] = {}  # token -> patterns of several tokens that set something on it
        if self._multi:
            n = len(doc)
            for i, key in enumerate(keys):
                fits = self._fits(key)
                for k, a, length in self._multi:
                    if (
                        (k, a, 0) in fits
                        and i + length <= n
                        and all((k, a, p) in self._fits(keys[i + p]) for p in range(1, length))
                    ):
                        index = self.indices[k]
                        target = i + (index if index >= 0 else length + index)
                        extra.setdefault(target, []).append(k)
        for i, key in enumerate(keys):
            if i in extra:
                self._apply_mixed(doc, i, key, extra[i])
                continue
            attrs = self._single_attrs(key)
            if attrs:
                set_token_attrs(doc[i], attrs)
        return doc

    def _apply_mixed(self, doc: Doc, i: int, key: Key, multi: Sequence[int]) -> None:
        """A token that patterns of several tokens also set: every matching pattern in pattern order."""
        fits = self._fits(key)
        matched = set(multi)
        for k, alts in enumerate(self._patterns):
            if any(len(alt) == 1 and (k, a, 0) in fits for a, alt in enumerate(alts)):
                matched.add(k)
        merged: dict[int, Any] = {}
        for k in sorted(matched):
            merged.update(self.attrs[k])
        if merged:
            set_token_attrs(doc[i], merged)


def speed_up(nlp: Language) -> None:
    """Give the stock ``attribute_ruler`` and rule ``lemmatizer`` of ``nlp`` their fast versions.

    The pipe objects stay (same patterns, tables, names and config); only their class changes, to a
    subclass that overrides ``__call__``. A pipe of another class is left alone.
    """
    for _name, pipe in nlp.pipeline:
        if type(pipe) is AttributeRuler:
            pipe.__class__ = FastAttributeRuler
        elif type(pipe) is EnglishLemmatizer:
            pipe.__class__ = FastEnglishLemmatizer


class FastEnglishLemmatizer(EnglishLemmatizer):
    """The rule lemmatizer with its lemmas read from a dictionary keyed as spaCy's own cache,
    (ORTH, POS, MORPH), and set in one array (same output)."""

    _lemmas: dict[tuple[int, int, int], int] | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule" or self.overwrite or len(doc) == 0 or not self._validated:
            return super().__call__(doc)  # spaCy validates its tables on the first call
        if self._lemmas is None:
            self._lemmas = {}
        lemmas = self._lemmas
        rows: list[list[int]] = cast(Any, doc.to_array([ORTH, POS, MORPH, LEMMA])).tolist()
        strings = doc.vocab.strings
        out: list[int] = []
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma:
                out.append(lemma)
                continue
            key = (orth, pos, morph)
            value = lemmas.get(key)
            if value is None:
                value = int(strings.add(self.lemmatize(doc[i])[0]))
                lemmas[key] = value
            out.append(value)
            changed = True
        if changed:
            doc.from_array([LEMMA], cast(Any, numpy.asarray(out, dtype=numpy.uint64)))
        return doc

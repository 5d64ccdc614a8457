// newsgraph web view: search, an actor's network (Cytoscape.js), its profile, a timeline, and the evidence.
// Article text and every name are untrusted input: they only ever reach the page as text nodes
// (textContent / createTextNode), never as HTML.

import { el } from "./dom.js";
import { corroborationBadge, incidentLinks, initIncidents, showIncident, showIncidentList } from "./incidents.js";

const $ = (sel) => document.querySelector(sel);

const TYPE_COLOURS = {
  Person: "#2f6db5", Organization: "#e07b00", Country: "#2e8b3d", Place: "#8250b8", Group: "#8a6a55",
};
const TYPE_SHAPES = {
  Person: "ellipse", Organization: "round-rectangle", Country: "hexagon", Place: "diamond", Group: "triangle",
};
const EDGE_PALETTE = ["#c0392b", "#16a085", "#8e44ad", "#d35400", "#2c3e50", "#27ae60", "#b03a2e", "#1f618d"];

const state = {
  key: null, cy: null, graph: null, overview: null, focusCount: 0,
  positions: new Map(), // actor key -> {x, y}: a node keeps its place across redraws and filter changes
  maxNodes: 60, panel: null, // what the evidence panel shows: {kind: "claims", ...} is refreshed on filter change
};

// ---- DOM helpers: text only (el() is in dom.js) -------------------------------------------------

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
    ...reviewFilter(),
  };
}

// "hide rejected" / "confirmed only" (#18): facts as the reviewers judged them
function reviewFilter() {
  const v = $("#f-review") ? $("#f-review").value : "";
  return v ? { [v]: "true" } : {};
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

function searchFilters() {
  return {
    date_from: $("#s-from").value.trim(), date_to: $("#s-to").value.trim(),
    source: $("#s-source").value.trim(), language: $("#s-language").value.trim(),
  };
}

// A sentence with its matched words marked (spans from the server; text nodes only).
function markedSentence(text, spans) {
  return highlightedText(text, (spans || []).map(([start, end]) => ({ role: "match", start, end })));
}

async function search(text) {
  const focusBefore = state.focusCount;
  try {
    const res = await api("/api/search", { q: text, limit: 25, ...searchFilters() });
    renderActors(res.actors.items, `Actors matching “${text}”`);
    const list = clear($("#sentence-results"));
    $("#sentence-heading").hidden = false;
    $("#sentence-heading").textContent = res.sentences.items.length ? "Sentences" : "Sentences: no match";
    for (const s of res.sentences.items) {
      list.append(el("li", {},
        el("button", {
          type: "button", class: "sentence-result link",
          on: { click: () => showProvenance({ article: s.article_id, start: s.start, end: s.end }) },
        }, markedSentence(s.text, s.highlights)),
        el("span", { class: "muted" }, ` — ${s.title || s.article_id}, ${s.published || "undated"}`)));
    }
    // the search's timeline, unless an actor was picked meanwhile (its timeline wins)
    if (state.focusCount === focusBefore) loadTimeline({ q: text }, `Timeline of “${text}”`);
  } catch (err) {
    showError(err.message);
  }
}

// ---- an actor: profile, network, timeline ---------------------------------------------------

async function focusActor(key, { keepPanel = false } = {}) {
  const switched = key !== state.key;
  state.key = key;
  state.focusCount += 1;
  if (window.location.hash !== `#${encodeURIComponent(key)}`) {
    history.replaceState(null, "", `#${encodeURIComponent(key)}`);
  }
  $("#landing").hidden = true;
  $("#incident-view").hidden = true;
  $("#timeline").hidden = false;
  $("#network").hidden = false;
  if (switched) state.maxNodes = 60;
  // no stale panel: the previous actor's evidence goes; open claims are redrawn for this actor and filters
  const claims = state.panel && state.panel.kind === "claims" ? state.panel : null;
  if (switched && !claims && !keepPanel) resetEvidence();
  const work = [loadProfile(key), loadGraph(key), loadTimeline({ key }, null)];
  if (claims) work.push(loadClaims(claims.singleSource));
  await Promise.all(work);
}

function resetEvidence() {
  state.panel = null;
  clear($("#evidence")).append(el("h2", {}, "Evidence"),
    el("p", { class: "placeholder" }, "Click a link in the network, a claim or a timeline entry to see the sentence it rests on."));
}

function factItem(f) {
  const label = el("span", {}, f.label);
  const date = f.date || f.evidence.date || f.evidence.published;
  const meta = [date, f.certainty, f.said_by ? `says ${f.said_by.name}` : null].filter(Boolean).join(" · ");
  return el("li", {},
    el("button", { type: "button", class: `fact link ${f.certainty}`, dataset: factData(f.evidence), on: { click: () => showProvenance(provParams(f.evidence)) } }, label),
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
        el("button", { type: "button", class: "link", dataset: factData(x.evidence), on: { click: () => showProvenance(provParams(x.evidence)) } }, `“${x.text}”`))),
      section("Articles", p.articles, (a) => el("li", {},
        el("button", { type: "button", class: "link", on: { click: () => showArticleMentions(a) } }, a.title || a.id),
        el("span", { class: "muted" }, ` ${a.published || "undated"} · ${a.mentions} mention${a.mentions === 1 ? "" : "s"}`))),
      el("p", {}, el("button", { type: "button", id: "claims-button", on: { click: () => loadClaims(false) } }, "Claims involving it, by who says so")),
    ].filter(Boolean));
    box.hidden = false;
    // the profile opens where the eye is: at the top of the left column
    $("#left").scrollTop = 0;
    box.scrollIntoView({ block: "start" });
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

function claimMeta(c) {
  const ev = c.evidence[0] || {};
  const named = c.sources.filter((x) => !String(x.key).startsWith("article:")).map((x) => x.name);
  const says = named.length ? `says ${named.join(", ")}` : "the article says";
  return [ev.date || ev.published || "undated", c.certainty, says].join(" · ");
}

// Claims involving the current actor (or the whole store when none is open), with the current filters.
async function loadClaims(singleSource = false) {
  const key = state.key;
  state.panel = { kind: "claims", singleSource };
  const panel = clear($("#evidence"));
  const who = key ? nodeName(key) : "the whole store";
  panel.append(el("h2", { class: "claims-title" }, singleSource ? `Single-source claims: ${who}` : `Claims about ${who}, by who says so`));
  const f = factFilters();
  const active = Object.entries(f).filter(([, v]) => v).map(([k, v]) => `${k.replace("_", " ")} ${v}`);
  if (active.length) panel.append(el("p", { class: "muted" }, `Filters: ${active.join(", ")}`));
  try {
    const res = await api("/api/claims", { key, single_source: singleSource ? "true" : null, ...f });
    if (!state.panel || state.panel.kind !== "claims") return;
    if (res.total > res.items.length) panel.append(el("p", { class: "muted" }, `The ${res.items.length} largest of ${res.total} groups.`));
    if (!res.items.length) panel.append(el("p", { class: "muted" }, "No claim with these filters."));
    for (const g of res.items) {
      panel.append(el("h3", {}, g.label),
        el("ul", { class: "list claims" }, g.claims.map((c) => el("li", { class: "claim" },
          el("button", { type: "button", class: `fact link ${c.certainty}`, dataset: factData(c.evidence[0]), on: { click: () => showProvenance(provParams(c.evidence[0])) } }, c.label),
          el("span", { class: "muted" }, ` ${claimMeta(c)} `),
          el("span", { class: c.single_source ? "badge single" : "badge" },
            c.single_source ? "single source" : `${c.source_count} sources`),
          corroborationBadge(c.corroboration)))));
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
      label: "data(name)", "font-size": 10, color: "#222", "text-valign": "bottom", "text-margin-y": 2,
      "text-wrap": "ellipsis", "text-max-width": 110, "min-zoomed-font-size": 6, width: "mapData(degree, 0, 20, 16, 40)",
      height: "mapData(degree, 0, 20, 16, 40)", "border-width": 1, "border-color": "#fff",
      "text-background-color": "#fff", "text-background-opacity": 0.75, "text-background-padding": 1, "z-index": 10,
    } },
    { selector: "node.nolabel", style: { label: "" } },
    { selector: "node.nolabel:selected, node.nolabel.hover", style: { label: "data(name)", "z-index": 20 } },
    { selector: "node[?focus]", style: { "border-width": 4, "border-color": "#111", "font-weight": "bold", "font-size": 12 } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#f1c40f" } },
    { selector: "edge", style: {
      width: "mapData(count, 1, 10, 2, 6)", "line-color": (e) => edgeColour(e.data("type")),
      "target-arrow-color": (e) => edgeColour(e.data("type")), "target-arrow-shape": "triangle",
      "curve-style": "bezier", label: "", "font-size": 8, color: "#444", "z-index": 5,
      "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.85,
      "text-background-padding": 1,
    } },
    // typed links first: drawn above, labelled on hover or selection (labels along edges collide at a hub)
    { selector: "edge:selected, edge.hover", style: { label: "data(type)" } },
    { selector: "edge[kind = 'co_mention']", style: {
      "line-color": "#c8c8c8", "target-arrow-shape": "none", label: "", width: 1, opacity: 0.45, "z-index": 1,
    } },
    { selector: "edge[certainty = 'alleged']", style: { "line-style": "dashed", "line-dash-pattern": [6, 4] } },
    { selector: "edge[certainty = 'hypothetical'], edge[certainty = 'denied']", style: { "line-style": "dotted" } },
    { selector: "edge:selected", style: { "line-color": "#f1c40f", "target-arrow-color": "#f1c40f", width: 6, opacity: 1 } },
  ];
}

async function loadGraph(key) {
  const f = filters();
  try {
    const g = await latest("graph", api("/api/graph", { key, ...f, max_nodes: state.maxNodes }));
    if (!g) return;
    state.graph = g;
    renderGraph(g);
    renderCap(g);
    const link = $("#export-graphml");
    const url = new URL("/api/graph.graphml", window.location.origin);
    for (const [k, v] of Object.entries({ key, ...f, max_nodes: state.maxNodes })) if (v) url.searchParams.set(k, v);
    link.href = url.pathname + url.search;
  } catch (err) {
    showError(err.message);
  }
}

// The node cap, said out loud, with a way to widen it.
function renderCap(g) {
  const box = clear($("#cap"));
  box.hidden = !g.truncated;
  if (!g.truncated) return;
  box.append(`Showing the ${g.nodes.length} most strongly linked actors: more are linked within ${g.hops} hop${g.hops > 1 ? "s" : ""}. `);
  for (const n of [150, 400].filter((x) => x > state.maxNodes)) {
    box.append(el("button", { type: "button", class: "widen", on: { click: () => { state.maxNodes = n; loadGraph(state.key); } } }, `Show up to ${n}`), " ");
  }
  box.append("or narrow it with the filters above.");
}

// A stable start for every new node: a point derived from its key (the same key, the same place),
// near an already placed neighbour when it has one. Nothing random: the same data, the same picture.
function seededPosition(id, near) {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const angle = (h % 3600) / 3600 * 2 * Math.PI;
  const r = near ? 80 : 150 + (h >>> 12) % 150;
  const c = near || { x: 0, y: 0 };
  return { x: c.x + r * Math.cos(angle), y: c.y + r * Math.sin(angle) };
}

function renderGraph(g) {
  if (!window.cytoscape) {
    showError("The graph library did not load (cytoscape.min.js): run `make setup`.");
    return;
  }
  const empty = $("#graph-empty");
  empty.hidden = g.edges.length > 0;
  empty.textContent = g.edges.length ? "" : "No links for this actor with these filters.";
  const known = state.positions;
  const placed = new Map();
  for (const n of g.nodes) if (known.has(n.id)) placed.set(n.id, known.get(n.id));
  const kept = new Set(placed.keys()); // on screen before: these do not move
  if (!placed.size && g.nodes.length) placed.set(g.focus, { x: 0, y: 0 });
  const neighbour = new Map();
  for (const e of g.edges) {
    if (placed.has(e.source) && !neighbour.has(e.target)) neighbour.set(e.target, placed.get(e.source));
    if (placed.has(e.target) && !neighbour.has(e.source)) neighbour.set(e.source, placed.get(e.target));
  }
  const fresh = g.nodes.filter((n) => !kept.has(n.id)).map((n) => n.id);
  const elements = [
    ...g.nodes.map((n) => ({ group: "nodes", data: { ...n }, position: placed.get(n.id) || seededPosition(n.id, neighbour.get(n.id)) })),
    // typed links after co-mentions in the element list, so they are drawn (and hit) first
    ...g.edges.filter((e) => e.kind === "co_mention").map((e) => ({ group: "edges", data: { ...e } })),
    ...g.edges.filter((e) => e.kind !== "co_mention").map((e) => ({ group: "edges", data: { ...e } })),
  ];
  if (state.cy) state.cy.destroy();
  const cy = cytoscape({ container: $("#graph"), elements, style: cyStyle(), layout: { name: "preset" }, minZoom: 0.2, maxZoom: 4 });
  state.cy = cy;
  if (fresh.length) {
    // only the new nodes move: those already on screen keep their place (locked during the layout)
    cy.nodes().filter((n) => kept.has(n.id())).lock();
    const typed = cy.edges("[kind != 'co_mention']");
    cy.elements().layout({
      name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true, padding: 20,
      nodeRepulsion: () => 40000, idealEdgeLength: (e) => (e.data("kind") === "co_mention" ? 160 : 110),
      edgeElasticity: (e) => (typed.contains(e) ? 100 : 400), nodeOverlap: 40, numIter: 1500,
    }).run();
    cy.nodes().unlock();
  }
  for (const n of cy.nodes()) known.set(n.id(), { ...n.position() });
  fitGraph();
  declutterLabels();
  cy.on("tap", "node", (evt) => {
    const key = evt.target.id();
    loadProfile(key);
    highlightNode(key);
  });
  cy.on("mouseover", "node, edge", (evt) => evt.target.addClass("hover"));
  cy.on("mouseout", "node, edge", (evt) => evt.target.removeClass("hover"));
  cy.on("dbltap", "node", (evt) => focusActor(evt.target.id()));
  cy.on("tap", "edge", (evt) => showEdge(evt.target.data()));
  cy.on("dragfree", "node", (evt) => known.set(evt.target.id(), { ...evt.target.position() }));
  window.newsgraph = { cy, graph: g }; // for tests and the curious
  document.body.dataset.graphReady = String(Date.now());
}

// Labels never overlap: the focus and the best-linked actors keep theirs; a label that would cover one
// already drawn is shown on hover or selection only.
function declutterLabels() {
  const cy = state.cy;
  if (!cy) return;
  cy.nodes().removeClass("nolabel");
  const order = cy.nodes().sort((a, b) => (b.data("focus") ? 1 : 0) - (a.data("focus") ? 1 : 0) || b.degree() - a.degree() || (a.id() < b.id() ? -1 : 1));
  const kept = [];
  const overlaps = (p, q) => p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2;
  for (const n of order) {
    const box = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
    if (!box.w || kept.some((k) => overlaps(k, box))) n.addClass("nolabel");
    else kept.push(box);
  }
}

// The whole network in view, but a small one not blown up past a readable size.
function fitGraph() {
  const cy = state.cy;
  if (!cy) return;
  cy.resize();
  cy.fit(undefined, 30);
  if (cy.zoom() > 1.6) {
    cy.zoom(1.6);
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
  state.panel = { kind: "edge" };
  const panel = clear($("#evidence"));
  const coMention = edge.kind === "co_mention";
  const first = edge.evidence.find((x) => x.label);
  const title = coMention ? `${nodeName(edge.source)} and ${nodeName(edge.target)} are named in the same sentence`
    : first ? first.label : `${nodeName(edge.source)} ${edge.type.replace(/_/g, " ")} ${nodeName(edge.target)}`;
  const dates = `${edge.first_date || "undated"}${edge.last_date && edge.last_date !== edge.first_date ? ` – ${edge.last_date}` : ""}`;
  // named together is no assertion: a co-mention says neither "asserted" nor who "says" it
  const meta = coMention
    ? `named together in ${edge.count} sentence${edge.count === 1 ? "" : "s"} · ${dates}`
    : `${edge.type} · ${edge.count} time${edge.count === 1 ? "" : "s"} · ${edge.certainty} · ${dates} · said by ${edge.said_by.join(", ")}`;
  panel.append(el("h2", { class: "edge-title" }, title), el("p", { class: "muted edge-meta" }, meta, " ", coMention ? null : corroborationBadge(edge.corroboration)));
  const list = el("ol", { class: "list evidence-list" });
  for (const ev of edge.evidence) {
    list.append(el("li", {},
      el("button", { type: "button", class: "link", dataset: factData(ev), on: { click: () => showProvenance(provParams(ev), null, false) } },
        `${ev.title || ev.article_id} (${ev.published || "undated"})`),
      ev.said_by && !coMention ? el("span", { class: "muted" }, ` — says ${ev.said_by}`) : null));
  }
  panel.append(el("div", { id: "provenance" }));
  if (edge.evidence.length > 1) panel.append(el("h3", {}, `All ${edge.evidence.length} sources of this link`), list);
  if (edge.evidence.length) showProvenance(provParams(edge.evidence[0]), null, false);
  if (!coMention) incidentLinks(edge.evidence, panel); // the same event in other articles: its incident
}

// The fact a list entry points to and its review status, for review.js to mark (and update) it.
function factData(ev) {
  if (!ev || !ev.fact_id || !["event", "relation", "attribution", "quote"].includes(ev.kind)) return null;
  return { fact: `${ev.article_id}:${ev.kind}:${ev.fact_id}`, review: ev.review ? ev.review.status : "unreviewed" };
}

function provParams(ev) {
  if (ev.fact_id && ["event", "relation", "attribution", "quote"].includes(ev.kind)) {
    return { article: ev.article_id, kind: ev.kind, fact_id: ev.fact_id };
  }
  return { article: ev.article_id, start: ev.start ?? 0, end: ev.end ?? 0 };
}

// ---- export what is on screen ------------------------------------------------------------------

function download(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function exportPng() {
  if (!state.cy) return;
  download(state.cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" }), "newsgraph-network.png");
}

// SVG of the network as drawn (positions, shapes' colours, line styles, labels). Written by hand:
// Cytoscape.js core has no SVG export and the page takes no extension.
function networkSvg() {
  const cy = state.cy;
  const NS = "http://www.w3.org/2000/svg";
  const bb = cy.elements().boundingBox({ includeLabels: true });
  const pad = 20;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("xmlns", NS);
  svg.setAttribute("viewBox", `${bb.x1 - pad} ${bb.y1 - pad} ${bb.w + 2 * pad} ${bb.h + 2 * pad}`);
  svg.setAttribute("width", String(Math.round(bb.w + 2 * pad)));
  svg.setAttribute("height", String(Math.round(bb.h + 2 * pad)));
  const add = (tag, attrs, text) => {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text) node.textContent = text;
    svg.append(node);
    return node;
  };
  add("rect", { x: bb.x1 - pad, y: bb.y1 - pad, width: bb.w + 2 * pad, height: bb.h + 2 * pad, fill: "#fff" });
  for (const e of cy.edges().sort((a, b) => (a.data("kind") === "co_mention" ? -1 : 0) - (b.data("kind") === "co_mention" ? -1 : 0))) {
    const a = e.sourceEndpoint(), b = e.targetEndpoint();
    const dash = { dashed: "6 4", dotted: "2 3" }[e.style("line-style")] || "";
    add("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: e.style("line-color"), "stroke-width": e.style("width"),
      "stroke-dasharray": dash, opacity: e.style("opacity"), class: `edge ${e.data("kind")}` }).append(
      Object.assign(document.createElementNS(NS, "title"), { textContent: `${e.data("type")} (${e.data("certainty")})` }));
  }
  for (const n of cy.nodes()) {
    const p = n.position();
    const r = n.width() / 2;
    add("circle", { cx: p.x, cy: p.y, r, fill: n.style("background-color"), stroke: "#fff", class: "node" });
    add("text", { x: p.x, y: p.y + r + 11, "text-anchor": "middle", "font-size": 10, "font-family": "sans-serif", fill: "#222" }, n.data("name"));
  }
  return new XMLSerializer().serializeToString(svg);
}

function exportSvg() {
  if (!state.cy) return;
  download(new Blob([networkSvg()], { type: "image/svg+xml" }), "newsgraph-network.svg");
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
    state.panel = { kind: "evidence" };
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
      const sentence = f.label || [f.source_name, f.trigger || f.type, f.target_name].filter(Boolean).join(" ");
      target.append(el("p", { class: "fact-line" }, sentence,
        f.certainty ? ` (${f.certainty}${f.asserted_by_name ? `, says ${f.asserted_by_name}` : ""})` : ""));
    }
    for (const s of sentences) {
      const local = p.highlights.map((h) => ({ ...h, start: Math.max(h.start, s.start) - s.start, end: Math.min(h.end, s.end) - s.start }))
        .filter((h) => h.end > h.start);
      target.append(el("blockquote", { class: "sentence", dataset: { idx: s.idx } }, highlightedText(s.text, local)));
    }
    const body = el("div", { class: "article-text" }, highlightedText(p.text, p.span.end > p.span.start ? p.highlights : []));
    target.append(el("details", { open: "" }, el("summary", {}, "The article, evidence highlighted"), body));
    if (replacePanel && params.kind === "event") incidentLinks([{ kind: "event", article_id: p.article.id, fact_id: params.fact_id }], $("#evidence"));
    const mark = body.querySelector("mark");
    if (mark) body.scrollTop = Math.max(0, mark.offsetTop - 60); // scroll the article box only
    // review.js adds its buttons (confirm, reject, correct, note, the queue) for the fact shown
    document.dispatchEvent(new CustomEvent("newsgraph:evidence", { detail: { target, params, provenance: p } }));
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
    state.buckets = t.buckets;
    renderChart(t.buckets);
    const list = clear($("#timeline-items"));
    for (const it of t.items) {
      const label = it.kind === "article" ? `appears in “${it.label}”` : it.label;
      list.append(el("li", { class: `tl ${it.kind}` },
        el("time", {}, `${it.date_qualifier ? `${it.date_qualifier} ` : ""}${it.date || "undated"}`), " ",
        el("button", { type: "button", class: `link ${it.certainty}`, dataset: factData(it.evidence), on: { click: () => showProvenance(provParams(it.evidence)) } }, label),
        it.kind === "event" || it.kind === "relation" ? el("span", { class: "muted" }, ` ${it.type}`) : null));
    }
  } catch (err) {
    showError(err.message);
  }
}

// Months on a real time axis: a bar sits at its month, so an empty decade is an empty stretch of axis.
// Redrawn at the box's width whenever it changes; tick labels are spaced so none is cut or overlaps.
function monthIndex(m) {
  const [y, mo] = m.split("-").map(Number);
  return y * 12 + (mo || 1) - 1;
}

function renderChart(buckets, box = $("#timeline-chart"), onPick = pickMonth) {
  clear(box);
  const dated = buckets.filter((b) => /^\d{4}-\d{2}$/.test(b.month));
  if (!dated.length) return;
  const NS = "http://www.w3.org/2000/svg";
  const w = Math.max(box.clientWidth || 600, 240);
  const h = 56, left = 8, right = 8, axis = 16;
  const total = (b) => Object.entries(b).filter(([k]) => k !== "month").reduce((s, [, v]) => s + v, 0);
  const lo = monthIndex(dated[0].month), hi = monthIndex(dated[dated.length - 1].month);
  const span = hi - lo + 1;
  const step = (w - left - right) / span;
  const bw = Math.max(1, Math.min(24, step - 1));
  const max = Math.max(...dated.map(total), 1);
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h + axis));
  svg.setAttribute("viewBox", `0 0 ${w} ${h + axis}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Items per month, ${dated[0].month} to ${dated[dated.length - 1].month}`);
  const x = (m) => left + (monthIndex(m) - lo) * step + (step - bw) / 2;
  for (const b of dated) {
    const n = total(b);
    const bh = Math.max(1, (n / max) * (h - 2));
    const rect = document.createElementNS(NS, "rect");
    rect.setAttribute("x", x(b.month).toFixed(1));
    rect.setAttribute("y", (h - bh).toFixed(1));
    rect.setAttribute("width", bw.toFixed(1));
    rect.setAttribute("height", bh.toFixed(1));
    rect.setAttribute("class", "bar");
    rect.dataset.month = b.month;
    rect.addEventListener("click", () => onPick(b.month));
    const tip = document.createElementNS(NS, "title");
    tip.textContent = `${b.month}: ${n}`;
    rect.append(tip);
    svg.append(rect);
  }
  const base = document.createElementNS(NS, "line");
  for (const [k, v] of Object.entries({ x1: left, x2: w - right, y1: h + 0.5, y2: h + 0.5, class: "axis-line" })) base.setAttribute(k, String(v));
  svg.append(base);
  // ticks: years, or months when the range is short; as many as fit at ~60 px apart
  const years = span > 18;
  const every = Math.max(1, Math.ceil(60 / (step * (years ? 12 : 1))));
  const ticks = [];
  for (let i = lo; i <= hi; i++) {
    const y = Math.floor(i / 12), mo = i % 12;
    if (years ? mo === 0 && (y % every === 0) : (i - lo) % every === 0) ticks.push([i, years ? String(y) : `${y}-${String(mo + 1).padStart(2, "0")}`]);
  }
  if (!ticks.length) ticks.push([lo, String(Math.floor(lo / 12))]);
  for (const [i, label] of ticks) {
    const t = document.createElementNS(NS, "text");
    const cx = left + (i - lo) * step + step / 2;
    t.setAttribute("x", String(Math.min(Math.max(cx, left + 14), w - right - 14)));
    t.setAttribute("y", String(h + axis - 3));
    t.setAttribute("text-anchor", "middle");
    t.setAttribute("class", "axis");
    t.textContent = label;
    svg.append(t);
  }
  box.append(svg);
}

function pickMonth(month) {
  // a bar narrows every view to its month
  $("#f-from").value = month;
  $("#f-to").value = month;
  if (state.key) focusActor(state.key);
}

// ---- the corpus: a landing page and an article browser ------------------------------------------

async function showLanding() {
  state.key = null;
  history.replaceState(null, "", window.location.pathname);
  $("#network").hidden = true;
  $("#incident-view").hidden = true;
  $("#timeline").hidden = false;
  $("#profile").hidden = true;
  const box = clear($("#landing"));
  box.hidden = false;
  try {
    const c = await api("/api/corpus");
    const st = c.stats;
    box.append(
      el("h2", {}, "The corpus"),
      el("p", { class: "corpus-summary" },
        `${st.articles} articles from ${c.first || "?"} to ${c.last || "?"}, `
        + `${st.entities} entities (${st.mentions} mentions), ${st.events} events, ${st.relations} relations.`),
      el("div", { id: "corpus-chart", class: "chart", "aria-label": "Articles per month" }),
      el("div", { class: "corpus-grid" },
        el("section", {}, el("h3", {}, "Most reported actors"), el("ol", { class: "list top-actors" }, c.top_actors.map((a) => el("li", {},
          el("button", { type: "button", class: "link actor-result", dataset: { key: a.key }, on: { click: () => focusActor(a.key) } }, a.name),
          el("span", { class: "muted" }, ` ${a.type} · ${a.articles} articles`))))),
        el("section", {}, el("h3", {}, "Most reported events"), el("ul", { class: "list top-events" }, c.event_types.map((e) => el("li", {}, `${e.type} `, el("span", { class: "muted" }, `${e.events}`))))),
        el("section", {}, el("h3", {}, "Outlets"), el("ul", { class: "list outlets" },
          c.outlets.length ? c.outlets.map((o) => el("li", {}, `${o.outlet} `, el("span", { class: "muted" }, `${o.articles}`))) : [el("li", { class: "muted" }, "No article has a URL.")]),
          el("h3", {}, "Languages"), el("ul", { class: "list" }, c.languages.map((l) => el("li", {}, `${l.language || "unknown"} `, el("span", { class: "muted" }, `${l.articles}`))))),
      ),
      el("h3", {}, "Articles"),
      el("ol", { id: "article-list", class: "list articles" }),
      el("p", {}, el("button", { type: "button", id: "more-articles" }, "More articles")),
    );
    state.corpusMonths = c.months.map((m) => ({ month: m.month, article: m.articles }));
    renderChart(state.corpusMonths, $("#corpus-chart"), (m) => { $("#s-from").value = m; $("#s-to").value = m; });
    state.articleOffset = 0;
    $("#more-articles").addEventListener("click", () => loadArticles());
    await loadArticles();
  } catch (err) {
    showError(err.message);
  }
}

async function loadArticles() {
  const res = await api("/api/articles", { limit: 25, offset: state.articleOffset });
  const list = $("#article-list");
  for (const a of res.items) {
    list.append(el("li", { class: "article-row" },
      el("time", {}, a.published || "undated"), " ",
      el("button", { type: "button", class: "link article-open", on: { click: () => showProvenance({ article: a.id, start: 0, end: 0 }, a.title || a.id) } }, a.title || a.id),
      el("span", { class: "muted" }, ` ${a.language || ""}${a.url ? ` · ${(() => { try { return new URL(a.url).hostname; } catch { return ""; } })()}` : ""}`)));
  }
  state.articleOffset += res.items.length;
  $("#more-articles").hidden = state.articleOffset >= res.total;
}

// ---- start -----------------------------------------------------------------------------------

async function start() {
  $("#search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = $("#search-input").value.trim();
    if (q) search(q);
  });
  $("#home").addEventListener("click", () => showLanding());
  document.addEventListener("newsgraph:show", (e) => showProvenance(e.detail.params, e.detail.heading)); // review.js's queue
  $("#single-source").addEventListener("click", () => loadClaims(true));
  initIncidents({ el, clear, api, showProvenance, showError });
  $("#incidents-button").addEventListener("click", () => showIncidentList());
  $("#export-png").addEventListener("click", exportPng);
  $("#export-svg").addEventListener("click", exportSvg);
  // the panes change size (window, timeline): keep the network in view and redraw the time axes
  new ResizeObserver(() => {
    fitGraph();
    declutterLabels();
  }).observe($("#graph"));
  new ResizeObserver(() => {
    if (state.buckets) renderChart(state.buckets);
  }).observe($("#timeline"));
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    if (state.key) focusActor(state.key, { keepPanel: true });
  });
  try {
    const o = await api("/api/overview");
    state.overview = o;
    $("#stats").textContent = `${o.stats.articles} articles · ${o.stats.entities} entities `
      + `(${o.stats.mentions} mentions) · ${o.stats.events} events · ${o.stats.relations} relations`;
    const typeSel = $("#f-type");
    for (const t of [...o.event_types, ...o.relation_types]) typeSel.append(el("option", { value: t }, t));
    const certSel = $("#f-certainty");
    for (const c of o.certainties) certSel.append(el("option", { value: c }, c));
    renderActors(o.top_actors, "Most reported actors");
  } catch (err) {
    showError(err.message);
  }
  const hash = decodeURIComponent(window.location.hash.slice(1));
  if (hash.startsWith("incident:")) await showIncident(hash.slice("incident:".length));
  else if (hash === "incidents") await showIncidentList();
  else if (hash) focusActor(hash);
  else await showLanding();
  document.body.dataset.ready = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

// newsgraph review flow (#18): confirm, reject, correct or annotate the fact in the evidence panel;
// a queue of the next unreviewed fact (in this article, about this actor, in this incident, resting on
// one source); keyboard shortcuts. app.js tells this module what the panel shows (the
// "newsgraph:evidence" event) and opens a fact when asked ("newsgraph:show"); judgements go to
// POST /api/review. Names and article text are untrusted: text nodes only, never HTML.

import { el } from "./dom.js";

const $ = (sel, root = document) => root.querySelector(sel);
const STATUS_TEXT = { unreviewed: "Unreviewed", confirmed: "Confirmed", rejected: "Rejected", corrected: "Corrected" };
const SCOPES = [
  ["article", "in this article"], ["actor", "about this actor"], ["incident", "in this incident"],
  ["single_source", "resting on one source"],
];
const ENTITY_TYPES = ["Person", "Organization", "Country", "Place", "Group"];
const KEYS = { c: "confirm", x: "reject", e: "correct", n: "note", j: "next" };

const review = { box: null, fact: null, data: null, article: null, vocab: null, scope: "article", message: "" };


async function call(path, { params = {}, body = null } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, String(v));
  const init = body ? { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) }
    : { headers: { Accept: "application/json" } };
  const response = await fetch(url, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.detail || `${response.status} ${response.statusText}`);
  return data;
}

// The reviewer: the name typed in the panel (kept in this browser), else the server's
// ($NEWSGRAPH_REVIEWER, else the login name).
function reviewerName() {
  const typed = ($("#reviewer-name") || {}).value;
  return (typed || localStorage.getItem("newsgraph.reviewer") || (review.data && review.data.reviewer) || "").trim();
}

const factKey = (article, kind, id) => `${article}:${kind}:${id}`;

// Every list entry that names this fact (profile, claims, timeline, a link's sources) shows its new status.
function markEverywhere(article, fact) {
  for (const node of document.querySelectorAll("[data-fact]")) {
    if (node.dataset.fact === factKey(article, fact.kind, fact.id)) node.dataset.review = fact.status;
  }
}

async function vocabulary() {
  if (!review.vocab) {
    const o = await call("/api/overview").catch(() => ({}));
    review.vocab = { event: o.event_types || [], relation: o.relation_types || [], certainty: o.certainties || ["asserted", "alleged", "denied", "hypothetical"] };
  }
  return review.vocab;
}

// ---- the panel -------------------------------------------------------------------------------

document.addEventListener("newsgraph:evidence", (e) => show(e.detail).catch((err) => {
  if (review.box) review.box.append(el("p", { class: "error" }, err.message));
}));

async function show({ target, params, provenance }) {
  const article = provenance.article.id;
  const box = el("section", { class: "review", "aria-label": "Review", id: "review" });
  const anchor = $(".fact-line", target) || $("p.muted", target);
  if (anchor) anchor.after(box); else target.prepend(box);
  review.box = box;
  review.article = article;
  review.fact = null;
  const data = await call("/api/review", { params: { article } });
  if (review.box !== box) return; // the panel moved on meanwhile
  review.data = data;
  const fact = params.kind && params.fact_id ? data.facts.find((f) => f.kind === params.kind && f.id === params.fact_id) : null;
  review.fact = fact || null;
  box.dataset.fact = fact ? factKey(article, fact.kind, fact.id) : "";
  render();
}

function render() {
  const box = review.box;
  if (!box) return;
  while (box.firstChild) box.removeChild(box.firstChild);
  const { data, fact } = review;
  const machineLine = $(".fact-line:not(.reviewed)", box.parentElement);
  if (machineLine) machineLine.hidden = false;
  if (fact) {
    box.dataset.status = fact.status;
    const who = fact.reviewer ? ` by ${fact.reviewer}${fact.at ? ` · ${fact.at.slice(0, 16).replace("T", " ")}` : ""}` : "";
    box.append(el("p", { class: "review-status", dataset: { status: fact.status } }, STATUS_TEXT[fact.status] || fact.status, who));
    if (fact.status === "corrected") {
      // shown corrected; the machine's version one click away
      box.append(el("p", { class: "fact-line reviewed" }, fact.reviewed_phrase || fact.phrase));
      if (machineLine) {
        machineLine.classList.add("machine");
        machineLine.hidden = true;
      }
      const machine = el("p", { class: "machine-version muted", hidden: "" },
        "The machine read: ", fact.phrase, ` (${Object.entries(fact.machine || {}).filter(([k]) => k in (fact.corrections || {}))
          .map(([k, v]) => `${k}: ${v ?? "none"}`).join(", ")})`);
      box.append(el("button", { type: "button", class: "link machine-toggle", on: { click: (e) => {
        machine.hidden = !machine.hidden;
        e.target.textContent = machine.hidden ? "Show the machine's version" : "Hide the machine's version";
      } } }, "Show the machine's version"), machine);
    }
    if (fact.notes && fact.notes.length) box.append(el("ul", { class: "list review-notes" }, fact.notes.map((n) => el("li", {}, `Note: ${n}`))));
    box.append(el("div", { class: "review-actions" },
      button("confirm", "Confirm", "c", () => judge("confirm")),
      button("reject", "Reject", "x", () => judge("reject")),
      button("correct", "Correct…", "e", () => openForm("correct")),
      button("note", "Note…", "n", () => openForm("note"))));
  } else {
    box.dataset.status = "";
    const left = data.facts.filter((f) => f.kind !== "entity" && f.status === "unreviewed").length;
    box.append(el("p", { class: "review-status" }, `${left} unreviewed fact${left === 1 ? "" : "s"} in this article`));
  }
  const scope = el("select", { id: "review-scope", "aria-label": "Queue", on: { change: (e) => { review.scope = e.target.value; } } },
    SCOPES.map(([value, label]) => el("option", { value, selected: value === review.scope ? "" : null }, label)));
  box.append(el("div", { class: "review-queue" },
    button("next", "Next unreviewed", "j", () => next()), " ", scope));
  box.append(el("label", { class: "muted reviewer" }, "Reviewer ",
    el("input", { id: "reviewer-name", type: "text", size: 14, maxlength: 100, value: localStorage.getItem("newsgraph.reviewer") || data.reviewer || "",
      on: { change: (e) => localStorage.setItem("newsgraph.reviewer", e.target.value.trim()) } })));
  if (review.message) box.append(el("p", { class: "muted review-message" }, review.message));
  review.message = "";
}

function button(name, label, key, onClick) {
  return el("button", { type: "button", class: `review-${name}`, title: `${label.replace("…", "")} (key ${key.toUpperCase()})`,
    "aria-keyshortcuts": key, on: { click: onClick } }, label, el("kbd", {}, key.toUpperCase()));
}

async function judge(verdict, extra = {}) {
  const fact = review.fact;
  if (!fact) return;
  try {
    await call("/api/review", { body: { article: review.article, kind: fact.kind, fact_id: fact.id, verdict, reviewer: reviewerName() || null, ...extra } });
    const data = await call("/api/review", { params: { article: review.article } });
    review.data = data;
    review.fact = data.facts.find((f) => f.kind === fact.kind && f.id === fact.id) || fact;
    markEverywhere(review.article, review.fact);
    render();
    document.body.dataset.reviewed = String(Date.now());
  } catch (err) {
    review.box.append(el("p", { class: "error" }, err.message));
  }
}

async function openForm(mode) {
  const fact = review.fact;
  if (!fact || $(".review-form", review.box)) return;
  const form = el("form", { class: "review-form", "aria-label": mode === "correct" ? "Correct this fact" : "Add a note" });
  const inputs = {};
  if (mode === "correct") {
    const vocab = await vocabulary();
    const shown = fact.reviewed_fields || fact.fields;
    for (const name of review.data.correctable[fact.kind]) {
      const value = shown[name] ?? "";
      let input;
      if (review.data.entity_fields.includes(name)) {
        input = el("select", { name }, el("option", { value: "" }, "(none)"),
          review.data.entities.map((e) => el("option", { value: e.id, selected: e.id === value ? "" : null }, `${e.name} (${e.type})`)));
      } else if (name === "type" || name === "certainty") {
        const options = name === "certainty" ? vocab.certainty : fact.kind === "entity" ? ENTITY_TYPES : vocab[fact.kind] || [];
        input = el("select", { name }, [...new Set([value, ...options])].filter(Boolean).map((o) => el("option", { value: o, selected: o === value ? "" : null }, o)));
      } else {
        input = el("input", { name, type: "text", size: 16, maxlength: 200, value });
      }
      inputs[name] = input;
      form.append(el("label", { class: "review-field" }, `${name} `, input));
    }
  }
  const note = el("textarea", { name: "note", rows: 2, maxlength: 2000, placeholder: mode === "note" ? "Your note" : "Why (kept in the audit log)" });
  form.append(el("label", { class: "review-field" }, mode === "note" ? "Note " : "Why ", note),
    el("div", {}, el("button", { type: "submit" }, mode === "correct" ? "Save correction" : "Save note"), " ",
      el("button", { type: "button", class: "link", on: { click: () => form.remove() } }, "Cancel")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (mode === "note") {
      if (note.value.trim()) judge("note", { note: note.value.trim() });
      return;
    }
    // a correction says how the fact differs from what the machine read
    const corrections = {};
    for (const [name, input] of Object.entries(inputs)) {
      if (String(input.value) !== String(fact.fields[name] ?? "")) corrections[name] = input.value;
    }
    if (!Object.keys(corrections).length) {
      form.append(el("p", { class: "error" }, "Nothing differs from the machine's version."));
      return;
    }
    judge("correct", { corrections, note: note.value.trim() || null });
  });
  review.box.append(form);
  const first = form.querySelector("select, input, textarea");
  if (first) first.focus();
}

// The next unreviewed fact in the chosen scope, opened in the evidence panel.
async function next() {
  const fact = review.fact;
  const params = { scope: review.scope, article: review.article };
  if (fact) params.after = factKey(review.article, fact.kind, fact.id);
  const hash = decodeURIComponent(window.location.hash.slice(1));
  const incident = hash.startsWith("incident:") ? hash.slice("incident:".length) : null; // incidents.js's view
  const key = hash && !incident && hash !== "incidents" ? hash : null; // the actor on screen
  if (review.scope === "actor" || review.scope === "single_source") {
    if (key) params.key = key;
    else if (review.scope === "actor") return say("Open an actor first: the queue follows the actor on screen.");
  }
  if (review.scope === "incident" && incident) params.incident = incident; // else the incident of the event shown
  try {
    const res = await call("/api/review/queue", { params });
    if (!res.next) return say(`No unreviewed fact left ${SCOPES.find(([v]) => v === review.scope)[1]}.`);
    document.dispatchEvent(new CustomEvent("newsgraph:show", {
      detail: { params: { article: res.next.article_id, kind: res.next.kind, fact_id: res.next.fact_id },
        heading: `Review: ${res.unreviewed} unreviewed ${SCOPES.find(([v]) => v === review.scope)[1]}` },
    }));
  } catch (err) {
    say(err.message);
  }
}

function say(message) {
  review.message = message;
  render();
}

// ---- keyboard ----------------------------------------------------------------------------------

document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || !review.box || !review.box.isConnected) return;
  const tag = (e.target.tagName || "").toLowerCase();
  if (e.key === "Escape") {
    const form = $(".review-form", review.box);
    if (form) form.remove();
    return;
  }
  if (["input", "textarea", "select"].includes(tag) || e.target.isContentEditable) return;
  const action = KEYS[e.key.toLowerCase()];
  if (!action || (action !== "next" && !review.fact)) return;
  e.preventDefault();
  if (action === "confirm" || action === "reject") judge(action);
  else if (action === "correct" || action === "note") openForm(action);
  else next();
});

// ---- the network: a link whose facts were all rejected fades (dotted); one with a checked fact
// (confirmed or corrected) gets a green dot at its source. Restyled after each draw by app.js.
const styled = new WeakSet();
function markEdges() {
  const cy = window.newsgraph && window.newsgraph.cy;
  if (!cy || cy.destroyed()) return;
  if (!styled.has(cy)) {
    styled.add(cy);
    cy.style()
      .selector("edge.review-rejected").style({ opacity: 0.3, "line-style": "dotted" })
      .selector("edge.review-checked").style({ "source-arrow-shape": "circle", "source-arrow-color": "#2e7d32" })
      .update();
  }
  cy.batch(() => cy.edges().forEach((e) => {
    const counts = e.data("review_counts") || {};
    const shown = (e.data("evidence") || []).length;
    e.removeClass("review-rejected review-checked");
    if (counts.rejected && counts.rejected === shown) e.addClass("review-rejected");
    else if (counts.confirmed || counts.corrected) e.addClass("review-checked");
  }));
}
new MutationObserver(markEdges).observe(document.body, { attributes: true, attributeFilter: ["data-graph-ready"] });

// The search page: query box, time range, histogram, results with cursor paging, facets, saved searches.
import { api } from "./api.js";
import { $, clear, fmtNumber, h, isoTime, parseTime } from "./dom.js";
import { closeDrawer, openDrawer } from "./drawer.js";
import { drawHistogram } from "./histogram.js";
import { navigate, searchLink } from "./nav.js";

const COLUMNS = ["ts", "source_type", "action", "outcome", "actor", "src_ip", "account_id", "region", "resource"];
const FACETS = ["src_ip", "actor", "action", "source_type"];
const PRESETS = ["15m", "1h", "24h", "7d", "30d"];
const PAGE = 100;
const SAVED = "backtrail.saved";

let state = { q: "", since: "", until: "", cursor: null, rows: 0 };
let generation = 0;
let controller = null;
let loadingMore = false;
let lastHistogram = null;
let facetsMissing = false;

// --- the query text --------------------------------------------------------------------------

/** `field:value` in the search syntax (quoted when it needs to be); free text when no field. */
export function term(field, value) {
  const needsQuotes = value === "" || /[\s()"\\]/.test(value) || /^-/.test(value);
  const v = needsQuotes ? `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : value;
  return field ? `${field}:${v}` : (needsQuotes ? v : `"${v}"`);
}

/** The query with one more ANDed term (the query put in parentheses when it has an OR). */
export function addTerm(query, added) {
  const q = query.trim();
  if (!q) return added;
  if (q.split(/\s+/).includes(added)) return q;
  return /\bOR\b|\|\|/.test(q) ? `(${q}) ${added}` : `${q} ${added}`;
}

function pivot(field, value) {
  navigate({ view: "search", q: addTerm(state.q, term(field, value)), since: state.since, until: state.until });
}

// --- time range ------------------------------------------------------------------------------

const AGE = /^(\d+)([smhdw])$/;
const SECONDS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A since/until value as a Date (ages count back from now), or null. */
function resolve(value) {
  if (!value) return null;
  const v = value.trim();
  const age = AGE.exec(v);
  if (age) return new Date(Date.now() - Number(age[1]) * SECONDS[age[2]] * 1000);
  if (v === "now") return new Date();
  return parseTime(/^\d{4}-\d\d-\d\d$/.test(v) ? `${v}T00:00:00Z` : v);
}

function showRange(since, until) {
  const preset = !since ? "all" : PRESETS.includes(since) && !until ? since : "custom";
  $("#range").value = preset;
  $("#custom-range").hidden = preset !== "custom";
  $("#since").value = preset === "custom" ? since : "";
  $("#until").value = preset === "custom" ? until : "";
}

function formRange() {
  const preset = $("#range").value;
  if (preset === "all") return { since: "", until: "" };
  if (preset === "custom") return { since: $("#since").value.trim(), until: $("#until").value.trim() };
  return { since: preset, until: "" };
}

// --- running a search ------------------------------------------------------------------------

function showError(err) {
  const box = $("#search-error");
  box.hidden = !err;
  box.textContent = err ? err.message : "";
}

function params(extra = {}) {
  return { q: state.q, since: state.since, until: state.until, ...extra };
}

function run(p) {
  generation++;
  if (controller) controller.abort();
  controller = new AbortController();
  state = { q: p.q || "", since: p.since || "", until: p.until || "", cursor: null, rows: 0 };
  loadingMore = false;
  closeDrawer();
  showError(null);
  clear($("#results tbody"));
  $("#more").hidden = true;
  $("#results-summary").textContent = "searching…";
  $("#histogram").classList.add("loading");
  const mine = generation, signal = controller.signal;
  const guard = (promise) => promise.catch((err) => {
    if (err.name !== "AbortError" && mine === generation) showError(err);
  });
  guard(loadPage(mine, signal));
  guard(loadHistogram(mine, signal));
  guard(loadCount(mine, signal));
  loadFacets(mine, signal);
}

async function loadPage(mine, signal) {
  const body = await api("/api/search", { params: params({ limit: PAGE, cursor: state.cursor }), signal });
  if (mine !== generation) return;
  const events = body.events || [];
  const tbody = $("#results tbody");
  const rows = document.createDocumentFragment();
  for (const event of events) rows.append(row(event));
  tbody.append(rows);
  state.rows += events.length;
  state.cursor = body.next_cursor || null;
  $("#more").hidden = !state.cursor;
  $("#more").disabled = false;
  updateSummary();
  if (!body.next_cursor && !("next_cursor" in body) && events.length >= PAGE) {
    $("#results-summary").textContent += ` (first ${fmtNumber(PAGE)} shown: narrow the search or the range)`;
  }
}

async function loadMore() {
  if (loadingMore || !state.cursor) return; // never more than one page in flight
  loadingMore = true;
  $("#more").disabled = true;
  const mine = generation;
  try {
    await loadPage(mine, controller.signal);
  } catch (err) {
    if (err.name !== "AbortError" && mine === generation) showError(err);
    $("#more").disabled = false;
  } finally {
    if (mine === generation) loadingMore = false;
  }
}

let total = null;

async function loadCount(mine, signal) {
  total = null;
  const body = await api("/api/count", { params: params(), signal });
  if (mine !== generation) return;
  total = body.count;
  updateSummary();
}

function updateSummary() {
  const shown = `${fmtNumber(state.rows)} shown`;
  $("#results-summary").textContent = total === null ? shown
    : `${fmtNumber(total)} ${total === 1 ? "event" : "events"} · ${shown}`;
}

async function loadHistogram(mine, signal) {
  const container = $("#histogram");
  try {
    const body = await api("/api/histogram", { params: params({ buckets: 60 }), signal });
    if (mine !== generation) return;
    lastHistogram = body;
    paintHistogram();
  } catch (err) {
    if (mine !== generation || err.name === "AbortError") throw err;
    clear(container).append(h("div", { class: "muted empty",
      text: err.status === 404 ? "this server has no histogram yet" : `histogram: ${err.message}` }));
    if (err.status !== 404 && err.status !== 400) throw err;
  } finally {
    if (mine === generation) container.classList.remove("loading");
  }
}

function paintHistogram() {
  if (!lastHistogram) return;
  drawHistogram($("#histogram"), lastHistogram, {
    from: resolve(state.since), to: state.since ? resolve(state.until) || new Date() : resolve(state.until),
    parse: parseTime,
    onZoom: (from, to) => {
      const lo = new Date(Math.floor(from.getTime() / 1000) * 1000), hi = new Date(Math.ceil(to.getTime() / 1000) * 1000);
      navigate({ view: "search", q: state.q, since: isoTime(lo), until: isoTime(hi) });
    },
  });
}

async function loadFacets(mine, signal) {
  const box = clear($("#facets"));
  if (facetsMissing) return;
  await Promise.all(FACETS.map(async (field) => {
    const list = h("ol", { class: "facet-values" }, h("li", { class: "muted", text: "…" }));
    box.append(h("div", { class: "facet", "data-field": field }, h("h3", { text: field }), list));
    try {
      const body = await api("/api/facets", { params: params({ field, limit: 10 }), signal });
      if (mine !== generation) return;
      const values = body.values || [];
      clear(list).append(...(values.length ? values.map(({ value, count }) =>
        h("li", {}, h("span", { class: "pv", title: `search ${field}:${value}`, onclick: () => pivot(field, String(value)) },
                      value === "" ? "(empty)" : String(value)),
          h("span", { class: "count", text: fmtNumber(count) })))
        : [h("li", { class: "muted", text: "–" })]));
    } catch (err) {
      if (mine !== generation || err.name === "AbortError") return;
      if (err.status === 404) {
        facetsMissing = true;
        clear(box);
      } else {
        clear(list).append(h("li", { class: "muted", text: err.message }));
      }
    }
  }));
}

function cell(name, value) {
  const text = value === null || value === undefined ? "" : String(value);
  if (name === "ts") return h("td", { class: "ts", text });
  if (!text) return h("td", { class: name });
  return h("td", { class: name }, h("span", { class: "pv", title: `search ${name}:${text}`,
    onclick: (event) => { event.stopPropagation(); pivot(name, text); } }, text));
}

function row(event) {
  const tr = h("tr", { class: "event", tabindex: 0, dataset: { key: event.key || event.event_id || "" } },
               COLUMNS.map((name) => cell(name, event[name])));
  const open = () => showEvent(event, tr);
  tr.addEventListener("click", open);
  tr.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
  return tr;
}

async function showEvent(event, tr) {
  for (const other of document.querySelectorAll("#results tr.selected")) other.classList.remove("selected");
  tr.classList.add("selected");
  openDrawer(event, pivot);
  if (!event.key || (event.raw !== undefined && event.raw !== null)) return; // the row holds the whole event
  try {
    const body = await api(`/api/events/${encodeURIComponent(event.key)}`);
    if (body && body.event && tr.classList.contains("selected") && !$("#drawer").hidden) {
      openDrawer({ ...body.event, key: event.key }, pivot);
    }
  } catch (err) {
    showError(err);
  }
}

// --- saved searches --------------------------------------------------------------------------

function saved() {
  try {
    const list = JSON.parse(localStorage.getItem(SAVED) || "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function renderSaved() {
  const list = clear($("#saved-list"));
  for (const [i, s] of saved().entries()) {
    list.append(h("li", {},
      h("a", { href: searchLink(s.q, s.since, s.until), title: s.q, text: s.name }),
      h("button", { type: "button", class: "delete", title: "delete", "aria-label": `delete ${s.name}`,
                    onclick: () => {
                      const all = saved();
                      all.splice(i, 1);
                      localStorage.setItem(SAVED, JSON.stringify(all));
                      renderSaved();
                    } }, "×")));
  }
  if (!list.children.length) list.append(h("li", { class: "muted", text: "none yet" }));
}

// --- the view --------------------------------------------------------------------------------

export const searchView = {
  init() {
    $("#search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      navigate({ view: "search", q: $("#q").value.trim(), ...formRange() });
    });
    $("#range").addEventListener("change", () => {
      const custom = $("#range").value === "custom";
      $("#custom-range").hidden = !custom;
      if (custom) {
        $("#since").value = state.since || "24h";
        $("#since").focus();
      } else {
        navigate({ view: "search", q: $("#q").value.trim(), ...formRange() });
      }
    });
    $("#more").addEventListener("click", loadMore);
    $("#drawer-close").addEventListener("click", () => {
      closeDrawer();
      for (const tr of document.querySelectorAll("#results tr.selected")) tr.classList.remove("selected");
    });
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeDrawer(); });
    $("#save-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const name = $("#save-name").value.trim() || state.q || "all events";
      const all = saved().filter((s) => s.name !== name);
      all.push({ name, q: state.q, since: state.since, until: state.until });
      localStorage.setItem(SAVED, JSON.stringify(all));
      $("#save-name").value = "";
      renderSaved();
    });
    $("#results thead").append(h("tr", {}, COLUMNS.map((c) => h("th", { text: c }))));
    let resizeTimer = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(paintHistogram, 150);
    });
  },
  enter(p) {
    $("#q").value = p.q || "";
    showRange(p.since || "", p.until || "");
    renderSaved();
    lastHistogram = null;
    run(p);
  },
  leave() {
    generation++;
    if (controller) controller.abort();
  },
};

// The sources and backfills pages: tables refreshed every 2 s while they are shown.
import { api } from "./api.js";
import { $, clear, fmtBytes, fmtDuration, fmtNumber, fmtTime, h, parseTime } from "./dom.js";
import { searchLink } from "./nav.js";
import { term } from "./search.js";

const EVERY_MS = 2000;
const ACTIVE = new Set(["planning", "running", "paused"]);

/** Call `refresh(signal)` now and 2 s after each answer, until `stop()`. Never two at once. */
function poller(refresh, errorBox) {
  let timer = null, controller = null, running = false;
  const tick = async () => {
    timer = null;
    controller = new AbortController();
    const mine = controller;
    try {
      await refresh(mine.signal);
      if (running) $(errorBox).hidden = true;
    } catch (err) {
      if (err.name === "AbortError") return;
      $(errorBox).hidden = false;
      $(errorBox).textContent = err.message;
    }
    if (running && controller === mine) timer = setTimeout(tick, EVERY_MS);
  };
  return {
    start() {
      this.stop();
      running = true;
      tick();
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
      if (controller) controller.abort();
      timer = controller = null;
    },
  };
}

// --- sources ---------------------------------------------------------------------------------

let previous = new Map(); // source_type -> [events, at ms]: a rate when the server gives none

async function refreshSources(signal) {
  const sources = (await api("/api/sources", { signal })).sources || [];
  const now = Date.now();
  const body = clear($("#sources tbody"));
  for (const s of sources) {
    const events = Number(s.events);
    let rate = s.events_per_s;
    const seen = previous.get(s.source_type);
    if (rate === undefined || rate === null) rate = seen && now > seen[1] ? ((events - seen[0]) * 1000) / (now - seen[1]) : null;
    previous.set(s.source_type, [events, now]);
    body.append(h("tr", { "data-source": s.source_type },
      h("td", {}, h("a", { href: searchLink(term("source_type", String(s.source_type))), text: s.source_type })),
      h("td", { class: "num events", text: fmtNumber(events) }),
      h("td", { text: fmtTime(parseTime(s.first_event)) }),
      h("td", { text: fmtTime(parseTime(s.last_event)) }),
      h("td", { class: "num", text: rate === null ? "–" : fmtNumber(Math.round(rate)) }),
      h("td", { class: "num", text: s.live_lag_s === null || s.live_lag_s === undefined ? "–" : fmtDuration(s.live_lag_s) })));
  }
  if (!sources.length) body.append(h("tr", {}, h("td", { colspan: 6, class: "muted", text: "no events stored yet" })));
}

// --- backfills -------------------------------------------------------------------------------

function progress(done, listed) {
  const bar = h("progress", { max: Math.max(1, listed || 0), value: Math.min(done, listed || 0) });
  if (!listed) bar.removeAttribute("value"); // indeterminate until the listing is known
  return bar;
}

function backfillRow(b) {
  const done = Number(b.objects_done || 0), listed = Number(b.objects_listed || 0);
  const failed = Number(b.objects_failed || 0), skipped = Number(b.objects_skipped || 0);
  const cancelled = Number(b.objects_cancelled || 0);
  const finished = done + failed + skipped + cancelled;
  const errors = Array.isArray(b.last_errors) ? b.last_errors : [];
  const soFar = b.listing_complete === false ? "+" : ""; // the listing goes on
  const objects = [`${fmtNumber(finished)} / ${listed ? fmtNumber(listed) + soFar : "?"}`];
  if (failed) objects.push(`${fmtNumber(failed)} failed`);
  if (skipped) objects.push(`${fmtNumber(skipped)} skipped`);
  if (cancelled) objects.push(`${fmtNumber(cancelled)} cancelled`);
  return h("tr", { class: `backfill state-${b.state || "unknown"}`, "data-id": b.id || "" },
    h("td", { class: "id" }, b.id ? h("a", { href: searchLink(term("backfill_id", String(b.id))), text: b.id }) : "all objects"),
    h("td", { class: "state", text: b.state || "–" }),
    h("td", { class: "progress" }, progress(finished, listed),
      h("span", { class: "pct", text: listed ? ` ${Math.floor((finished * 100) / listed)}%` : "" })),
    h("td", { class: "num objects", "data-done": finished, text: objects.join(" · ") }),
    h("td", { class: "num", text: fmtNumber(b.events) }),
    h("td", { class: "num", text: fmtBytes(b.bytes) }),
    h("td", { class: "num", text: b.rate === null || b.rate === undefined ? "–" : `${fmtNumber(Math.round(b.rate))} ev/s` }),
    h("td", { class: "num", text: ACTIVE.has(b.state) ? fmtDuration(b.eta_s) : "–" }),
    h("td", { class: "controls" }, controls(b)),
    h("td", { class: "errors" }, errors.length ? h("ul", {}, errors.slice(-5).map((e) =>
      h("li", { text: typeof e === "string" ? e : JSON.stringify(e) }))) : h("span", { class: "muted", text: "–" })));
}

function controls(b) {
  if (!b.id || !ACTIVE.has(b.state)) return [];
  const act = (action) => async () => {
    try {
      await api(`/api/backfills/${encodeURIComponent(b.id)}/${action}`, { body: {} });
    } catch (err) {
      $("#backfills-error").hidden = false;
      $("#backfills-error").textContent = err.message;
    }
    backfills.start(); // show the new state now
  };
  return [b.state === "paused" ? h("button", { type: "button", class: "resume", onclick: act("resume") }, "resume")
                               : h("button", { type: "button", class: "pause", onclick: act("pause") }, "pause"),
          " ", h("button", { type: "button", class: "cancel", onclick: act("cancel") }, "cancel")];
}

async function startBackfill(event) {
  event.preventDefault();
  const body = { url: $("#bf-url").value.trim() };
  if ($("#bf-since").value.trim()) body.since = $("#bf-since").value.trim();
  if ($("#bf-until").value.trim()) body.until = $("#bf-until").value.trim();
  if (!body.url) return;
  try {
    await api("/api/backfills", { body });
    $("#backfills-error").hidden = true;
  } catch (err) {
    $("#backfills-error").hidden = false;
    $("#backfills-error").textContent = err.message;
  }
  backfills.start();
}

async function refreshBackfills(signal) {
  const backfills = (await api("/api/backfills", { signal })).backfills || [];
  const body = clear($("#backfills tbody"));
  for (const b of backfills) body.append(backfillRow(b));
  if (!backfills.length) body.append(h("tr", {}, h("td", { colspan: 10, class: "muted", text: "no backfills yet" })));
}

const sources = poller(refreshSources, "#sources-error");
const backfills = poller(refreshBackfills, "#backfills-error");

export const sourcesView = {
  init() {},
  enter() {
    previous = new Map();
    sources.start();
  },
  leave() {
    sources.stop();
  },
};

export const backfillsView = {
  init() {
    $("#backfill-form").addEventListener("submit", startBackfill);
  },
  enter() {
    backfills.start();
  },
  leave() {
    backfills.stop();
  },
};

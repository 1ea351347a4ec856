// The hunt page (indicators → per-indicator summary and one timeline) and the alerts list.
import { api } from "./api.js";
import { $, clear, fmtNumber, fmtTime, h, parseTime } from "./dom.js";
import { searchLink } from "./nav.js";
import { term } from "./search.js";

function showError(box, err) {
  $(box).hidden = !err;
  $(box).textContent = err ? err.message : "";
}

function table(id, headers, rows) {
  return h("table", { class: "grid", id }, h("thead", {}, h("tr", {}, headers.map((t) => h("th", { text: t })))),
           h("tbody", {}, rows));
}

let huntGeneration = 0;

async function hunt() {
  const indicators = $("#indicators").value.split("\n").map((s) => s.trim()).filter(Boolean);
  const since = $("#hunt-since").value.trim(), until = $("#hunt-until").value.trim();
  const out = clear($("#hunt-results"));
  showError("#hunt-error", null);
  if (!indicators.length) return showError("#hunt-error", new Error("paste one indicator per line"));
  const mine = ++huntGeneration;
  out.append(h("p", { class: "muted", text: "hunting…" }));
  $("#hunt-go").disabled = true;
  try {
    const body = { indicators };
    if (since) body.since = since;
    if (until) body.until = until;
    const result = await api("/api/hunt", { body });
    if (mine !== huntGeneration) return;
    clear(out);
    out.append(h("h3", { text: "Indicators" }), table("hunt-indicators",
      ["indicator", "kind", "events", "first seen", "last seen", "sources", ""],
      (result.indicators || []).map((i) => h("tr", { "data-indicator": i.indicator },
        h("td", { class: "indicator", text: i.indicator }),
        h("td", { text: i.kind }),
        h("td", { class: "num events", text: fmtNumber(i.events) }),
        h("td", { text: fmtTime(parseTime(i.first_seen)) }),
        h("td", { text: fmtTime(parseTime(i.last_seen)) }),
        h("td", { text: (i.sources || []).join(", ") }),
        h("td", {}, h("a", { class: "open-search", href: searchLink(i.search, since, until), title: i.search,
                             text: "search" }))))));
    const timeline = result.timeline || [];
    out.append(h("h3", { text: `Timeline (${fmtNumber(timeline.length)} events)` }), table("hunt-timeline",
      ["ts", "source_type", "action", "outcome", "src_ip", "actor", "resource", "matched"],
      timeline.map((e) => h("tr", {},
        h("td", { class: "ts", text: fmtTime(parseTime(e.ts), true) }),
        ["source_type", "action", "outcome", "src_ip", "actor", "resource"].map((c) =>
          h("td", { class: c, text: e[c] === null || e[c] === undefined ? "" : String(e[c]) })),
        h("td", { text: (e.matched || []).join(", ") })))));
  } catch (err) {
    if (mine !== huntGeneration) return;
    clear(out);
    showError("#hunt-error", err);
  } finally {
    if (mine === huntGeneration) $("#hunt-go").disabled = false;
  }
}

export const huntView = {
  init() {
    $("#hunt-form").addEventListener("submit", (event) => {
      event.preventDefault();
      hunt();
    });
  },
  enter(p) {
    if (p.indicators) {
      $("#indicators").value = p.indicators;
      hunt();
    }
  },
  leave() {},
};

let alertsGeneration = 0;

export const alertsView = {
  init() {},
  async enter() {
    const mine = ++alertsGeneration;
    const body = clear($("#alerts tbody"));
    showError("#alerts-error", null);
    body.append(h("tr", {}, h("td", { colspan: 8, class: "muted", text: "loading…" })));
    try {
      const alerts = (await api("/api/alerts", { params: { limit: 500 } })).alerts || [];
      if (mine !== alertsGeneration) return;
      clear(body);
      for (const a of alerts) {
        body.append(h("tr", { class: `alert level-${a.level || "unknown"}` },
          h("td", { class: "ts", text: fmtTime(parseTime(a.ts)) }),
          h("td", { class: "level", text: a.level || "" }),
          h("td", { title: a.rule_id || "", text: a.title || a.rule_id || "" }),
          h("td", { text: a.source_type || "" }),
          h("td", { text: a.action || "" }),
          h("td", { text: a.src_ip || "" }),
          h("td", { class: "actor", text: a.actor || "" }),
          h("td", { class: "event" }, a.event_id
            ? h("a", { class: "open-search", href: searchLink(term("event_id", String(a.event_id))), text: a.event_id })
            : h("span", { class: "muted", text: "–" }))));
      }
      if (!alerts.length) body.append(h("tr", {}, h("td", { colspan: 8, class: "muted", text: "no alerts" })));
    } catch (err) {
      if (mine !== alertsGeneration) return;
      clear(body);
      showError("#alerts-error", err);
    }
  },
  leave() {
    alertsGeneration++;
  },
};

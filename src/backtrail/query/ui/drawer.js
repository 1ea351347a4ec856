// The event drawer: every column of one event, its per-type fields, and its raw record as pretty JSON.
// Every value is a pivot: clicking it adds `field:value` to the search.
import { $, clear, h } from "./dom.js";

const FIELD_NAME = /^[A-Za-z_@][\w.@-]*$/;
const ARRAYS = new Set(["ips", "principals"]);
const MAX_LEAVES = 400;

function pivotable(field, value, onPivot) {
  const text = value === null || value === undefined ? "" : String(value);
  if (text === "") return h("span", { class: "muted", text: "–" });
  return h("span", { class: "pv", title: field ? `search ${field}:${text}` : `search "${text}"`,
                     "data-field": field || "", onclick: () => onPivot(field, text) }, text);
}

/** Leaves of a JSON value as [dotted path or null (inside an array), value]. */
function leaves(value, path = "", inArray = false, out = []) {
  if (out.length >= MAX_LEAVES) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => leaves(v, path ? `${path}[${i}]` : `[${i}]`, true, out));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, inArray, out);
  } else {
    out.push([path, value, inArray]);
  }
  return out;
}

export function openDrawer(event, onPivot) {
  const drawer = $("#drawer");
  const body = clear($("#drawer-body"));
  $("#drawer-title").textContent = [event.source_type, event.action].filter(Boolean).join(" · ") || "event";

  const rows = [];
  for (const [name, value] of Object.entries(event)) {
    if (name === "raw" || name === "fields" || name === "key") continue;
    let cell;
    if (Array.isArray(value)) {
      cell = h("td", {}, value.length ? value.map((v) => h("div", {}, pivotable(ARRAYS.has(name) ? name : null, v, onPivot)))
                                      : h("span", { class: "muted", text: "–" }));
    } else {
      cell = h("td", {}, pivotable(name, value, onPivot));
    }
    rows.push(h("tr", { "data-name": name }, h("th", { text: name }), cell));
  }
  body.append(h("h3", { text: "Columns" }), h("table", { class: "kv", id: "drawer-columns" }, rows));

  const fields = event.fields && typeof event.fields === "object" ? Object.entries(event.fields) : [];
  if (fields.length) {
    body.append(h("h3", { text: "Fields" }), h("table", { class: "kv" }, fields.map(([name, value]) =>
      h("tr", {}, h("th", { text: name }), h("td", {}, pivotable(FIELD_NAME.test(name) ? name : null, value, onPivot))))));
  }

  let parsed;
  const raw = event.raw === undefined || event.raw === null ? "" : String(event.raw);
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  body.append(h("h3", { text: "Raw record" }),
              h("pre", { class: "raw", id: "drawer-raw" }, parsed !== undefined ? JSON.stringify(parsed, null, 2) : raw));
  if (parsed && typeof parsed === "object") {
    const found = leaves(parsed);
    body.append(h("h3", { text: "Record fields" }), h("table", { class: "kv" }, found.map(([path, value, inArray]) =>
      h("tr", {}, h("th", { text: path }),
        h("td", {}, pivotable(!inArray && FIELD_NAME.test(path) ? path : null, value, onPivot))))));
    if (found.length >= MAX_LEAVES) body.append(h("p", { class: "muted", text: `first ${MAX_LEAVES} fields shown` }));
  }
  drawer.hidden = false;
  drawer.scrollTop = 0;
}

export function closeDrawer() {
  $("#drawer").hidden = true;
}

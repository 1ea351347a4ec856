// backtrail's web UI: plain ES modules, no build step, no third-party code.
import { adoptTokenFromFragment, setToken, whenUnauthorized } from "./api.js";
import { $ } from "./dom.js";
import { currentParams, interceptLinks, onNavigate } from "./nav.js";
import { searchView } from "./search.js";
import { backfillsView, sourcesView } from "./status.js";
import { alertsView, huntView } from "./hunt.js";

const VIEWS = { search: searchView, sources: sourcesView, backfills: backfillsView, hunt: huntView, alerts: alertsView };
let active = null;

function render() {
  const params = currentParams();
  const name = VIEWS[params.view] ? params.view : "search";
  if (active && active !== VIEWS[name]) active.leave();
  active = VIEWS[name];
  for (const [other] of Object.entries(VIEWS)) $(`#view-${other}`).hidden = other !== name;
  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("active", link.dataset.view === name);
  }
  document.title = `backtrail · ${name}`;
  active.enter(params);
}

function showTokenPrompt() {
  const prompt = $("#token-prompt");
  if (!prompt.hidden) return;
  prompt.hidden = false;
  $("#token-input").value = "";
  $("#token-input").focus();
}

function start() {
  adoptTokenFromFragment();
  whenUnauthorized(showTokenPrompt);
  $("#token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("#token-input").value.trim();
    if (!token) return;
    setToken(token);
    $("#token-prompt").hidden = true;
    if (active) active.leave();
    active = null;
    render();
  });
  for (const view of Object.values(VIEWS)) view.init();
  interceptLinks(document.body);
  onNavigate(render);
  window.addEventListener("popstate", render);
  window.addEventListener("hashchange", () => {
    if (location.hash.includes("token=")) {
      adoptTokenFromFragment();
      $("#token-prompt").hidden = true;
      render();
    }
  });
  render();
}

start();

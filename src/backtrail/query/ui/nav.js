// The address bar holds the state: ?view=…&q=…&since=…&until=… — so a search is a link.

let render = () => {};

export function onNavigate(callback) {
  render = callback;
}

export function currentParams() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/** The link of a view with these parameters (empty ones left out; the search view is the default). */
export function linkTo(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "" && !(name === "view" && value === "search")) {
      search.set(name, value);
    }
  }
  const query = search.toString();
  return location.pathname + (query ? "?" + query : "");
}

/** The search for a query (all time unless a range is given), as a link. */
export function searchLink(q, since, until) {
  return linkTo({ view: "search", q, since, until });
}

export function navigate(params, { replace = false } = {}) {
  const url = linkTo(params);
  if (url !== location.pathname + location.search) {
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
  }
  render();
}

/** Follow same-page links (<a href="?…">) without a reload. */
export function interceptLinks(root) {
  root.addEventListener("click", (event) => {
    const a = event.target.closest("a[href]");
    if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || a.target) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname !== location.pathname) return;
    event.preventDefault();
    if (url.search !== location.search) history.pushState(null, "", url.pathname + url.search);
    render();
  });
}

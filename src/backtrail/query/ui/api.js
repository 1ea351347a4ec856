// The API client: a bearer token on every call; a 401 asks for the token.

const KEY = "backtrail.token";
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Take `#token=…` from the address bar into sessionStorage and remove it from the URL. */
export function adoptTokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = fragment.get("token");
  if (token) {
    setToken(token);
    history.replaceState(history.state, "", location.pathname + location.search);
  }
}

export function setToken(token) {
  sessionStorage.setItem(KEY, token.trim());
}

export function hasToken() {
  return Boolean(sessionStorage.getItem(KEY));
}

export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

/** GET (or POST with a JSON body) an API path; the decoded JSON, or an ApiError. */
export async function api(path, { params, body, signal } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(KEY) || ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method: body === undefined ? "GET" : "POST", headers, signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "unreachable", "the backtrail server does not answer");
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (response.ok) return payload;
  const error = (payload && payload.error) || {};
  if (response.status === 401) onUnauthorized();
  throw new ApiError(response.status, error.code || "http_" + response.status,
                     error.message || `${response.status} ${response.statusText}`);
}

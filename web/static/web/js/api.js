// @ts-check
// The API client: same-origin requests with the session cookie, the CSRF token on every unsafe request, one error
// shape. The server's errors look like {"status", "code", "detail", "errors": {"field": ["message"]}}; allauth's
// like {"status", "errors": [{"message", "param"}]}; both become an ApiError with a message per field.
import { gettext } from "./i18n.js";

export class OfflineError extends Error {
  constructor() {
    super(gettext("You are offline."));
    this.name = "OfflineError";
  }
}

export class ApiError extends Error {
  constructor(status, body) {
    super(ApiError.messageOf(status, body));
    this.name = "ApiError";
    this.status = status;
    this.body = body || {};
    this.code = (body && body.code) || null;
    this.fields = ApiError.fieldsOf(body);
  }

  static messageOf(status, body) {
    if (body && typeof body.detail === "string" && body.detail) return body.detail;
    if (body && Array.isArray(body.errors) && body.errors.length) return body.errors.map((e) => e.message).join(" ");
    if (status === 0) return gettext("We could not reach the server.");
    if (status >= 500) return gettext("Something went wrong on our side. Please try again in a little while.");
    if (status === 429) return gettext("Too many attempts. Please wait a minute and try again.");
    return gettext("That did not work. Please try again.");
  }

  static fieldsOf(body) {
    const fields = {};
    if (!body) return fields;
    if (Array.isArray(body.errors)) {
      for (const error of body.errors) if (error.param) (fields[error.param] ||= []).push(error.message);
    } else if (body.errors && typeof body.errors === "object") {
      for (const [name, messages] of Object.entries(body.errors)) fields[name] = [].concat(messages);
    }
    return fields;
  }
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export function isOnline() {
  return navigator.onLine !== false;
}

// For a caregiver: the id of the patient they are helping, sent as X-Patient with every request (session.setHelping).
let patientHeader = "";

export function setPatientHeader(patientId) {
  patientHeader = patientId || "";
}

/** The headers that say whom a caregiver's request is for (none for anyone else). */
export function patientHeaders() {
  return patientHeader ? { "X-Patient": patientHeader } : {};
}

/** Send a request; resolves to {data, etag, status}. Throws OfflineError when the network is down, else ApiError. */
export async function request(method, url, options = {}) {
  if (!isOnline()) throw new OfflineError();
  const headers = { Accept: "application/json", ...patientHeaders(), ...(options.headers || {}) };
  /** @type {RequestInit} */
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = csrfToken();
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new OfflineError();
  }
  /** @type {any} the JSON the API answered (its shape is the endpoint's), a Blob or text */
  let data = null;
  const type = response.headers.get("Content-Type") || "";
  if (response.status !== 204) {
    if (options.raw && response.ok) data = await response.blob();
    else if (type.includes("json")) data = await response.json().catch(() => null);
    else data = await response.text();
  }
  if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : null);
  return { data, status: response.status, etag: response.headers.get("ETag") };
}

export const api = {
  get: async (url) => (await request("GET", url)).data,
  post: async (url, body) => (await request("POST", url, { body: body === undefined ? {} : body })).data,
  patch: async (url, body) => (await request("PATCH", url, { body })).data,
  put: async (url, body, headers) => (await request("PUT", url, { body, headers })).data,
  delete: async (url) => (await request("DELETE", url)).data,
};

/** Every page of a paginated list (the API caps a page at 200). */
export async function getAll(url, limit = 2000) {
  const results = [];
  /** @type {string | null} */
  let next = url + (url.includes("?") ? "&" : "?") + "page_size=200";
  while (next && results.length < limit) {
    const page = await api.get(next);
    if (Array.isArray(page)) return page;
    results.push(...page.results);
    next = page.next ? new URL(page.next, location.origin).pathname + new URL(page.next, location.origin).search : null;
  }
  return results;
}

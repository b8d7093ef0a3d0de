// @ts-check
// Client-side routes under /app/. The server answers every /app/... URL with the same shell, so a link, a reload, a
// notification tap or an installed app's start all land on the right screen.

import { clear, h } from "./dom.js";
import { gettext, interpolate } from "./i18n.js";

/**
 * @typedef {{public?: boolean, signedOutOnly?: boolean, role?: string, refreshOnSync?: boolean}} RouteOptions
 * @typedef {{regex: RegExp, names: string[], screen: (ctx: any) => any, options: RouteOptions,
 *   params?: Record<string, string>}} Route
 */

/** @type {Route[]} */
const routes = [];
/** @type {(() => void)[]} */
let leaving = [];
/** @type {((found: Route | null, pathname: string) => string | null) | null} */
let guard = null;
/** @type {((pathname: string) => void) | null} */
let afterRender = null;
let renderCount = 0;
/** @type {Route | null} */
let current = null;

/** route("/app/clinician/patients/:id", screen, {public, role}) */
export function route(pattern, screen, options = {}) {
  const names = [];
  const source = pattern.replace(/:([a-z_]+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  routes.push({ regex: new RegExp(`^${source}/?$`), names, screen, options });
}

export function setGuard(fn) {
  guard = fn;
}

export function setAfterRender(fn) {
  afterRender = fn;
}

function match(pathname) {
  for (const candidate of routes) {
    const found = candidate.regex.exec(pathname);
    if (found) {
      /** @type {Record<string, string>} */
      const params = {};
      candidate.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1]);
      });
      return { ...candidate, params };
    }
  }
  return null;
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  return render();
}

export function refresh() {
  return render({ keepFocus: true, keepScroll: true });
}

/** The options of the route on screen ({public, role, refreshOnSync}). */
export function currentRouteOptions() {
  return current ? current.options : {};
}

export function currentPath() {
  return location.pathname + location.search;
}

export async function render({ keepFocus = false, keepScroll = false } = {}) {
  const main = /** @type {HTMLElement} */ (document.getElementById("main"));
  for (const fn of leaving) fn();
  leaving = [];
  const count = ++renderCount;
  const found = match(location.pathname);
  current = found;
  const redirect = guard ? guard(found, location.pathname) : null;
  if (redirect && redirect !== location.pathname) return navigate(redirect, { replace: true });
  const ctx = {
    main,
    params: found ? found.params : {},
    query: new URLSearchParams(location.search),
    navigate,
    onLeave: (fn) => leaving.push(fn),
    isCurrent: () => count === renderCount,
  };
  const scrollY = window.scrollY;
  clear(main);
  try {
    if (!found) notFound(ctx);
    else await found.screen(ctx);
  } catch (error) {
    if (count !== renderCount) return;
    console.error(error);
    clear(main);
    main.append(
      h("h1", { tabindex: "-1" }, gettext("Something went wrong")),
      h("p", { class: "notice notice-error" }, (error instanceof Error && error.message) || gettext("Please try again.")),
      h("p", {}, h("a", { class: "button", href: "/app/" }, gettext("Go to the start"))),
    );
  }
  if (count !== renderCount) return;
  const heading = main.querySelector("h1");
  document.title = heading ? interpolate(gettext("%(screen)s - MILD Recovery"), { screen: heading.textContent }, true) : gettext("MILD Recovery");
  if (keepScroll) window.scrollTo(0, scrollY);
  else window.scrollTo(0, 0);
  if (!keepFocus && heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
  if (afterRender) afterRender(location.pathname);
}

function notFound(ctx) {
  ctx.main.append(
    h("h1", {}, gettext("Page not found")),
    h("p", {}, gettext("This page does not exist in the app.")),
    h("p", {}, h("a", { class: "button", href: "/app/" }, gettext("Go to the start"))),
  );
}

/** Screens append optional parts (null when absent): the main element skips them instead of printing "null". */
function tolerantAppend(el) {
  const keep = (nodes) => nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false);
  const append = el.append.bind(el);
  const replaceChildren = el.replaceChildren.bind(el);
  el.append = (...nodes) => append(...keep(nodes));
  el.replaceChildren = (...nodes) => replaceChildren(...keep(nodes));
}

export function startRouter() {
  tolerantAppend(document.getElementById("main"));
  window.addEventListener("popstate", () => render());
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const link = /** @type {HTMLAnchorElement | null} */ (/** @type {Element} */ (event.target).closest("a[href]"));
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith("/app/")) return;
    if (url.pathname === "/app/manifest.webmanifest") return;
    event.preventDefault();
    // The same screen again starts it afresh (e.g. a new check-in after the thank-you page).
    navigate(url.pathname + url.search, { replace: url.pathname + url.search === currentPath() });
  });
}

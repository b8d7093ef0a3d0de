// @ts-check
// The frame around the screens: navigation, the offline and "saved on this phone" banners, the service worker, and
// the start-up sequence (who is signed in, then the screen the URL names).

import { isOnline } from "./api.js";
import { warmPatientCache } from "./data.js";
import { clear, h, svg } from "./dom.js";
import { currentRouteOptions, navigate, refresh, render, setAfterRender, setGuard, startRouter } from "./router.js";
import { isCaregiver, isPatient, isStaff, loadSession, session } from "./session.js";
import { discard, onOutboxChange, outboxItems, startSync, syncNow } from "./sync.js";
import { drawUnread, refreshUnread } from "./unread.js";
import { browserLanguage, gettext, gettext_noop, interpolate, ngettext, onLanguageChange, setLanguage } from "./i18n.js";

const PATIENT_TABS = [
  { href: "/app/", label: gettext_noop("Today"), icon: "M4 5h16v15H4zM4 9h16M9 3v4M15 3v4" },
  { href: "/app/checkin", label: gettext_noop("Check in"), icon: "M5 12l4 4 10-10" },
  { href: "/app/exercises", label: gettext_noop("Exercise"), icon: "M12 4a2 2 0 1 1 0 .1M8 21l2-7-3-3 5-3 3 4h3M10 14l4 2v5" },
  { href: "/app/progress", label: gettext_noop("Progress"), icon: "M4 20V4M4 20h16M7 15l4-4 3 3 5-6" },
  { href: "/app/inbox", label: gettext_noop("Inbox"), icon: "M4 6h16v12H4zM4 7l8 6 8-6" },
];
const STAFF_LINKS = [
  { href: "/app/clinician/patients", label: gettext_noop("Patients") },
  { href: "/app/clinician/alerts", label: gettext_noop("Alerts") },
  { href: "/app/clinician/cohort", label: gettext_noop("Recovery curves") },
  { href: "/app/clinician/response-times", label: gettext_noop("Response times") },
  { href: "/app/clinician/content", label: gettext_noop("Clinical content") },
  { href: "/app/inbox", label: gettext_noop("Inbox") },
  { href: "/app/settings", label: gettext_noop("Settings") },
];

let syncStarted = false;
// A new version of the app is installed and waiting: the banner offers to reload into it (nothing replaces itself).
/** @type {ServiceWorker | null} */
let waitingWorker = null;
// Things the outbox dropped because the server already had them (409): said once, until dismissed.
const notices = [];

function icon(path) {
  return svg(
    "svg",
    { class: "tab-icon", viewBox: "0 0 24 24", width: 24, height: 24, "aria-hidden": "true", focusable: "false" },
    svg("path", { d: path }),
  );
}

function isActive(href, pathname) {
  if (href === "/app/") return pathname === "/app/" || pathname === "/app/today";
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** A caregiver helping a patient sees the patient's screens, with whom they are helping said on every one. */
function helpingSomeone() {
  return isCaregiver() && Boolean(session.helping);
}

/** Navigation for whoever is signed in: a tab bar for patients (thumb reach), a top bar for clinic staff. */
export function renderChrome() {
  // The page's own words (the shell page is cached, so it may be in another language than the app).
  const skip = document.querySelector(".skip-link");
  if (skip) skip.textContent = gettext("Skip to main content");
  document.getElementById("topnav")?.setAttribute("aria-label", gettext("Account"));
  document.getElementById("tabbar")?.setAttribute("aria-label", gettext("Main"));
  const tabbar = clear(document.getElementById("tabbar"));
  const topnav = clear(document.getElementById("topnav"));
  document.body.classList.toggle("is-staff", isStaff());
  document.body.classList.toggle("is-patient", isPatient() || helpingSomeone());
  if (helpingSomeone() && session.helping) {
    topnav.append(
      h("span", { class: "topnav-link helping-banner", id: "helping-banner" }, interpolate(gettext("Helping %(name)s"), { name: session.helping.full_name }, true)),
      h("a", { class: "topnav-link", href: "/app/helping", dataset: { href: "/app/helping" } }, gettext("Change")),
    );
  }
  if (isPatient() || helpingSomeone()) {
    tabbar.hidden = false;
    for (const tab of PATIENT_TABS) {
      tabbar.append(h("a", { class: "tab", href: tab.href, dataset: { href: tab.href } }, icon(tab.icon), h("span", {}, gettext(tab.label))));
    }
    topnav.append(
      h("a", { class: "topnav-link topnav-help", href: "/app/help", dataset: { href: "/app/help" } }, gettext("When to get help")),
      h("a", { class: "topnav-link", href: "/app/settings", dataset: { href: "/app/settings" } }, gettext("Settings")),
    );
  } else {
    tabbar.hidden = true;
    if (isStaff()) {
      for (const link of STAFF_LINKS) {
        topnav.append(h("a", { class: "topnav-link", href: link.href, dataset: { href: link.href } }, gettext(link.label)));
      }
    }
  }
  markActive(location.pathname);
  drawUnread();
}

function markActive(pathname) {
  for (const link of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#tabbar a, #topnav a"))) {
    if (isActive(link.dataset.href, pathname)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function renderBanners(items) {
  const box = clear(document.getElementById("banners"));
  if (waitingWorker) box.append(updateBanner());
  if (!session.me) return;
  const list = items || (await outboxItems());
  const pending = list.filter((item) => item.state === "pending");
  const problems = list.filter((item) => item.state === "conflict" || item.state === "rejected");
  if (!isOnline()) {
    box.append(
      h(
        "p",
        { class: "banner banner-offline" },
        h("strong", {}, gettext("You are offline. ")),
        isPatient() ? gettext("You can still check in and record your exercises.") : gettext("You are seeing the last information loaded."),
      ),
    );
  }
  if (pending.length) {
    box.append(
      h(
        "p",
        { class: "banner banner-saved", dataset: { pending: String(pending.length) } },
        h("strong", {}, gettext("Saved on this phone")),
        interpolate(ngettext(" — will send when you're online (%(count)s record).", " — will send when you're online (%(count)s records).", pending.length), { count: pending.length }, true),
      ),
    );
  }
  notices.forEach((text, index) => {
    box.append(
      h(
        "div",
        { class: "banner banner-problem" },
        h("p", {}, text),
        h("button", { type: "button", class: "button", onclick: () => notices.splice(index, 1) && renderBanners() }, gettext("OK")),
      ),
    );
  });
  for (const item of problems) {
    const reason =
      item.state === "conflict"
        ? gettext("it was changed somewhere else in the meantime")
        : (item.error && item.error.detail) || gettext("the server did not accept it");
    box.append(
      h(
        "div",
        { class: "banner banner-problem" },
        h("p", {}, h("strong", {}, interpolate(gettext("%(record)s was not sent: "), { record: item.label || gettext("A record") }, true)), interpolate(gettext("%(reason)s."), { reason }, true)),
        h(
          "div",
          { class: "button-row" },
          h("a", { class: "button", href: item.reviewPath || "/app/" }, gettext("Review it")),
          h("button", { type: "button", class: "button", onclick: () => discard(item.id) }, gettext("Delete it")),
        ),
      ),
    );
  }
}

function updateBanner() {
  const reload = h("button", { type: "button", class: "button button-primary" }, gettext("Reload"));
  reload.addEventListener("click", () => {
    reload.disabled = true;
    // The waiting worker takes over; `controllerchange` then reloads the page into the new version.
    if (waitingWorker) waitingWorker.postMessage({ type: "skip-waiting" });
  });
  return h("div", { class: "banner banner-update", dataset: { testid: "update-ready" } }, h("p", {}, h("strong", {}, gettext("Update ready:")), gettext(" reload to use the new version of the app.")), reload);
}

/** A worker that installed while an older one controls this page waits; the person chooses when to reload. */
function watchForUpdates(registration) {
  const offer = (worker) => {
    if (!worker || !navigator.serviceWorker.controller) return;
    waitingWorker = worker;
    renderBanners();
  };
  if (registration.waiting) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const installing = registration.installing;
    if (!installing) return;
    installing.addEventListener("statechange", () => {
      if (installing.state === "installed") offer(installing);
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only after the person asked for it: the first install's claim() must not reload the page.
    if (!waitingWorker || reloading) return;
    reloading = true;
    location.reload();
  });
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register(document.body.dataset.serviceWorker || "/sw.js", { scope: "/app/" });
    watchForUpdates(registration);
  } catch (error) {
    console.warn("The service worker could not be registered:", error);
  }
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "navigate" && typeof event.data.path === "string") {
      if (event.data.path.startsWith("/app/")) navigate(event.data.path);
    }
    if (event.data && event.data.type === "pushed") refreshUnread();
  });
}

/** Routes everyone may open; the rest need someone signed in, in the right role. */
function guard(found, pathname) {
  const options = found ? found.options : {};
  if (options.public) {
    if (session.me && options.signedOutOnly) return "/app/";
    return null;
  }
  if (!session.me) {
    const next = pathname === "/app/" ? "" : `?next=${encodeURIComponent(pathname + location.search)}`;
    return `/app/signin${next}`;
  }
  if (pathname === "/app/" && isStaff()) return "/app/clinician/patients";
  if (isCaregiver() && !session.helping && (options.role === "patient" || pathname === "/app/")) return "/app/helping";
  if (options.role === "patient" && !isPatient() && !helpingSomeone()) return isStaff() ? "/app/clinician/patients" : "/app/";
  if (options.role === "patient-only" && !isPatient()) return "/app/";
  if (options.role === "caregiver" && !isCaregiver()) return "/app/";
  if (options.role === "staff" && !isStaff()) return "/app/";
  return null;
}

/** The server refused the outbox as signed out (the session ran out): sign in again, same person, and it is sent. */
async function signInAgainIfSignedOut() {
  try {
    if (await loadSession()) return;
  } catch (error) {
    return;
  }
  renderChrome();
  navigate(`/app/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
}

/** The app speaks the signed-in person's language (their profile), before sign-in the browser's. */
async function useLanguage({ rerender = false } = {}) {
  const me = session.me;
  await setLanguage(me && me.language ? me.language : browserLanguage(), { rerender });
}

/** After a sign-in: the language, the navigation, sending what waits in the outbox, filling the offline copy. */
export async function startSignedIn() {
  await useLanguage();
  renderChrome();
  if (!syncStarted) {
    syncStarted = true;
    startSync();
  } else syncNow();
  await renderBanners();
  if (isPatient()) warmPatientCache();
}

export async function boot() {
  setGuard(guard);
  setAfterRender((pathname) => {
    markActive(pathname);
    refreshUnread();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refreshUnread();
  });
  startRouter();
  registerServiceWorker();
  onOutboxChange((items, report) => {
    for (const { item } of (report && report.duplicates) || []) {
      notices.push(
        item.kind === "checkin"
          ? interpolate(gettext("%(record)s was not sent: that day already has a check-in (perhaps from another phone). Open the check-in for that day to see it."), { record: item.label }, true)
          : interpolate(gettext("%(record)s was already recorded, so it was not sent again."), { record: item.label }, true),
      );
    }
    renderBanners(items);
    if (report && report.sent.length && currentRouteOptions().refreshOnSync) refresh();
    if (report && report.authNeeded) signInAgainIfSignedOut();
  });
  window.addEventListener("online", () => renderBanners());
  window.addEventListener("offline", () => renderBanners());
  let signedIn = false;
  try {
    signedIn = await loadSession();
  } catch (error) {
    console.error(error);
  }
  // A change of language (Settings) draws everything again in place: no reload, nothing typed is sent.
  onLanguageChange(async () => {
    renderChrome();
    await renderBanners();
    await refresh();
  });
  if (signedIn) await startSignedIn();
  else {
    await useLanguage();
    renderChrome();
  }
  await render();
}

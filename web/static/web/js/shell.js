// The frame around the screens: navigation, the offline and "saved on this phone" banners, the service worker, and
// the start-up sequence (who is signed in, then the screen the URL names).

import { isOnline } from "./api.js";
import { warmPatientCache } from "./data.js";
import { clear, h, svg } from "./dom.js";
import { currentRouteOptions, navigate, refresh, render, setAfterRender, setGuard, startRouter } from "./router.js";
import { isPatient, isStaff, loadSession, session } from "./session.js";
import { discard, onOutboxChange, outboxItems, startSync, syncNow } from "./sync.js";

const PATIENT_TABS = [
  { href: "/app/", label: "Today", icon: "M4 5h16v15H4zM4 9h16M9 3v4M15 3v4" },
  { href: "/app/checkin", label: "Check in", icon: "M5 12l4 4 10-10" },
  { href: "/app/exercises", label: "Exercise", icon: "M12 4a2 2 0 1 1 0 .1M8 21l2-7-3-3 5-3 3 4h3M10 14l4 2v5" },
  { href: "/app/progress", label: "Progress", icon: "M4 20V4M4 20h16M7 15l4-4 3 3 5-6" },
  { href: "/app/inbox", label: "Inbox", icon: "M4 6h16v12H4zM4 7l8 6 8-6" },
];
const STAFF_LINKS = [
  { href: "/app/clinician/patients", label: "Patients" },
  { href: "/app/clinician/alerts", label: "Alerts" },
  { href: "/app/inbox", label: "Inbox" },
  { href: "/app/settings", label: "Settings" },
];

let syncStarted = false;
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

/** Navigation for whoever is signed in: a tab bar for patients (thumb reach), a top bar for clinic staff. */
export function renderChrome() {
  const tabbar = clear(document.getElementById("tabbar"));
  const topnav = clear(document.getElementById("topnav"));
  document.body.classList.toggle("is-staff", isStaff());
  document.body.classList.toggle("is-patient", isPatient());
  if (isPatient()) {
    tabbar.hidden = false;
    for (const tab of PATIENT_TABS) {
      tabbar.append(h("a", { class: "tab", href: tab.href, dataset: { href: tab.href } }, icon(tab.icon), h("span", {}, tab.label)));
    }
    topnav.append(h("a", { class: "topnav-link", href: "/app/settings", dataset: { href: "/app/settings" } }, "Settings"));
  } else {
    tabbar.hidden = true;
    if (isStaff()) {
      for (const link of STAFF_LINKS) {
        topnav.append(h("a", { class: "topnav-link", href: link.href, dataset: { href: link.href } }, link.label));
      }
    }
  }
  markActive(location.pathname);
}

function markActive(pathname) {
  for (const link of document.querySelectorAll("#tabbar a, #topnav a")) {
    if (isActive(link.dataset.href, pathname)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

async function renderBanners(items) {
  const box = clear(document.getElementById("banners"));
  if (!session.me) return;
  const list = items || (await outboxItems());
  const pending = list.filter((item) => item.state === "pending");
  const problems = list.filter((item) => item.state === "conflict" || item.state === "rejected");
  if (!isOnline()) {
    box.append(
      h(
        "p",
        { class: "banner banner-offline" },
        h("strong", {}, "You are offline. "),
        isPatient() ? "You can still check in and record your exercises." : "You are seeing the last information loaded.",
      ),
    );
  }
  if (pending.length) {
    box.append(
      h(
        "p",
        { class: "banner banner-saved", dataset: { pending: String(pending.length) } },
        h("strong", {}, "Saved on this phone"),
        ` — will send when you're online (${plural(pending.length, "record", "records")}).`,
      ),
    );
  }
  notices.forEach((text, index) => {
    box.append(
      h(
        "div",
        { class: "banner banner-problem" },
        h("p", {}, text),
        h("button", { type: "button", class: "button", onclick: () => notices.splice(index, 1) && renderBanners() }, "OK"),
      ),
    );
  });
  for (const item of problems) {
    const reason =
      item.state === "conflict"
        ? "it was changed somewhere else in the meantime"
        : (item.error && item.error.detail) || "the server did not accept it";
    box.append(
      h(
        "div",
        { class: "banner banner-problem" },
        h("p", {}, h("strong", {}, `${item.label || "A record"} was not sent: `), `${reason}.`),
        h(
          "div",
          { class: "button-row" },
          h("a", { class: "button", href: item.reviewPath || "/app/" }, "Review it"),
          h("button", { type: "button", class: "button", onclick: () => discard(item.id) }, "Delete it"),
        ),
      ),
    );
  }
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register(document.body.dataset.serviceWorker || "/sw.js", { scope: "/app/" });
  } catch (error) {
    console.warn("The service worker could not be registered:", error);
  }
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "navigate" && typeof event.data.path === "string") {
      if (event.data.path.startsWith("/app/")) navigate(event.data.path);
    }
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
  if (options.role === "patient" && !isPatient()) return isStaff() ? "/app/clinician/patients" : "/app/";
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

/** After a sign-in: the navigation, sending what waits in the outbox, filling the offline copy. */
export async function startSignedIn() {
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
  setAfterRender(markActive);
  startRouter();
  registerServiceWorker();
  onOutboxChange((items, report) => {
    for (const { item } of (report && report.duplicates) || []) {
      notices.push(
        item.kind === "checkin"
          ? `${item.label} was not sent: that day already has a check-in (perhaps from another phone). Open the check-in for that day to see it.`
          : `${item.label} was already recorded, so it was not sent again.`,
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
  if (signedIn) await startSignedIn();
  else renderChrome();
  await render();
}

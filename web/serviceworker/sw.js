// @ts-check
/* MILD Recovery service worker.
 *
 * Served by web.views.service_worker, which fills in the shell version, the files to precache and the static URL.
 * - The app shell (the page, scripts, styles, icons) is precached in a cache named after the version; older caches
 *   are deleted when a new worker activates. A new version installs and then waits until the page, which shows
 *   "Update ready", asks it to take over (message "skip-waiting"); the page then reloads. Pages are fetched network-first (fresh HTML and CSRF cookie), falling
 *   back to the cached shell offline; static files come from the cache first.
 * - API calls are never cached here: the app keeps the last data it saw per signed-in person in IndexedDB, and the
 *   offline outbox lives there too (outbox.js, shared with the page).
 * - Background Sync, where the browser has it, sends the outbox; the page also sends it on start and on `online`.
 * - Web Push: shows the notification ({title, body, url}) and opens the right screen when it is tapped. A
 *   notification that comes without words of its own gets them in the language the app last used (the page tells
 *   this worker; the texts come from the cached catalog, /app/i18n/<code>.json).
 * - The app's catalogs of every language are precached with the shell and served from the cache (offline too).
 */
"use strict";

const VERSION = "__SHELL_VERSION__";
const CACHE_PREFIX = "mild-shell-";
const CACHE = CACHE_PREFIX + VERSION;
const PRECACHE = __PRECACHE_URLS__;
const STATIC_URL = __STATIC_URL__;
const SHELL_URL = "/app/";
const SYNC_TAG = "mild-outbox";
const NETWORK_TIMEOUT_MS = 6000;
const CATALOG_PATH = "/app/i18n/";
// The language the app last used, kept in this version's cache (the page says it again each time it starts).
const LANGUAGE_KEY = "/app/i18n/active-language";
/** `self`, typed as what it is here: a service worker's scope (with the outbox importScripts adds below). */
const worker = /** @type {ServiceWorkerGlobalScope & typeof globalThis & {MildOutbox: {flush(options: object): Promise<OutboxReport>}}} */ (self);

importScripts(STATIC_URL + "web/js/outbox.js");

worker.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // "reload": bypass the HTTP cache so the precache matches this version exactly.
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload", credentials: "same-origin" })));
      // A new version waits while an older one controls open pages: the page shows "Update ready" and the person
      // reloads when they choose ("skip-waiting" below), never in the middle of a check-in.
    })(),
  );
});

worker.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
      );
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  // Data goes straight to the network; the page decides what to keep for offline use.
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/_allauth/")) return;
  if (request.mode === "navigate") {
    if (url.pathname.startsWith(SHELL_URL)) event.respondWith(shellPage(request));
    return;
  }
  if (url.pathname.startsWith(STATIC_URL) || url.pathname === "/app/manifest.webmanifest" || url.pathname.startsWith(CATALOG_PATH)) {
    event.respondWith(cacheFirst(request));
  }
});

async function shellPage(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok && (response.headers.get("Content-Type") || "").startsWith("text/html")) {
      await cache.put(SHELL_URL, response.clone());
    }
    return response;
  });
  // A slow connection must not keep an older person waiting: after a while the cached shell is served instead.
  network.catch(() => null); // when the timeout wins, a later failure is expected and handled below
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS, null));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch (error) {
    // offline: fall through to the cached shell
  }
  const cached = (await cache.match(SHELL_URL)) || (await caches.match(SHELL_URL));
  return cached || network;
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname.startsWith(STATIC_URL + "web/")) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

// --- Offline outbox ---------------------------------------------------------------------------------------------

worker.addEventListener("sync", (event) => {
  // Background Sync's SyncEvent is not in TypeScript's worker types.
  const sync = /** @type {ExtendableEvent & {tag: string}} */ (event);
  if (sync.tag === SYNC_TAG) sync.waitUntil(syncOutbox());
});

worker.addEventListener("message", (event) => {
  if (event.data && event.data.type === "sync") event.waitUntil(syncOutbox());
  if (event.data && event.data.type === "skip-waiting") event.waitUntil(worker.skipWaiting());
  if (event.data && event.data.type === "language" && typeof event.data.code === "string") {
    event.waitUntil(rememberLanguage(event.data.code));
  }
});

async function syncOutbox() {
  // An open window sends it itself (it has the freshest CSRF token and shows the result).
  const windows = await worker.clients.matchAll({ type: "window" });
  if (windows.length) {
    windows.forEach((client) => client.postMessage({ type: "sync" }));
    return;
  }
  const report = await worker.MildOutbox.flush({});
  if (report.offline || (report.remaining > 0 && !report.authNeeded)) {
    // Rejecting makes the browser try this sync again later.
    throw new Error("The outbox is not empty yet.");
  }
}

// --- Languages ------------------------------------------------------------------------------------------------------

async function rememberLanguage(code) {
  const cache = await caches.open(CACHE);
  await cache.put(LANGUAGE_KEY, new Response(code, { headers: { "Content-Type": "text/plain" } }));
}

/** The app's language and a gettext over its cached catalog (English, the texts as written, when there is none). */
async function appTexts() {
  let code = "en";
  /** @type {Record<string, string | string[]>} */
  let catalog = {};
  try {
    const saved = await (await caches.open(CACHE)).match(LANGUAGE_KEY);
    if (saved) code = (await saved.text()) || "en";
    const response = code === "en" ? null : await caches.match(CATALOG_PATH + code + ".json");
    if (response) catalog = (await response.json()).catalog || {};
  } catch (error) {
    code = "en";
  }
  /** @param {string} msgid */
  const gettext = (msgid) => {
    const value = catalog[msgid];
    return typeof value === "string" && value ? value : msgid;
  };
  return { code, gettext };
}

// --- Web Push -------------------------------------------------------------------------------------------------------

worker.addEventListener("push", (event) => {
  let payload = {};
  if (event.data) {
    try {
      payload = event.data.json();
    } catch (error) {
      payload = { body: event.data.text() };
    }
  }
  event.waitUntil(
    (async () => {
      // The server writes reminders in the recipient's language; only the fallbacks are written here.
      const { code, gettext } = await appTexts();
      const options = {
        body: payload.body || gettext("You have a new message. Open the app to read it."),
        icon: STATIC_URL + "web/icons/icon-192.png",
        badge: STATIC_URL + "web/icons/icon-192.png",
        lang: payload.lang || code,
        data: { url: appPath(payload.url) },
      };
      if (payload.tag) options.tag = payload.tag;
      await worker.registration.showNotification(payload.title || gettext("MILD Recovery"), options);
      // An open app updates its inbox badge: a push comes with a message in the inbox.
      const windows = await worker.clients.matchAll({ type: "window" });
      windows.forEach((client) => client.postMessage({ type: "pushed" }));
    })(),
  );
});

worker.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = appPath(event.notification.data && event.notification.data.url);
  event.waitUntil(openScreen(path));
});

/** Only screens of this app are opened: the path (and query) of the URL, never another site. */
function appPath(url) {
  try {
    const parsed = new URL(url || SHELL_URL, worker.location.origin);
    if (!parsed.pathname.startsWith(SHELL_URL)) return SHELL_URL;
    return parsed.pathname + parsed.search;
  } catch (error) {
    return SHELL_URL;
  }
}

/** The screen a tapped notification is about: an open window of the app goes there, else a new window opens. */
async function openScreen(path) {
  const target = new URL(path, worker.location.origin).href;
  const windows = await worker.clients.matchAll({ type: "window", includeUncontrolled: true });
  const exact = windows.find((client) => client.url === target);
  if (exact) return exact.focus().catch(() => exact);
  const app = windows.find((client) => new URL(client.url).pathname.startsWith(SHELL_URL));
  if (app) {
    // Told first, then focused: the screen changes even where the browser refuses the focus.
    app.postMessage({ type: "navigate", path });
    return app.focus().catch(() => app);
  }
  return worker.clients.openWindow(target);
}

/* MILD Recovery service worker.
 *
 * Served by web.views.service_worker, which fills in the shell version, the files to precache and the static URL.
 * - The app shell (the page, scripts, styles, icons) is precached in a cache named after the version; older caches
 *   are deleted when a new worker activates. Pages are fetched network-first (fresh HTML and CSRF cookie), falling
 *   back to the cached shell offline; static files come from the cache first.
 * - API calls are never cached here: the app keeps the last data it saw per signed-in person in IndexedDB, and the
 *   offline outbox lives there too (outbox.js, shared with the page).
 * - Background Sync, where the browser has it, sends the outbox; the page also sends it on start and on `online`.
 * - Web Push: shows the notification ({title, body, url}) and opens the right screen when it is tapped.
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

importScripts(STATIC_URL + "web/js/outbox.js");

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // "reload": bypass the HTTP cache so the precache matches this version exactly.
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload", credentials: "same-origin" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Data goes straight to the network; the page decides what to keep for offline use.
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/_allauth/")) return;
  if (request.mode === "navigate") {
    if (url.pathname.startsWith(SHELL_URL)) event.respondWith(shellPage(request));
    return;
  }
  if (url.pathname.startsWith(STATIC_URL) || url.pathname === "/app/manifest.webmanifest") {
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

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(syncOutbox());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "sync") event.waitUntil(syncOutbox());
});

async function syncOutbox() {
  // An open window sends it itself (it has the freshest CSRF token and shows the result).
  const windows = await self.clients.matchAll({ type: "window" });
  if (windows.length) {
    windows.forEach((client) => client.postMessage({ type: "sync" }));
    return;
  }
  const report = await self.MildOutbox.flush({});
  if (report.offline || (report.remaining > 0 && !report.authNeeded)) {
    // Rejecting makes the browser try this sync again later.
    throw new Error("The outbox is not empty yet.");
  }
}

// --- Web Push -------------------------------------------------------------------------------------------------------

self.addEventListener("push", (event) => {
  let payload = {};
  if (event.data) {
    try {
      payload = event.data.json();
    } catch (error) {
      payload = { body: event.data.text() };
    }
  }
  const options = {
    body: payload.body || "",
    icon: STATIC_URL + "web/icons/icon-192.png",
    badge: STATIC_URL + "web/icons/icon-192.png",
    lang: "en",
    data: { url: appPath(payload.url) },
  };
  if (payload.tag) options.tag = payload.tag;
  event.waitUntil(self.registration.showNotification(payload.title || "MILD Recovery", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = appPath(event.notification.data && event.notification.data.url);
  event.waitUntil(openScreen(path));
});

/** Only screens of this app are opened: the path (and query) of the URL, never another site. */
function appPath(url) {
  try {
    const parsed = new URL(url || SHELL_URL, self.location.origin);
    if (!parsed.pathname.startsWith(SHELL_URL)) return SHELL_URL;
    return parsed.pathname + parsed.search;
  } catch (error) {
    return SHELL_URL;
  }
}

async function openScreen(path) {
  const target = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const exact = windows.find((client) => client.url === target);
  if (exact) return exact.focus();
  const app = windows.find((client) => new URL(client.url).pathname.startsWith(SHELL_URL));
  if (app) {
    const focused = await app.focus();
    app.postMessage({ type: "navigate", path });
    return focused;
  }
  return self.clients.openWindow(target);
}

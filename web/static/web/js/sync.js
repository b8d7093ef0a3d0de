// @ts-check
// Sending the outbox: on app start, whenever the phone comes back online, when the app comes back to the foreground,
// and from the service worker's background sync where the browser has it (never relied on).

import "./outbox.js";
import { csrfToken, isOnline, patientHeaders } from "./api.js";
import { userId } from "./store.js";

const box = globalThis.MildOutbox;
const SYNC_TAG = "mild-outbox";
const listeners = new Set();
/** @type {Promise<OutboxReport | null> | null} */
let running = null;
/** @type {OutboxReport | null} */
let lastReport = null;

/** fn(items, report) after every change of the outbox and after every attempt to send it. */
export function onOutboxChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function outboxItems() {
  const id = userId();
  return id ? box.items(id) : [];
}

async function changed(report) {
  const items = await outboxItems();
  for (const fn of [...listeners]) {
    try {
      fn(items, report || null);
    } catch (error) {
      console.error(error);
    }
  }
}

async function requestBackgroundSync() {
  try {
    const registration = navigator.serviceWorker && (await navigator.serviceWorker.getRegistration("/app/"));
    // Background Sync is not in every browser (nor in TypeScript's DOM types).
    const withSync = /** @type {(ServiceWorkerRegistration & {sync?: {register(tag: string): Promise<void>}}) | undefined} */ (registration);
    if (withSync && withSync.sync) await withSync.sync.register(SYNC_TAG);
  } catch (error) {
    // Not supported or not allowed: the `online` event and the next app start send it instead.
  }
}

/**
 * Keep a write on the phone until the server has it. `item`: {id, kind, method, url, body, ifMatch?, label, ...}.
 * The same id replaces an earlier unsent version (an edit made before the first one went out).
 */
export async function enqueue(item, { send = true } = {}) {
  const id = userId();
  await box.put("outbox", {
    ...item,
    // A caregiver's record goes to the patient they were helping when they made it, whoever they help later.
    patient: item.patient || patientHeaders()["X-Patient"] || null,
    userId: id,
    state: "pending",
    attempts: 0,
    createdAt: item.createdAt || new Date().toISOString(),
  });
  await changed();
  await requestBackgroundSync();
  if (send && isOnline()) syncNow();
}

/**
 * Keep a write in the outbox and send it now when online. Resolves to what became of it:
 * {outcome: "sent", data} | {outcome: "duplicate", data} (409) | {outcome: "conflict", latest} (412/428) |
 * {outcome: "rejected", error} (400/404: shown to the person, who can correct it) | {outcome: "queued"} (saved on
 * this phone, to be sent when back online). Rejected and conflicting items leave the outbox: the form shows them.
 */
export async function submit(item) {
  await enqueue(item, { send: false });
  for (let attempt = 0; attempt < 2 && isOnline(); attempt += 1) {
    const report = await syncNow();
    if (!report) break;
    const find = (list) => list.find((entry) => entry.item.id === item.id);
    let entry = find(report.sent);
    if (entry) return { outcome: "sent", data: entry.data, status: entry.status };
    entry = find(report.duplicates);
    if (entry) return { outcome: "duplicate", data: entry.data };
    entry = find(report.conflicts);
    if (entry) {
      await discard(item.id);
      return { outcome: "conflict", latest: entry.latest };
    }
    entry = find(report.rejected);
    if (entry) {
      await discard(item.id);
      return { outcome: "rejected", error: entry.data };
    }
    if (report.offline || report.authNeeded) return { outcome: "queued", authNeeded: report.authNeeded };
    // Not reached in that run (one was already under way, or an older item waits for the server): once more.
  }
  return { outcome: "queued" };
}

export async function discard(itemId) {
  await box.remove("outbox", itemId);
  await changed();
}

export function lastSyncReport() {
  return lastReport;
}

/** Send what is pending now (one run at a time); resolves to the report of outbox.js's flush. */
export function syncNow() {
  if (running) return running;
  running = (async () => {
    const id = userId();
    if (!id || !isOnline()) return null;
    await box.setMeta("csrfToken", csrfToken());
    const report = await box.flush({ userId: id, csrfToken: csrfToken() });
    lastReport = report;
    await changed(report);
    return report;
  })().finally(() => {
    running = null;
  });
  return running;
}

export function startSync() {
  window.addEventListener("online", () => {
    changed();
    syncNow();
  });
  window.addEventListener("offline", () => changed());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") syncNow();
  });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "sync") syncNow();
    });
  }
  syncNow();
}

// @ts-check
/* The app's local store in IndexedDB: the offline outbox, the last data seen (per person) and a little metadata.
 *
 * Shared by the page (imported for its side effect) and the service worker (importScripts), so it has no import or
 * export: it publishes globalThis.MildOutbox.
 *
 * An outbox item is one write the server has not confirmed yet: a check-in PUT (its id is the client-made UUID), an
 * exercise record PUT (addressed by the session's key) or an assessment POST. Items keep the exact body they were
 * made with, so sending one again is a replay the server recognises and never stores twice. Sending stops at the
 * first network failure and is tried again on the next `online` event, app start or background sync.
 */
/**
 * What one flush did: items the server confirmed (`sent`, `duplicates`), found changed elsewhere (`conflicts`, with
 * the server's latest copy) or refused (`rejected`); whether the network or the sign-in stopped it; what is left.
 * @typedef {{sent: any[], duplicates: any[], conflicts: any[], rejected: any[], offline: boolean, authNeeded: boolean, remaining: number}} OutboxReport
 */
(function (root) {
  "use strict";

  const DB_NAME = "mild-recovery";
  const DB_VERSION = 1;
  const STORES = [
    ["outbox", "id"],
    ["cache", "key"],
    ["meta", "key"],
  ];
  const LOCK_NAME = "mild-outbox";
  /** @type {Promise<IDBDatabase> | null} */
  let opening = null;

  function openDb() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = root.indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          for (const [name, keyPath] of STORES) {
            if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath });
          }
        };
        request.onsuccess = () => {
          const db = request.result;
          db.onversionchange = () => {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        request.onerror = () => {
          opening = null;
          reject(request.error);
        };
      });
    }
    return opening;
  }

  async function run(storeName, mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(storeName, mode);
      const request = work(transaction.objectStore(storeName));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  const get = (store, key) => run(store, "readonly", (s) => s.get(key));
  const put = (store, value) => run(store, "readwrite", (s) => s.put(value));
  const remove = (store, key) => run(store, "readwrite", (s) => s.delete(key));
  const all = (store) => run(store, "readonly", (s) => s.getAll());
  const clear = (store) => run(store, "readwrite", (s) => s.clear());

  async function getMeta(key) {
    const row = await get("meta", key);
    return row ? row.value : null;
  }

  function setMeta(key, value) {
    return put("meta", { key, value });
  }

  /** One sender at a time across the page(s) and the worker; replays would be harmless, this just saves requests. */
  function withLock(work) {
    const locks = root.navigator && root.navigator.locks;
    return locks ? locks.request(LOCK_NAME, work) : work();
  }

  async function items(userId) {
    const rows = await all("outbox");
    return rows
      .filter((item) => item.userId === userId)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch (error) {
      return null;
    }
  }

  /**
   * Send the signed-in person's pending items, oldest first. Returns what happened:
   * sent (stored or replayed: 200/201), duplicates (409: that day or measure was already recorded under another id,
   * nothing more to send), conflicts (412/428: changed elsewhere since; the server's version is fetched and kept
   * beside ours for the person to decide), rejected (400/404: the server will never take it as it is), offline,
   * authNeeded (401/403: sign in again, or a stale CSRF token), remaining (still pending).
   */
  async function flush(options) {
    const opts = options || {};
    return withLock(async () => {
      const doFetch = opts.fetch || root.fetch.bind(root);
      const csrfToken = opts.csrfToken || (await getMeta("csrfToken")) || "";
      const userId = opts.userId || (await getMeta("userId"));
      /** @type {OutboxReport} */
      const report = { sent: [], duplicates: [], conflicts: [], rejected: [], offline: false, authNeeded: false, remaining: 0 };
      if (!userId) return report;
      for (const item of await items(userId)) {
        if (item.state !== "pending") continue;
        const headers = { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken };
        if (item.ifMatch) headers["If-Match"] = item.ifMatch;
        if (item.patient) headers["X-Patient"] = item.patient;
        let response;
        try {
          response = await doFetch(item.url, {
            method: item.method,
            headers,
            body: JSON.stringify(item.body),
            credentials: "same-origin",
          });
        } catch (error) {
          report.offline = true;
          break;
        }
        const status = response.status;
        const data = await readJson(response);
        if (status === 200 || status === 201) {
          await remove("outbox", item.id);
          report.sent.push({ item, status, data });
        } else if (status === 409) {
          await remove("outbox", item.id);
          report.duplicates.push({ item, data });
        } else if (status === 412 || status === 428) {
          let latest = null;
          try {
            const again = item.patient ? { Accept: "application/json", "X-Patient": item.patient } : { Accept: "application/json" };
            const current = await doFetch(item.url, { headers: again, credentials: "same-origin" });
            if (current.ok) latest = await current.json();
          } catch (error) {
            latest = null;
          }
          await put("outbox", { ...item, state: "conflict", latest });
          report.conflicts.push({ item, latest });
        } else if (status === 401 || status === 403) {
          report.authNeeded = true;
          break;
        } else if (status === 400 || status === 404) {
          await put("outbox", { ...item, state: "rejected", error: data });
          report.rejected.push({ item, data });
        } else {
          // Busy or broken for now (429, 5xx): keep it and try again later.
          await put("outbox", { ...item, attempts: (item.attempts || 0) + 1, lastStatus: status });
          break;
        }
      }
      report.remaining = (await items(userId)).filter((item) => item.state === "pending").length;
      return report;
    });
  }

  root.MildOutbox = { openDb, get, put, remove, all, clear, getMeta, setMeta, items, flush };
})(globalThis);

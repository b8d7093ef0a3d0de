// @ts-check
// What the app keeps on the phone, per signed-in person: the last data each screen saw (so it opens offline) and the
// outbox (see outbox.js). Everything is wiped at sign-out.

import "./outbox.js";
import { OfflineError } from "./api.js";

const box = globalThis.MildOutbox;
let currentUserId = null;

export function userId() {
  return currentUserId;
}

export async function setUser(id) {
  currentUserId = id;
  await box.setMeta("userId", id);
}

export async function remember(name, value) {
  if (!currentUserId) return;
  await box.put("cache", { key: `${currentUserId}:${name}`, value, savedAt: new Date().toISOString() });
}

export async function recall(name) {
  if (!currentUserId) return null;
  const row = await box.get("cache", `${currentUserId}:${name}`);
  return row ? { value: row.value, savedAt: row.savedAt } : null;
}

/** @typedef {{data: any, savedAt: string, fromCache: boolean}} Loaded */

/**
 * Fresh data when the network answers (and remembered for next time); the last copy when it does not.
 * Resolves to {data, savedAt, fromCache}; without a network and without a copy, throws OfflineError.
 * @param {string} name
 * @param {() => Promise<any>} fetcher
 * @returns {Promise<Loaded>}
 */
export async function load(name, fetcher) {
  try {
    const data = await fetcher();
    await remember(name, data);
    return { data, savedAt: new Date().toISOString(), fromCache: false };
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    const copy = await recall(name);
    if (!copy) throw error;
    return { data: copy.value, savedAt: copy.savedAt, fromCache: true };
  }
}

export async function forgetEverything() {
  currentUserId = null;
  await Promise.all([box.clear("outbox"), box.clear("cache"), box.clear("meta")]);
}

export async function getMeta(key) {
  return box.getMeta(key);
}

export async function setMeta(key, value) {
  return box.setMeta(key, value);
}

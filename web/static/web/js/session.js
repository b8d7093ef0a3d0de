// @ts-check
// Who is signed in. Sign-in goes through allauth's headless browser API (session cookie + CSRF); the person's role,
// clinic and profile come from /api/v1/me. Offline, the last /me seen on this phone stands in, so screens still open.

import { ApiError, OfflineError, api, request, setPatientHeader } from "./api.js";
import { forgetEverything, getMeta, setMeta, setUser } from "./store.js";

const AUTH = "/_allauth/browser/v1/auth";

/**
 * @typedef {{id: string, email: string, full_name: string, role: string, language?: string, clinic: any, patient: any}} Me
 */

/**
 * @typedef {{patient: string, full_name: string, clinic: string, time_zone: string, relationship: string,
 *   grants: string[]}} Helping
 */

/** @type {{me: Me | null, offline: boolean, helping: Helping | null}} */
export const session = {
  me: null, // /api/v1/me: {id, email, full_name, role, clinic, patient}
  offline: false, // true when `me` is the copy kept on the phone
  helping: null, // a caregiver's choice of patient (/api/v1/me/caring-for), kept on this phone
};

/** The person signed in, on a screen whose route needs someone signed in (the router made sure of it). */
export function signedInPerson() {
  if (!session.me) throw new Error("Nobody is signed in.");
  return session.me;
}

export function isStaff() {
  return Boolean(session.me && (session.me.role === "clinician" || session.me.role === "clinic_admin"));
}

export function isCaregiver() {
  return Boolean(session.me && session.me.role === "caregiver");
}

/**
 * A caregiver chooses the patient they are helping (null: none yet). Every request then names her (X-Patient), and
 * what the phone keeps (the offline copy, unsent records) is kept apart per patient.
 */
export async function setHelping(choice) {
  const me = signedInPerson();
  session.helping = choice;
  setPatientHeader(choice ? choice.patient : null);
  if (choice) localStorage.setItem(`helping:${me.id}`, JSON.stringify(choice));
  else localStorage.removeItem(`helping:${me.id}`);
  await setUser(choice ? `${me.id}:${choice.patient}` : me.id);
}

async function restoreHelping() {
  if (!isCaregiver() || !session.me) return;
  const kept = localStorage.getItem(`helping:${session.me.id}`);
  await setHelping(kept ? JSON.parse(kept) : null);
}

export function isPatient() {
  return Boolean(session.me && session.me.role === "patient");
}

async function loadMe(known) {
  const me = known || (await api.get("/api/v1/me"));
  session.me = me;
  session.offline = false;
  await setUser(me.id);
  await setMeta("me", me);
  await restoreHelping();
}

/**
 * Find out who is signed in: true when someone is (online or, offline, from the copy on the phone). Asks
 * /api/v1/session, which answers 200 signed in or not, so a signed-out start logs no error in the console.
 */
export async function loadSession() {
  try {
    const state = await api.get("/api/v1/session");
    if (!state.signed_in) {
      session.me = null;
      return false;
    }
  } catch (error) {
    if (error instanceof OfflineError) {
      const me = await getMeta("me");
      if (!me) return false;
      session.me = me;
      session.offline = true;
      await setUser(me.id);
      await restoreHelping();
      return true;
    }
    if (error instanceof ApiError && (error.status === 401 || error.status === 410)) {
      session.me = null;
      return false;
    }
    throw error;
  }
  await loadMe();
  return true;
}

/** Sign in; resolves to "ok", or "mfa" when an authenticator code is needed next. Throws ApiError otherwise. */
export async function signIn(email, password) {
  const previous = await getMeta("me");
  try {
    await request("POST", `${AUTH}/login`, { body: { email, password } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && pendingMfa(error.body)) return "mfa";
    throw error;
  }
  await afterSignIn(previous);
  return "ok";
}

function pendingMfa(body) {
  const flows = (body && body.data && body.data.flows) || [];
  return flows.some((flow) => flow.id === "mfa_authenticate" && flow.is_pending);
}

export async function authenticateMfa(code) {
  const previous = await getMeta("me");
  await request("POST", `${AUTH}/2fa/authenticate`, { body: { code } });
  await afterSignIn(previous);
}

async function afterSignIn(previous) {
  // Someone else used this phone before: their data and unsent records must not mix with this person's.
  const me = await api.get("/api/v1/me");
  if (previous && previous.id !== me.id) await forgetEverything();
  await loadMe(me);
}

/** Confirm the password again (for data export): allauth's reauthentication. */
export async function reauthenticate(password) {
  await request("POST", `${AUTH}/reauthenticate`, { body: { password } });
}

export async function signOut() {
  try {
    await request("DELETE", `${AUTH}/session`);
  } catch (error) {
    // 401 is allauth's answer to a successful sign-out; offline, the phone forgets the person anyway.
    if (!(error instanceof ApiError) && !(error instanceof OfflineError)) throw error;
  }
  if (session.me) localStorage.removeItem(`helping:${session.me.id}`);
  session.me = null;
  session.helping = null;
  setPatientHeader(null);
  await forgetEverything();
}

export async function requestPasswordReset(email) {
  await request("POST", `${AUTH}/password/request`, { body: { email } });
}

export async function resetPassword(key, password) {
  try {
    await request("POST", `${AUTH}/password/reset`, { body: { key, password } });
  } catch (error) {
    // With ACCOUNT_LOGIN_ON_PASSWORD_RESET off, success is a 401 saying "now sign in".
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}

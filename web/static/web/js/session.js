// Who is signed in. Sign-in goes through allauth's headless browser API (session cookie + CSRF); the person's role,
// clinic and profile come from /api/v1/me. Offline, the last /me seen on this phone stands in, so screens still open.

import { ApiError, OfflineError, api, request } from "./api.js";
import { forgetEverything, getMeta, setMeta, setUser } from "./store.js";

const AUTH = "/_allauth/browser/v1/auth";

export const session = {
  me: null, // /api/v1/me: {id, email, full_name, role, clinic, patient}
  offline: false, // true when `me` is the copy kept on the phone
};

export function isStaff() {
  return Boolean(session.me && session.me.role !== "patient");
}

export function isPatient() {
  return Boolean(session.me && session.me.role === "patient");
}

async function loadMe(known) {
  session.me = known || (await api.get("/api/v1/me"));
  session.offline = false;
  await setUser(session.me.id);
  await setMeta("me", session.me);
}

/** Find out who is signed in: true when someone is (online or, offline, from the copy on the phone). */
export async function loadSession() {
  try {
    await request("GET", `${AUTH}/session`);
  } catch (error) {
    if (error instanceof OfflineError) {
      const me = await getMeta("me");
      if (!me) return false;
      session.me = me;
      session.offline = true;
      await setUser(me.id);
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
  session.me = null;
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

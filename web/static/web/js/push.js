// @ts-check
// Web Push on this phone: subscribe with the server's VAPID key and register the subscription with the API. Always
// started by a tap (browsers ask for permission only after a user gesture).

import { api } from "./api.js";
import { gettext } from "./i18n.js";

export function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

export function pushPermission() {
  return pushSupported() ? Notification.permission : "unsupported";
}

async function registration() {
  return navigator.serviceWorker.getRegistration("/app/");
}

export async function currentSubscription() {
  if (!pushSupported()) return null;
  const reg = await registration();
  return reg ? reg.pushManager.getSubscription() : null;
}

function keyBytes(base64url) {
  const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

export async function turnOnPush() {
  if (!pushSupported()) {
    throw new Error(gettext("This browser cannot show reminders. You still get them in the app's inbox."));
  }
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    throw new Error(gettext("Reminders are blocked for this app. You can allow notifications for this site in your browser's settings."));
  }
  const { public_key: publicKey } = await api.get("/api/v1/push/vapid-public-key");
  if (!publicKey) throw new Error(gettext("Phone reminders are not set up on this server yet. You still get them in the app's inbox."));
  const reg = await navigator.serviceWorker.ready;
  let subscription = await reg.pushManager.getSubscription();
  if (!subscription) {
    try {
      subscription = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
    } catch (error) {
      throw new Error(gettext("This phone could not turn on reminders just now. Please try again later."));
    }
  }
  try {
    await api.post("/api/v1/me/push-subscriptions", subscription.toJSON());
  } catch (error) {
    // Not registered with us: do not leave the phone thinking it is on.
    await subscription.unsubscribe().catch(() => null);
    throw error;
  }
}

export async function turnOffPush() {
  const subscription = await currentSubscription();
  if (!subscription) return;
  const registered = await api.get("/api/v1/me/push-subscriptions");
  for (const entry of registered) {
    if (entry.endpoint === subscription.endpoint) await api.delete(`/api/v1/me/push-subscriptions/${entry.id}`);
  }
  await subscription.unsubscribe();
}

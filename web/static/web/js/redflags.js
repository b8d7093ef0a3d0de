// @ts-check
// What to do now, for the red-flag answers given: worked out on the phone from the cached forms, so an emergency
// answer shows its instruction at once, also offline. When the server answers, its `instruction` replaces this one.

import { h } from "./dom.js";
import { gettext, interpolate, intlLocale } from "./i18n.js";

const TIER_ORDER = ["emergency", "urgent"];

export function highestTier(forms, yesKeys) {
  const tiers = new Set(
    (forms.red_flag_questions || []).filter((q) => yesKeys.includes(q.key)).map((q) => q.tier),
  );
  return TIER_ORDER.find((tier) => tiers.has(tier)) || null;
}

export function instructionFor(forms, clinic, yesKeys) {
  const tier = highestTier(forms, yesKeys);
  if (!tier) return null;
  const template = (forms.tier_instructions || {})[tier];
  if (!template) return null;
  const clinicName = (clinic && clinic.name) || gettext("your clinic");
  const clinicPhone = (clinic && clinic.phone) || "";
  const emergencyNumber = (clinic && clinic.emergency_number) || gettext("your local emergency number");
  // Without a cached phone number the sentence drops "on {clinic_phone}" rather than read "today on .".
  const text = template.text
    .replaceAll(" on {clinic_phone}", clinicPhone ? " on {clinic_phone}" : "")
    .replaceAll("{clinic_name}", clinicName)
    .replaceAll("{clinic_phone}", clinicPhone)
    .replaceAll("{emergency_number}", emergencyNumber);
  return { tier, title: template.title, text, clinic_phone: clinicPhone };
}

/** Digits and a leading + only: what a tel: link dials. */
export function telHref(number) {
  return `tel:${String(number).replace(/[^0-9+]/g, "")}`;
}

/**
 * Whom to call for a tier, from the clinic on this phone (the server's `call` lists are the same): an emergency the
 * local emergency number first, then the clinic; anything less the clinic.
 */
export function callsFor(tier, clinic) {
  const calls = [];
  if (tier === "emergency" && clinic && clinic.emergency_number) {
    calls.push({ label: interpolate(gettext("Call %(number)s"), { number: clinic.emergency_number }, true), tel: clinic.emergency_number });
  }
  if (clinic && clinic.phone) calls.push({ label: interpolate(gettext("Call %(clinic)s"), { clinic: clinic.name || gettext("your clinic") }, true), tel: clinic.phone });
  return calls;
}

/** Large call buttons (tel: links), the first one the most important. */
export function callButtons(calls) {
  return h(
    "div",
    { class: "call-buttons" },
    (calls || []).map((call, index) =>
      h(
        "a",
        { class: ["button", "button-call", index === 0 ? "button-call-first" : null], href: telHref(call.tel) },
        call.label,
        call.label.includes(call.tel) ? null : h("span", { class: "call-number" }, ` ${call.tel}`),
      ),
    ),
  );
}

/** The instruction as a panel that screen readers announce at once (role=alert): the call buttons come first. */
export function instructionPanel(instruction, clinic) {
  const calls = instruction.call || callsFor(instruction.tier, clinic);
  return h(
    "section",
    { class: `instruction instruction-${instruction.tier}`, role: "alert", "aria-labelledby": "instruction-title" },
    h("h2", { id: "instruction-title" }, instruction.title),
    callButtons(calls),
    h("p", {}, instruction.text),
  );
}

function timeIn(isoInstant, timeZone) {
  /** @type {Intl.DateTimeFormatOptions} */
  const options = { hour: "2-digit", minute: "2-digit", hour12: false };
  if (timeZone) options.timeZone = timeZone;
  try {
    return new Intl.DateTimeFormat(intlLocale(), options).format(new Date(isoInstant));
  } catch (error) {
    return new Date(isoInstant).toLocaleTimeString(intlLocale());
  }
}

/**
 * The pinned "What to do now" card for the patient's open emergency and urgent alerts (/me/recovery's
 * `open_alerts`), with the call buttons; once a clinician has acknowledged one it says so, in local time.
 */
export function whatToDoCard(openAlerts, timeZone) {
  if (!openAlerts || !openAlerts.length) return null;
  return h(
    "section",
    { class: "card what-to-do", "aria-labelledby": "card-what-to-do", dataset: { testid: "what-to-do" } },
    h("h2", { id: "card-what-to-do" }, gettext("What to do now")),
    openAlerts.map((alert) =>
      h(
        "div",
        { class: `instruction instruction-${alert.tier}` },
        h("h3", {}, alert.instruction.title),
        callButtons(alert.call),
        h("p", {}, alert.instruction.text),
        alert.acknowledged_at
          ? h("p", { class: "acknowledged" }, h("strong", {}, interpolate(gettext("Your clinic knows, since %(time)s."), { time: timeIn(alert.acknowledged_at, timeZone) }, true)))
          : h("p", { class: "waiting" }, gettext("Your clinic has not seen it yet. Do not wait for them to call you.")),
      ),
    ),
    h("p", {}, h("a", { href: "/app/help" }, gettext("When to get help"))),
  );
}

// What to do now, for the red-flag answers given: worked out on the phone from the cached forms, so an emergency
// answer shows its instruction at once, also offline. When the server answers, its `instruction` replaces this one.

import { h } from "./dom.js";

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
  const clinicName = (clinic && clinic.name) || "your clinic";
  const clinicPhone = (clinic && clinic.phone) || "";
  const text = template.text.replaceAll("{clinic_name}", clinicName).replaceAll("{clinic_phone}", clinicPhone);
  return { tier, title: template.title, text, clinic_phone: clinicPhone };
}

/** The instruction as a panel that screen readers announce at once (role=alert). */
export function instructionPanel(instruction, clinic) {
  const phone = instruction.clinic_phone || (clinic && clinic.phone) || "";
  return h(
    "section",
    { class: `instruction instruction-${instruction.tier}`, role: "alert", "aria-labelledby": "instruction-title" },
    h("h2", { id: "instruction-title" }, instruction.title),
    h("p", {}, instruction.text),
    instruction.tier === "urgent" && phone
      ? h("p", {}, h("a", { class: "button button-light", href: `tel:${phone.replace(/[^0-9+]/g, "")}` }, `Call the clinic: ${phone}`))
      : null,
  );
}

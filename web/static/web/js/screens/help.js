// @ts-check
// When to get help: the warning signs by tier in plain words, with the call buttons. Drawn from the cached forms
// (/api/v1/recovery/forms: `when_to_get_help` of the patient's protocol version and `call`), so it opens offline.

import { OfflineError } from "../api.js";
import { loadForms, staleNote } from "../data.js";
import { h } from "../dom.js";
import { callButtons, callsFor } from "../redflags.js";
import { session } from "../session.js";
import { gettext } from "../i18n.js";

export async function render(ctx) {
  /** @type {import("../store.js").Loaded | null} */
  let result = null;
  try {
    result = await loadForms();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  if (!ctx.isCurrent()) return;
  const forms = result && result.data;
  const help = (forms && forms.when_to_get_help) || {};
  const clinic = session.me ? session.me.clinic : null;
  const calls = (forms && forms.call && forms.call.length ? forms.call : callsFor("emergency", clinic)) || [];
  ctx.main.append(h("h1", {}, help.title || gettext("When to get help")), callButtons(calls));
  if (!forms) {
    ctx.main.append(
      h("p", { class: "notice notice-info" }, gettext("Connect to the internet once so the app can keep this list on your phone.")),
    );
    return;
  }
  ctx.main.append(staleNote(result));
  for (const tier of help.tiers || []) {
    ctx.main.append(
      h(
        "section",
        { class: `help-tier instruction instruction-${tier.tier}`, "aria-label": tier.heading },
        h("h2", {}, tier.heading),
        h("ul", {}, (tier.signs || []).map((sign) => h("li", {}, sign))),
        tier.note ? h("p", {}, tier.note) : null,
        // The emergency tier: the emergency number, then the clinic; the urgent tier: the clinic.
        callButtons(tier.tier === "emergency" || calls.length < 2 ? calls : calls.slice(1)),
      ),
    );
  }
}

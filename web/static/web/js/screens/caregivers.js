// @ts-check
// Caregivers. For a caregiver: "Who are you helping?" (the patient chosen is named at the top of every screen). For a
// patient: the people who help her (Settings > People who help me): invite one, change what they may do, remove them.

import { ApiError, OfflineError, api } from "../api.js";
import { h } from "../dom.js";
import { busy, checkboxGroup, checkedValues, clearErrors, errorSummary, field, input, showErrors, submitButton } from "../forms.js";
import { session, setHelping } from "../session.js";
import { renderChrome } from "../shell.js";
import { gettext, interpolate } from "../i18n.js";

// "reminders" is stored by the API but no reminder reaches a caregiver yet, so the app does not offer it (a grant
// given elsewhere is still shown, so saving here does not drop it).
// Functions, not constants: the words are those of the language in use when a screen is drawn.
const GRANTS = () => [
  { value: "view", label: gettext("See my recovery, check-ins and exercises") },
  { value: "log", label: gettext("Fill in my check-ins and exercise sessions for me") },
  { value: "assessments", label: gettext("Help me fill in my questionnaires") },
];
const REMINDERS = () => ({ value: "reminders", label: gettext("Get my reminders") });
const STATUS = () => ({
  invited: gettext("Invited, has not set up their account yet"),
  invitation_expired: gettext("The invitation has expired: send a new one"),
  active: gettext("Can sign in"),
  removed: gettext("Removed"),
});

function offlineNote() {
  return h("p", { class: "notice notice-info" }, gettext("Connect to the internet to see and change this."));
}

/** /app/helping: a caregiver chooses whom they are helping now. */
export async function chooser(ctx) {
  ctx.main.append(h("h1", {}, gettext("Who are you helping?")));
  let patients;
  try {
    patients = await api.get("/api/v1/me/caring-for");
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    ctx.main.append(offlineNote());
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!patients.length) {
    ctx.main.append(h("p", {}, gettext("Nobody has asked you to help them yet, or they have stopped sharing with you.")));
    await setHelping(null);
    renderChrome();
    return;
  }
  const list = h("ul", { class: "choice-list", "aria-label": gettext("People you help") });
  for (const patient of patients) {
    const button = h(
      "button",
      { type: "button", class: "button button-wide", dataset: { patient: patient.patient } },
      interpolate(gettext("%(name)s (your %(relationship)s)"), { name: patient.full_name, relationship: patient.relationship }, true),
    );
    button.addEventListener("click", async () => {
      await setHelping(patient);
      renderChrome();
      await ctx.navigate("/app/", { replace: true });
    });
    list.append(h("li", {}, button));
  }
  ctx.main.append(h("p", {}, gettext("Choose the person you are helping now. You can change this at any time from the top of the screen.")), list);
}

/** The line at the top of every screen for a caregiver: whom they are helping, and the way to change it. */
export function helpingBanner() {
  const helping = session.helping;
  if (!helping) return null;
  return h(
    "p",
    { class: "notice notice-info helping-banner", id: "helping-banner", role: "status" },
    interpolate(gettext("You are helping %(name)s. "), { name: helping.full_name }, true),
    h("a", { href: "/app/helping" }, gettext("Help someone else")),
  );
}

function caregiverCard(ctx, link) {
  const options = link.grants.includes("reminders") ? [...GRANTS(), REMINDERS()] : GRANTS();
  const grants = checkboxGroup({ name: `grants-${link.id}`, legend: gettext("What they may do"), options, values: /** @type {never[]} */ (link.grants), hint: null });
  const form = h("form", { class: "form", novalidate: true }, errorSummary(), grants, submitButton(gettext("Save")));
  form.querySelector("fieldset").dataset.field = "grants";
  const saved = h("p", { class: "status status-done", role: "status", hidden: true }, gettext("Saved."));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    saved.hidden = true;
    await busy(form, gettext("Saving…"), async () => {
      try {
        await api.patch(`/api/v1/me/caregivers/${link.id}`, { grants: checkedValues(form, `grants-${link.id}`) });
        saved.hidden = false;
      } catch (error) {
        if (error instanceof ApiError || error instanceof OfflineError) showErrors(form, error);
        else throw error;
      }
    });
  });
  const remove = h("button", { type: "button", class: "button button-danger" }, interpolate(gettext("Stop sharing with %(name)s"), { name: link.full_name }, true));
  remove.addEventListener("click", async () => {
    remove.disabled = true;
    await api.post(`/api/v1/me/caregivers/${link.id}/revoke`);
    await ctx.navigate("/app/settings/caregivers", { replace: true });
  });
  /** @type {HTMLButtonElement | null} */
  let resend = null;
  if (link.status !== "active") {
    const button = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button" }, gettext("Send the invitation again")));
    resend = button;
    button.addEventListener("click", async () => {
      button.disabled = true;
      await api.post(`/api/v1/me/caregivers/${link.id}/resend`);
      await ctx.navigate("/app/settings/caregivers", { replace: true });
    });
  }
  return h(
    "section",
    { class: "card caregiver", dataset: { caregiver: link.email } },
    h("h2", {}, interpolate(gettext("%(name)s, your %(relationship)s"), { name: link.full_name, relationship: link.relationship }, true)),
    h("p", {}, `${link.email}. ${STATUS()[link.status] || link.status}.`),
    form,
    saved,
    h("p", {}, resend, " ", remove),
  );
}

function inviteForm(ctx) {
  const name = input({ name: "full_name", autocomplete: "off" });
  const email = input({ type: "email", name: "email", autocomplete: "off" });
  const relationship = input({ name: "relationship", autocomplete: "off" });
  const grants = checkboxGroup({ name: "grants", legend: gettext("What they may do"), options: GRANTS(), values: /** @type {never[]} */ (/** @type {unknown} */ (["view"])), hint: null });
  const form = h(
    "form",
    { class: "form", novalidate: true },
    errorSummary(),
    field(gettext("Their name"), name, { name: "full_name" }),
    field(gettext("Their email address"), email, { name: "email", hint: gettext("We send them a link to set up their own account.") }),
    field(gettext("How are they related to you?"), relationship, { name: "relationship", hint: gettext("For example: daughter, husband, friend.") }),
    grants,
    submitButton(gettext("Invite")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    await busy(form, gettext("Inviting…"), async () => {
      try {
        await api.post("/api/v1/me/caregivers", {
          full_name: name.value,
          email: email.value,
          relationship: relationship.value,
          grants: checkedValues(form, "grants"),
        });
        await ctx.navigate("/app/settings/caregivers", { replace: true });
      } catch (error) {
        if (error instanceof ApiError || error instanceof OfflineError) showErrors(form, error);
        else throw error;
      }
    });
  });
  return h("section", { class: "card", "aria-labelledby": "invite-title" }, h("h2", { id: "invite-title" }, gettext("Invite someone to help you")), form);
}

/** /app/settings/caregivers: the patient's own list of the people who help her. */
export async function settings(ctx) {
  ctx.main.append(
    h("h1", {}, gettext("People who help me")),
    h("p", {}, gettext("A family member or friend can use the app for you, with their own account. You choose what each one may do, and you can stop sharing at any time.")),
  );
  let links;
  try {
    links = await api.get("/api/v1/me/caregivers");
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    ctx.main.append(offlineNote());
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(...links.map((link) => caregiverCard(ctx, link)), inviteForm(ctx));
}

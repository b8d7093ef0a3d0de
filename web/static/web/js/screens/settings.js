// @ts-check
// Settings: when and how reminders arrive (time, channels, quiet hours, pause), reminders on this phone (push), the
// people who help me (caregivers), downloading one's data, signing out.

import { ApiError, OfflineError, api, request } from "../api.js";
import { loadPreferences, staleNote } from "../data.js";
import { h, hhmm, uid } from "../dom.js";
import { busy, clearErrors, errorSummary, field, input, showErrors, submitButton } from "../forms.js";
import { pushPermission, pushSupported, currentSubscription, turnOffPush, turnOnPush } from "../push.js";
import { isPatient, reauthenticate, signOut, signedInPerson } from "../session.js";
import { outboxItems } from "../sync.js";
import { renderChrome } from "../shell.js";
import { LANGUAGES, gettext, gettext_noop, interpolate, language, ngettext, setLanguage } from "../i18n.js";
import { setMeta } from "../store.js";

const TOPICS = {
  checkin: gettext_noop("Daily check-in reminder"),
  exercise: gettext_noop("Exercise reminders"),
  milestone: gettext_noop("Progress checks"),
  alert_emergency: gettext_noop("Emergency alerts"),
  alert_urgent: gettext_noop("Urgent alerts"),
  alert_digest: gettext_noop("Daily list of watch alerts"),
};

function checkbox(name, label, checked, attrs = {}) {
  const id = uid(name);
  return h("label", { class: "choice", for: id }, h("input", { type: "checkbox", id, name, checked, ...attrs }), h("span", {}, label));
}

function preferencesForm(prefs) {
  const reminder = input({ type: "time", name: "checkin_reminder_time", value: hhmm(prefs.checkin_reminder_time), step: 60 });
  const digest = input({ type: "time", name: "digest_time", value: hhmm(prefs.digest_time), step: 60 });
  const quietOn = prefs.quiet_hours_start !== null;
  const quietStart = input({ type: "time", name: "quiet_hours_start", value: hhmm(prefs.quiet_hours_start) || "21:00", step: 60 });
  const quietEnd = input({ type: "time", name: "quiet_hours_end", value: hhmm(prefs.quiet_hours_end) || "08:00", step: 60 });
  const quietToggle = checkbox("quiet", gettext("Use quiet hours: no phone notifications or emails during them"), quietOn);
  const quietTimes = h(
    "div",
    { class: "two-up", hidden: !quietOn },
    field(gettext("From"), quietStart, { name: "quiet_hours_start" }),
    field(gettext("Until"), quietEnd, { name: "quiet_hours_end" }),
  );
  quietToggle.querySelector("input").addEventListener("change", (event) => {
    quietTimes.hidden = !event.target.checked;
  });
  const topics = Object.keys(prefs.channels);
  const channelSets = topics.map((topic) =>
    h(
      "fieldset",
      { class: "choices", dataset: { field: "channels" } },
      h("legend", {}, TOPICS[topic] ? gettext(TOPICS[topic]) : topic),
      h(
        "div",
        { class: "choice-list choice-list-inline" },
        checkbox(`channel-${topic}`, gettext("Phone notification"), prefs.channels[topic].includes("push"), { value: "push", dataset: { topic } }),
        checkbox(`channel-${topic}`, gettext("Email"), prefs.channels[topic].includes("email"), { value: "email", dataset: { topic } }),
      ),
    ),
  );
  const paused = checkbox("paused", gettext("Pause all reminders for now"), prefs.paused);
  const form = h(
    "form",
    { class: "form", novalidate: true },
    errorSummary(),
    isPatient()
      ? field(gettext("Daily check-in reminder at"), reminder, { name: "checkin_reminder_time", hint: interpolate(gettext("Your time zone: %(zone)s."), { zone: prefs.time_zone }, true) })
      : null,
    topics.includes("alert_digest") ? field(gettext("Daily list of watch alerts at"), digest, { name: "digest_time", hint: interpolate(gettext("Your time zone: %(zone)s."), { zone: prefs.time_zone }, true) }) : null,
    h("p", { class: "hint" }, gettext("How would you like to hear from us? You always get everything in the app's inbox as well.")),
    channelSets,
    h("fieldset", { class: "choices", dataset: { field: "quiet_hours_end" } }, h("legend", {}, gettext("Quiet hours")), quietToggle, quietTimes, h("p", { class: "field-error", hidden: true })),
    h("div", { class: "choice-list" }, paused),
    submitButton(gettext("Save reminder settings")),
  );
  const saved = h("p", { class: "status status-done", role: "status", hidden: true }, gettext("Saved."));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    saved.hidden = true;
    const channels = {};
    for (const topic of topics) {
      channels[topic] = [...form.querySelectorAll(`input[data-topic="${topic}"]:checked`)].map((el) => el.value);
    }
    const quiet = quietToggle.querySelector("input").checked;
    const body = {
      channels,
      paused: paused.querySelector("input").checked,
      quiet_hours_start: quiet ? quietStart.value : null,
      quiet_hours_end: quiet ? quietEnd.value : null,
    };
    if (isPatient()) body.checkin_reminder_time = reminder.value;
    if (topics.includes("alert_digest")) body.digest_time = digest.value;
    await busy(form, gettext("Saving…"), async () => {
      try {
        await api.patch("/api/v1/me/notification-preferences", body);
        saved.hidden = false;
        loadPreferences().catch(() => null);
      } catch (error) {
        if (error instanceof OfflineError) showErrors(form, { fields: {}, message: gettext("You are offline. Please try again when you are connected.") });
        else if (error instanceof ApiError) showErrors(form, error);
        else throw error;
      }
    });
  });
  return h("div", {}, form, saved);
}

async function pushSection() {
  const section = h("section", { class: "card", "aria-labelledby": "push-title" }, h("h2", { id: "push-title" }, gettext("Reminders on this phone")));
  const state = h("p", { role: "status" });
  const button = h("button", { type: "button", class: "button button-primary button-wide" });
  const problem = h("p", { class: "notice notice-error", role: "alert", hidden: true });
  const show = async () => {
    problem.hidden = true;
    if (!pushSupported()) {
      state.textContent = gettext("This browser cannot show reminders. You still get them in the app's inbox.");
      button.hidden = true;
      return;
    }
    const subscribed = Boolean(await currentSubscription());
    if (pushPermission() === "denied") {
      state.textContent = gettext("Notifications are blocked for this app. You can allow them in your browser's settings for this site.");
      button.hidden = true;
    } else if (subscribed) {
      state.textContent = gettext("Reminders are on for this phone.");
      button.textContent = gettext("Turn off reminders on this phone");
      button.className = "button button-wide";
      button.hidden = false;
    } else {
      state.textContent = gettext("Reminders are off for this phone.");
      button.textContent = gettext("Turn on reminders");
      button.className = "button button-primary button-wide";
      button.hidden = false;
    }
    button.dataset.action = subscribed ? "off" : "on";
  };
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      if (button.dataset.action === "off") await turnOffPush();
      else await turnOnPush();
    } catch (error) {
      problem.textContent = error instanceof OfflineError ? gettext("You are offline. Please try again when you are connected.") : /** @type {Error} */ (error).message;
      problem.hidden = false;
    } finally {
      button.disabled = false;
      const message = problem.hidden ? null : problem.textContent;
      await show();
      if (message) {
        problem.textContent = message;
        problem.hidden = false;
      }
    }
  });
  await show();
  section.append(state, button, problem);
  return section;
}

function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function exportSection() {
  const section = h(
    "section",
    { class: "card", "aria-labelledby": "export-title" },
    h("h2", { id: "export-title" }, gettext("Your data")),
    h("p", {}, gettext("Download everything we hold about you as one file (JSON).")),
  );
  const button = h("button", { type: "button", class: "button button-wide" }, gettext("Download my data"));
  const message = h("p", { role: "status" });
  const password = input({ type: "password", name: "password", autocomplete: "current-password" });
  password.id = "reauth-password";
  const confirm = h(
    "form",
    { class: "form", novalidate: true, hidden: true },
    errorSummary(),
    h("p", {}, gettext("For your safety, please type your password again first.")),
    field(gettext("Password"), password, { name: "password" }),
    submitButton(gettext("Confirm and download")),
  );
  const download = async () => {
    const { data } = await request("GET", "/api/v1/me/export", { raw: true });
    saveBlob(data, "my-recovery-data.json");
    message.textContent = gettext("Your data is downloading.");
  };
  button.addEventListener("click", async () => {
    message.textContent = "";
    try {
      await download();
    } catch (error) {
      if (error instanceof ApiError && error.code === "reauthentication_required") {
        confirm.hidden = false;
        password.focus();
      } else message.textContent = error instanceof OfflineError ? gettext("You are offline. Please try again when you are connected.") : /** @type {Error} */ (error).message;
    }
  });
  confirm.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(confirm);
    await busy(confirm, gettext("Checking…"), async () => {
      try {
        await reauthenticate(password.value);
        password.value = "";
        confirm.hidden = true;
        await download();
      } catch (error) {
        if (error instanceof ApiError || error instanceof OfflineError) showErrors(confirm, error);
        else throw error;
      }
    });
  });
  section.append(button, confirm, message);
  return section;
}

function detailsSection() {
  const me = signedInPerson();
  const clinic = me.clinic;
  const rows = [
    [gettext("Name"), me.full_name],
    [gettext("Email"), me.email],
  ];
  if (clinic) rows.push([gettext("Clinic"), clinic.name]);
  const primary = me.patient && me.patient.care_team.find((member) => member.is_primary);
  if (primary) rows.push([gettext("Your clinician"), primary.full_name]);
  return h(
    "section",
    { class: "card", "aria-labelledby": "details-title" },
    h("h2", { id: "details-title" }, gettext("About you")),
    h("dl", { class: "summary-list" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    clinic && clinic.phone ? h("p", {}, h("a", { class: "button", href: `tel:${clinic.phone.replace(/[^0-9+]/g, "")}` }, interpolate(gettext("Call the clinic: %(phone)s"), { phone: clinic.phone }, true))) : null,
  );
}

function caregiversLink() {
  return h(
    "section",
    { class: "card", "aria-labelledby": "caregivers-title" },
    h("h2", { id: "caregivers-title" }, gettext("People who help me")),
    h("p", {}, gettext("Let a family member or friend use the app for you, and choose what they may do.")),
    h("a", { class: "button", href: "/app/settings/caregivers" }, gettext("People who help me")),
  );
}

/**
 * The language of the app, the reminders and the emails: saved on the person's profile (PATCH /me) and used at once.
 * The heading is in both languages so anyone finds it.
 */
function languageSection() {
  const me = signedInPerson();
  const status = h("p", { class: "status", role: "status" });
  const problem = h("p", { class: "notice notice-error", role: "alert", hidden: true });
  const list = h("div", { class: "choice-list" });
  for (const option of LANGUAGES) {
    const id = uid("language");
    list.append(
      h(
        "label",
        { class: "choice", for: id },
        h("input", { type: "radio", id, name: "language", value: option.code, checked: option.code === language() }),
        h("span", { lang: option.code }, option.name),
      ),
    );
  }
  const set = h("fieldset", { class: "choices", dataset: { field: "language" } }, h("legend", {}, "Language / Idioma"), list);
  set.addEventListener("change", async (event) => {
    const code = /** @type {HTMLInputElement} */ (event.target).value;
    problem.hidden = true;
    status.textContent = gettext("Saving…");
    try {
      const updated = await api.patch("/api/v1/me", { language: code });
      me.language = updated.language || code;
      await setMeta("me", me);
      await setLanguage(me.language);
    } catch (error) {
      status.textContent = "";
      problem.textContent =
        error instanceof OfflineError ? gettext("You are offline. Please try again when you are connected.") : /** @type {Error} */ (error).message;
      problem.hidden = false;
      for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (set.querySelectorAll("input"))) input.checked = input.value === language();
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "language-title", dataset: { testid: "language" } },
    h("h2", { id: "language-title" }, gettext("Language")),
    h("p", {}, gettext("The app, your reminders and emails use this language.")),
    set,
    status,
    problem,
  );
}

function signOutSection(ctx) {
  const button = h("button", { type: "button", class: "button button-danger button-wide" }, gettext("Sign out"));
  const warning = h("p", { class: "notice notice-warning", role: "alert", hidden: true });
  button.addEventListener("click", async () => {
    const pending = (await outboxItems()).filter((item) => item.state === "pending");
    if (pending.length && warning.hidden) {
      warning.textContent = interpolate(
        ngettext(
          '%(count)s record is saved on this phone and not sent yet. If you sign out now, it is deleted. Connect to the internet first to send it, or tap "Sign out" again to delete it.',
          '%(count)s records are saved on this phone and not sent yet. If you sign out now, they are deleted. Connect to the internet first to send them, or tap "Sign out" again to delete them.',
          pending.length,
        ),
        { count: pending.length },
        true,
      );
      warning.hidden = false;
      return;
    }
    button.disabled = true;
    // This phone should stop getting this person's reminders.
    await turnOffPush().catch(() => null);
    await signOut();
    renderChrome();
    await ctx.navigate("/app/signin", { replace: true });
  });
  return h("section", { class: "card", "aria-labelledby": "signout-title" }, h("h2", { id: "signout-title" }, gettext("Sign out")), warning, button);
}

export async function render(ctx) {
  /** @type {import("../store.js").Loaded | null} */
  let prefs = null;
  try {
    prefs = await loadPreferences();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, gettext("Settings")));
  const reminders = h("section", { class: "card", "aria-labelledby": "reminders-title" }, h("h2", { id: "reminders-title" }, gettext("Reminders")));
  if (prefs) reminders.append(...[staleNote(prefs), preferencesForm(prefs.data)].filter(Boolean));
  else reminders.append(h("p", { class: "notice notice-info" }, gettext("Connect to the internet to change your reminders.")));
  ctx.main.append(languageSection(), await pushSection(), reminders);
  if (isPatient()) ctx.main.append(detailsSection(), caregiversLink(), exportSection());
  ctx.main.append(signOutSection(ctx));
}

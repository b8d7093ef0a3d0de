// Settings: when and how reminders arrive (time, channels, quiet hours, pause), reminders on this phone (push),
// downloading one's data, signing out.

import { ApiError, OfflineError, api, request } from "../api.js";
import { loadPreferences, staleNote } from "../data.js";
import { h, hhmm, uid } from "../dom.js";
import { busy, clearErrors, errorSummary, field, input, showErrors, submitButton } from "../forms.js";
import { pushPermission, pushSupported, currentSubscription, turnOffPush, turnOnPush } from "../push.js";
import { isPatient, reauthenticate, session, signOut } from "../session.js";
import { outboxItems } from "../sync.js";
import { renderChrome } from "../shell.js";

const TOPICS = {
  checkin: "Daily check-in reminder",
  exercise: "Exercise reminders",
  milestone: "Progress checks",
  alert_emergency: "Emergency alerts",
  alert_urgent: "Urgent alerts",
  alert_digest: "Daily list of watch alerts",
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
  const quietToggle = checkbox("quiet", "Use quiet hours: no phone notifications or emails during them", quietOn);
  const quietTimes = h(
    "div",
    { class: "two-up", hidden: !quietOn },
    field("From", quietStart, { name: "quiet_hours_start" }),
    field("Until", quietEnd, { name: "quiet_hours_end" }),
  );
  quietToggle.querySelector("input").addEventListener("change", (event) => {
    quietTimes.hidden = !event.target.checked;
  });
  const topics = Object.keys(prefs.channels);
  const channelSets = topics.map((topic) =>
    h(
      "fieldset",
      { class: "choices", dataset: { field: "channels" } },
      h("legend", {}, TOPICS[topic] || topic),
      h(
        "div",
        { class: "choice-list choice-list-inline" },
        checkbox(`channel-${topic}`, "Phone notification", prefs.channels[topic].includes("push"), { value: "push", dataset: { topic } }),
        checkbox(`channel-${topic}`, "Email", prefs.channels[topic].includes("email"), { value: "email", dataset: { topic } }),
      ),
    ),
  );
  const paused = checkbox("paused", "Pause all reminders for now", prefs.paused);
  const form = h(
    "form",
    { class: "form", novalidate: true },
    errorSummary(),
    isPatient()
      ? field("Daily check-in reminder at", reminder, { name: "checkin_reminder_time", hint: `Your time zone: ${prefs.time_zone}.` })
      : null,
    topics.includes("alert_digest") ? field("Daily list of watch alerts at", digest, { name: "digest_time", hint: `Your time zone: ${prefs.time_zone}.` }) : null,
    h("p", { class: "hint" }, "How would you like to hear from us? You always get everything in the app's inbox as well."),
    channelSets,
    h("fieldset", { class: "choices", dataset: { field: "quiet_hours_end" } }, h("legend", {}, "Quiet hours"), quietToggle, quietTimes, h("p", { class: "field-error", hidden: true })),
    h("div", { class: "choice-list" }, paused),
    submitButton("Save reminder settings"),
  );
  const saved = h("p", { class: "status status-done", role: "status", hidden: true }, "Saved.");
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
    await busy(form, "Saving…", async () => {
      try {
        await api.patch("/api/v1/me/notification-preferences", body);
        saved.hidden = false;
        loadPreferences().catch(() => null);
      } catch (error) {
        if (error instanceof OfflineError) showErrors(form, { fields: {}, message: "You are offline. Please try again when you are connected." });
        else if (error instanceof ApiError) showErrors(form, error);
        else throw error;
      }
    });
  });
  return h("div", {}, form, saved);
}

async function pushSection() {
  const section = h("section", { class: "card", "aria-labelledby": "push-title" }, h("h2", { id: "push-title" }, "Reminders on this phone"));
  const state = h("p", { role: "status" });
  const button = h("button", { type: "button", class: "button button-primary button-wide" });
  const problem = h("p", { class: "notice notice-error", role: "alert", hidden: true });
  const show = async () => {
    problem.hidden = true;
    if (!pushSupported()) {
      state.textContent = "This browser cannot show reminders. You still get them in the app's inbox.";
      button.hidden = true;
      return;
    }
    const subscribed = Boolean(await currentSubscription());
    if (pushPermission() === "denied") {
      state.textContent = "Notifications are blocked for this app. You can allow them in your browser's settings for this site.";
      button.hidden = true;
    } else if (subscribed) {
      state.textContent = "Reminders are on for this phone.";
      button.textContent = "Turn off reminders on this phone";
      button.className = "button button-wide";
      button.hidden = false;
    } else {
      state.textContent = "Reminders are off for this phone.";
      button.textContent = "Turn on reminders";
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
      problem.textContent = error instanceof OfflineError ? "You are offline. Please try again when you are connected." : error.message;
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
    h("h2", { id: "export-title" }, "Your data"),
    h("p", {}, "Download everything we hold about you as one file (JSON)."),
  );
  const button = h("button", { type: "button", class: "button button-wide" }, "Download my data");
  const message = h("p", { role: "status" });
  const password = input({ type: "password", name: "password", autocomplete: "current-password" });
  password.id = "reauth-password";
  const confirm = h(
    "form",
    { class: "form", novalidate: true, hidden: true },
    errorSummary(),
    h("p", {}, "For your safety, please type your password again first."),
    field("Password", password, { name: "password" }),
    submitButton("Confirm and download"),
  );
  const download = async () => {
    const { data } = await request("GET", "/api/v1/me/export", { raw: true });
    saveBlob(data, "my-recovery-data.json");
    message.textContent = "Your data is downloading.";
  };
  button.addEventListener("click", async () => {
    message.textContent = "";
    try {
      await download();
    } catch (error) {
      if (error instanceof ApiError && error.code === "reauthentication_required") {
        confirm.hidden = false;
        password.focus();
      } else message.textContent = error instanceof OfflineError ? "You are offline. Please try again when you are connected." : error.message;
    }
  });
  confirm.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(confirm);
    await busy(confirm, "Checking…", async () => {
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
  const me = session.me;
  const clinic = me.clinic;
  const rows = [
    ["Name", me.full_name],
    ["Email", me.email],
  ];
  if (clinic) rows.push(["Clinic", clinic.name]);
  const primary = me.patient && me.patient.care_team.find((member) => member.is_primary);
  if (primary) rows.push(["Your clinician", primary.full_name]);
  return h(
    "section",
    { class: "card", "aria-labelledby": "details-title" },
    h("h2", { id: "details-title" }, "About you"),
    h("dl", { class: "summary-list" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    clinic && clinic.phone ? h("p", {}, h("a", { class: "button", href: `tel:${clinic.phone.replace(/[^0-9+]/g, "")}` }, `Call the clinic: ${clinic.phone}`)) : null,
  );
}

function signOutSection(ctx) {
  const button = h("button", { type: "button", class: "button button-danger button-wide" }, "Sign out");
  const warning = h("p", { class: "notice notice-warning", role: "alert", hidden: true });
  button.addEventListener("click", async () => {
    const pending = (await outboxItems()).filter((item) => item.state === "pending");
    if (pending.length && warning.hidden) {
      warning.textContent = `${pending.length} ${pending.length === 1 ? "record is" : "records are"} saved on this phone and not sent yet. If you sign out now, they are deleted. Connect to the internet first to send them, or tap "Sign out" again to delete them.`;
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
  return h("section", { class: "card", "aria-labelledby": "signout-title" }, h("h2", { id: "signout-title" }, "Sign out"), warning, button);
}

export async function render(ctx) {
  let prefs = null;
  try {
    prefs = await loadPreferences();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, "Settings"));
  const reminders = h("section", { class: "card", "aria-labelledby": "reminders-title" }, h("h2", { id: "reminders-title" }, "Reminders"));
  if (prefs) reminders.append(...[staleNote(prefs), preferencesForm(prefs.data)].filter(Boolean));
  else reminders.append(h("p", { class: "notice notice-info" }, "Connect to the internet to change your reminders."));
  ctx.main.append(await pushSection(), reminders);
  if (isPatient()) ctx.main.append(detailsSection(), exportSection());
  ctx.main.append(signOutSection(ctx));
}

// @ts-check
// Today's exercises: how to do each, then done / partly done / skipped, with pain during it and how hard it felt.
// A record is a PUT addressed by the session's key, sent through the outbox: offline it waits on the phone, and
// sending it twice changes nothing.

import { ApiError, OfflineError } from "../api.js";
import { loadExercisesToday, patientToday, staleNote } from "../data.js";
import { formatDay, h } from "../dom.js";
import { busy, checkedValue, clearErrors, errorSummary, radioGroup, scale, showErrors, submitButton } from "../forms.js";
import { recall, remember } from "../store.js";
import { onOutboxChange, outboxItems, submit } from "../sync.js";
import { gettext, interpolate, ngettext } from "../i18n.js";

// Functions, not constants: the words are those of the language in use when a screen is drawn.
const STATES = () => [
  { value: "done", label: gettext("Done") },
  { value: "partly_done", label: gettext("Partly done") },
  { value: "skipped", label: gettext("Skipped") },
];
const STATE_TEXT = () => ({
  done: gettext("Done"),
  partly_done: gettext("Partly done"),
  skipped: gettext("Skipped"),
  not_recorded: gettext("Not recorded yet"),
});
const DIFFICULTY = () => [
  { value: "easy", label: gettext("Easy") },
  { value: "ok", label: gettext("About right") },
  { value: "hard", label: gettext("Hard") },
];
const KIND_TEXT = () => ({
  stretching: gettext("Gentle stretch"),
  strengthening: gettext("Strengthening"),
  aerobic: gettext("Walking and moving"),
});

export function doseText(dose) {
  if (!dose) return "";
  const parts = [];
  const count = (text, n) => interpolate(text, { count: n }, true);
  if (dose.sets && dose.sets > 1) parts.push(count(ngettext("%(count)s set", "%(count)s sets", dose.sets), dose.sets));
  if (dose.reps) parts.push(count(ngettext("%(count)s time", "%(count)s times", dose.reps), dose.reps));
  if (dose.hold_seconds) parts.push(count(ngettext("hold %(count)s second", "hold %(count)s seconds", dose.hold_seconds), dose.hold_seconds));
  if (dose.minutes) parts.push(count(ngettext("%(count)s minute", "%(count)s minutes", dose.minutes), dose.minutes));
  return parts.join(", ");
}

async function rememberRecord(record) {
  const copy = await recall("exercises-today");
  if (!copy) return;
  const sessions = copy.value.sessions.map((s) =>
    s.key === record.key ? { ...s, state: record.state, pain_during: record.pain_during, difficulty: record.difficulty } : s,
  );
  await remember("exercises-today", { ...copy.value, sessions });
}

function statusLine(session, pending) {
  if (pending) {
    return h(
      "p",
      { class: "status status-saved", dataset: { state: "queued" } },
      h("strong", {}, gettext("Saved on this phone")),
      gettext(" — will send when you're online."),
    );
  }
  const done = session.state !== "not_recorded";
  return h("p", { class: done ? "status status-done" : "status", dataset: { state: session.state } }, STATE_TEXT()[session.state] || session.state);
}

function sessionCard(ctx, session, pendingItem) {
  const headingId = `ex-${session.key.replace(/[^a-z0-9]/gi, "")}`;
  const status = h("div", {}, statusLine(session, pendingItem));
  const start = pendingItem ? pendingItem.body : session.state !== "not_recorded" ? session : null;
  const pain = scale({
    name: "pain_during",
    label: gettext("Pain during the exercise"),
    value: start ? start.pain_during : null,
    lowLabel: gettext("none"),
    highLabel: gettext("worst"),
  });
  const difficulty = radioGroup({
    name: "difficulty",
    legend: gettext("How hard did it feel?"),
    options: DIFFICULTY(),
    value: start ? start.difficulty : null,
  });
  const effort = h("div", { class: "effort" }, pain.element, difficulty);
  const stateGroup = radioGroup({ name: "state", legend: gettext("How did it go?"), options: STATES(), value: start ? start.state : null });
  const form = h(
    "form",
    { class: "form exercise-form", novalidate: true },
    errorSummary(),
    stateGroup,
    effort,
    submitButton(session.state === "not_recorded" && !pendingItem ? gettext("Save") : gettext("Save changes")),
  );
  const showEffort = () => {
    const state = checkedValue(form, "state");
    effort.hidden = state !== "done" && state !== "partly_done";
  };
  stateGroup.addEventListener("change", showEffort);
  showEffort();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const state = checkedValue(form, "state");
    const problems = {};
    if (!state) problems.state = [gettext("Please choose one.")];
    if (state && state !== "skipped") {
      if (pain.value() === null) problems.pain_during = [gettext("Please choose a number from 0 to 10.")];
      if (!checkedValue(form, "difficulty")) problems.difficulty = [gettext("Please choose one.")];
    }
    if (Object.keys(problems).length) {
      showErrors(form, { fields: problems });
      return;
    }
    const body = {
      state,
      pain_during: state === "skipped" ? null : pain.value(),
      difficulty: state === "skipped" ? null : checkedValue(form, "difficulty"),
      recorded_at: new Date().toISOString(),
    };
    const item = {
      id: `exercise:${session.key}`,
      kind: "exercise",
      sessionKey: session.key,
      method: "PUT",
      url: `/api/v1/me/exercises/occurrences/${encodeURIComponent(session.key)}`,
      body,
      label: interpolate(gettext("%(exercise)s (%(day)s %(time)s)"), { exercise: session.exercise.name, day: formatDay(session.local_date, "short"), time: session.local_time }, true),
      reviewPath: "/app/exercises",
    };
    await busy(form, gettext("Saving…"), async () => {
      const result = await submit(item);
      if (result.outcome === "sent") {
        await rememberRecord(result.data);
        status.replaceChildren(statusLine({ ...session, state: result.data.state }, null));
      } else if (result.outcome === "queued") {
        status.replaceChildren(statusLine(session, item));
      } else if (result.outcome === "rejected") {
        showErrors(form, new ApiError(400, result.error));
        return;
      }
    });
  });

  ctx.onLeave(
    onOutboxChange((items, report) => {
      const sent = report && report.sent.find((entry) => entry.item.id === `exercise:${session.key}`);
      if (sent) {
        rememberRecord(sent.data);
        status.replaceChildren(statusLine({ ...session, state: sent.data.state }, null));
      }
    }),
  );

  const exercise = session.exercise;
  return h(
    "article",
    { class: "card exercise", "aria-labelledby": headingId },
    h("p", { class: "eyebrow" }, `${session.local_time} · ${KIND_TEXT()[exercise.kind] || exercise.kind}`),
    h("h2", { id: headingId }, exercise.name),
    h("p", { class: "dose" }, doseText(session.dose)),
    status,
    h(
      "details",
      { class: "how-to" },
      h("summary", {}, gettext("How to do it")),
      h("ol", { class: "steps" }, exercise.steps.map((step) => h("li", {}, step))),
      exercise.precautions.length
        ? [h("h3", {}, gettext("Take care")), h("ul", { class: "cross-list" }, exercise.precautions.map((p) => h("li", {}, p)))]
        : null,
    ),
    form,
  );
}

export async function render(ctx) {
  /** @type {import("../store.js").Loaded | null} */
  let result = null;
  try {
    result = await loadExercisesToday();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, gettext("Today's exercises")));
  if (!result) {
    ctx.main.append(h("p", { class: "notice notice-info" }, gettext("Connect to the internet once so the app can load your exercises.")));
    return;
  }
  const data = result.data;
  const today = patientToday();
  const pending = (await outboxItems()).filter((item) => item.kind === "exercise" && item.state === "pending");
  ctx.main.append(staleNote(result));
  if (data.today !== today) {
    ctx.main.append(h("p", { class: "notice notice-info" }, interpolate(gettext("These are the exercises for %(day)s, the last day the app loaded."), { day: formatDay(data.today) }, true)));
  }
  if (data.paused) {
    // An open emergency or urgent alert not yet seen by the clinic: the plan waits (the server says why).
    ctx.main.append(h("p", { class: "notice notice-info" }, data.paused.reason), h("p", {}, h("a", { href: "/app/help" }, gettext("When to get help"))));
    return;
  }
  if (!data.sessions.length) {
    ctx.main.append(h("p", {}, gettext("There are no exercises for today. Rest, and keep gently moving about.")));
    return;
  }
  ctx.main.append(
    h("p", { class: "lead" }, gettext("Go gently. Stop if your pain rises sharply, or your legs feel newly numb, tingly or weak.")),
    h(
      "div",
      { class: "cards" },
      data.sessions.map((s) => sessionCard(ctx, s, pending.find((item) => item.sessionKey === s.key))),
    ),
  );
}

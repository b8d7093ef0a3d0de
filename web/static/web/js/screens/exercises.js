// Today's exercises: how to do each, then done / partly done / skipped, with pain during it and how hard it felt.
// A record is a PUT addressed by the session's key, sent through the outbox: offline it waits on the phone, and
// sending it twice changes nothing.

import { ApiError, OfflineError } from "../api.js";
import { loadExercisesToday, patientToday, staleNote } from "../data.js";
import { formatDay, h } from "../dom.js";
import { busy, checkedValue, clearErrors, errorSummary, radioGroup, scale, showErrors, submitButton } from "../forms.js";
import { recall, remember } from "../store.js";
import { onOutboxChange, outboxItems, submit } from "../sync.js";

const STATES = [
  { value: "done", label: "Done" },
  { value: "partly_done", label: "Partly done" },
  { value: "skipped", label: "Skipped" },
];
const STATE_TEXT = { done: "Done", partly_done: "Partly done", skipped: "Skipped", not_recorded: "Not recorded yet" };
const DIFFICULTY = [
  { value: "easy", label: "Easy" },
  { value: "ok", label: "About right" },
  { value: "hard", label: "Hard" },
];
const KIND_TEXT = { stretching: "Gentle stretch", strengthening: "Strengthening", aerobic: "Walking and moving" };

export function doseText(dose) {
  if (!dose) return "";
  const parts = [];
  if (dose.sets && dose.sets > 1) parts.push(`${dose.sets} sets`);
  if (dose.reps) parts.push(`${dose.reps} ${dose.reps === 1 ? "time" : "times"}`);
  if (dose.hold_seconds) parts.push(`hold ${dose.hold_seconds} seconds`);
  if (dose.minutes) parts.push(`${dose.minutes} minutes`);
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
      h("strong", {}, "Saved on this phone"),
      " — will send when you're online.",
    );
  }
  const done = session.state !== "not_recorded";
  return h("p", { class: done ? "status status-done" : "status", dataset: { state: session.state } }, STATE_TEXT[session.state] || session.state);
}

function sessionCard(ctx, session, pendingItem) {
  const headingId = `ex-${session.key.replace(/[^a-z0-9]/gi, "")}`;
  const status = h("div", {}, statusLine(session, pendingItem));
  const start = pendingItem ? pendingItem.body : session.state !== "not_recorded" ? session : null;
  const pain = scale({
    name: "pain_during",
    label: "Pain during the exercise",
    value: start ? start.pain_during : null,
    lowLabel: "none",
    highLabel: "worst",
  });
  const difficulty = radioGroup({
    name: "difficulty",
    legend: "How hard did it feel?",
    options: DIFFICULTY,
    value: start ? start.difficulty : null,
  });
  const effort = h("div", { class: "effort" }, pain.element, difficulty);
  const stateGroup = radioGroup({ name: "state", legend: "How did it go?", options: STATES, value: start ? start.state : null });
  const form = h(
    "form",
    { class: "form exercise-form", novalidate: true },
    errorSummary(),
    stateGroup,
    effort,
    submitButton(session.state === "not_recorded" && !pendingItem ? "Save" : "Save changes"),
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
    if (!state) problems.state = ["Please choose one."];
    if (state && state !== "skipped") {
      if (pain.value() === null) problems.pain_during = ["Please choose a number from 0 to 10."];
      if (!checkedValue(form, "difficulty")) problems.difficulty = ["Please choose one."];
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
      label: `${session.exercise.name} (${formatDay(session.local_date, "short")} ${session.local_time})`,
      reviewPath: "/app/exercises",
    };
    await busy(form, "Saving…", async () => {
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
    h("p", { class: "eyebrow" }, `${session.local_time} · ${KIND_TEXT[exercise.kind] || exercise.kind}`),
    h("h2", { id: headingId }, exercise.name),
    h("p", { class: "dose" }, doseText(session.dose)),
    status,
    h(
      "details",
      { class: "how-to" },
      h("summary", {}, "How to do it"),
      h("ol", { class: "steps" }, exercise.steps.map((step) => h("li", {}, step))),
      exercise.precautions.length
        ? [h("h3", {}, "Take care"), h("ul", { class: "cross-list" }, exercise.precautions.map((p) => h("li", {}, p)))]
        : null,
    ),
    form,
  );
}

export async function render(ctx) {
  let result = null;
  try {
    result = await loadExercisesToday();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, "Today's exercises"));
  if (!result) {
    ctx.main.append(h("p", { class: "notice notice-info" }, "Connect to the internet once so the app can load your exercises."));
    return;
  }
  const data = result.data;
  const today = patientToday();
  const pending = (await outboxItems()).filter((item) => item.kind === "exercise" && item.state === "pending");
  ctx.main.append(staleNote(result));
  if (data.today !== today) {
    ctx.main.append(h("p", { class: "notice notice-info" }, `These are the exercises for ${formatDay(data.today)}, the last day the app loaded.`));
  }
  if (!data.sessions.length) {
    ctx.main.append(h("p", {}, "There are no exercises for today. Rest, and keep gently moving about."));
    return;
  }
  ctx.main.append(
    h("p", { class: "lead" }, "Go gently. Stop if your pain rises sharply, or your legs feel newly numb, tingly or weak."),
    h(
      "div",
      { class: "cards" },
      data.sessions.map((s) => sessionCard(ctx, s, pending.find((item) => item.sessionKey === s.key))),
    ),
  );
}

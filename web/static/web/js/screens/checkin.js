// The daily check-in: pain, walking and standing, medication, symptoms and the red-flag questions.
//
// Each check-in has an id made on the phone and is sent with an idempotent PUT through the outbox, so it works the
// same online and offline and a replay is never stored twice. Changing a check-in the server already has sends its
// ETag in If-Match. An emergency or urgent answer shows what to do at once, worked out on the phone from the cached
// forms; when the server answers, its own instruction is shown.

import { ApiError, OfflineError } from "../api.js";
import { loadCheckins, loadForms, loadRecovery, patientToday, patientZone, rememberCheckin, staleNote } from "../data.js";
import { addDays, dayIn, fill, formatDay, h } from "../dom.js";
import {
  busy,
  checkboxGroup,
  checkedValue,
  checkedValues,
  clearErrors,
  errorSummary,
  field,
  input,
  radioGroup,
  scale,
  showErrors,
  submitButton,
  yesNo,
} from "../forms.js";
import { instructionFor, instructionPanel } from "../redflags.js";
import { session } from "../session.js";
import { recall, remember } from "../store.js";
import { onOutboxChange, outboxItems, submit } from "../sync.js";

const BACKFILL_DAYS = 7; // CHECKIN_BACKFILL_DAYS on the server, which has the last word
const MAX_MINUTES = 24 * 60;
const MEDICATION = [
  { value: "none", label: "None" },
  { value: "otc", label: "Pain relief from a shop or pharmacy (for example paracetamol or ibuprofen)" },
  { value: "prescribed", label: "Pain medicine a doctor prescribed" },
];
const NOTICES = {
  exists: "This day already had a check-in (perhaps sent from another phone). Here it is: you can change it.",
  changed:
    "This check-in was changed somewhere else since you opened it. We have loaded the latest answers: please check them and send again.",
};

function offlineAsNull(error) {
  if (error instanceof OfflineError) return null;
  throw error;
}

function dayLabel(day, today) {
  if (day === today) return `Today, ${formatDay(day)}`;
  if (day === addDays(today, -1)) return `Yesterday, ${formatDay(day)}`;
  return formatDay(day);
}

function minutesProblem(raw, { optional = false, max = MAX_MINUTES } = {}) {
  const text = raw.trim();
  if (!text) return optional ? null : "Please enter a number (0 if none).";
  if (!/^\d+$/.test(text)) return "Please enter a whole number.";
  if (Number(text) > max) return `Please enter a number up to ${max}.`;
  return null;
}

export async function render(ctx) {
  const today = patientToday();
  const [formsResult, checkinsResult] = await Promise.all([
    loadForms().catch(offlineAsNull),
    loadCheckins().catch(offlineAsNull),
  ]);
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, "Daily check-in"));
  if (!formsResult) {
    ctx.main.append(h("p", { class: "notice notice-info" }, "Connect to the internet once so the app can load the check-in questions."));
    return;
  }
  const forms = formsResult.data;
  const checkins = checkinsResult ? checkinsResult.data : [];
  const items = await outboxItems();
  const clinic = session.me.clinic;

  // Which day: today, or a missed day of the last week (not before joining).
  const joined = session.me.patient ? dayIn(session.me.patient.enrolled_at, patientZone()) : addDays(today, -BACKFILL_DAYS);
  const days = [];
  for (let i = 0; i <= BACKFILL_DAYS; i += 1) {
    const day = addDays(today, -i);
    if (day >= joined) days.push(day);
  }
  const asked = ctx.query.get("date");
  const date = days.includes(asked) ? asked : today;

  const unsent = items.find((item) => item.kind === "checkin" && item.body.local_date === date);
  const stored = checkins.find((c) => c.local_date === date);
  const checkinId = unsent ? unsent.checkinId : stored ? stored.id : crypto.randomUUID();
  let ifMatch = unsent ? unsent.ifMatch || null : stored ? stored.etag : null;
  if (unsent && unsent.state === "conflict" && unsent.latest) ifMatch = unsent.latest.etag;
  const start = unsent ? unsent.body : stored || null;

  const daySelect = h(
    "select",
    { class: "input", name: "day", id: "checkin-day" },
    days.map((day) => {
      const done = checkins.some((c) => c.local_date === day) || items.some((i) => i.kind === "checkin" && i.body.local_date === day);
      return h("option", { value: day, selected: day === date }, dayLabel(day, today) + (done ? " (done)" : ""));
    }),
  );
  daySelect.addEventListener("change", () => ctx.navigate(`/app/checkin?date=${daySelect.value}`, { replace: true }));

  const notice = NOTICES[ctx.query.get("notice")];
  ctx.main.append(
    staleNote(checkinsResult),
    notice ? h("p", { class: "notice notice-info", role: "status" }, notice) : null,
    unsent && unsent.state === "conflict"
      ? h("p", { class: "notice notice-warning" }, "This check-in was changed somewhere else before yours was sent. Check your answers and send again.")
      : null,
    unsent && unsent.state === "rejected"
      ? h("p", { class: "notice notice-warning" }, `This check-in was not accepted: ${(unsent.error && unsent.error.detail) || "please check it"}.`)
      : null,
    field("Which day is this check-in for?", daySelect, { name: "day" }),
    stored && !unsent ? h("p", { class: "status status-done" }, "You have already checked in for this day. You can change your answers below.") : null,
  );

  // --- The form ---
  const back = scale({ name: "back_pain", label: "Back pain", value: start ? start.back_pain : null, lowLabel: "no pain", highLabel: "worst" });
  const leg = scale({ name: "leg_pain", label: "Leg pain", value: start ? start.leg_pain : null, lowLabel: "no pain", highLabel: "worst" });
  const walking = input({ type: "number", name: "walking_minutes", inputmode: "numeric", min: 0, max: MAX_MINUTES, value: start ? start.walking_minutes : "" });
  const standing = input({ type: "number", name: "standing_minutes", inputmode: "numeric", min: 0, max: MAX_MINUTES, value: start ? start.standing_minutes : "" });
  const steps = input({ type: "number", name: "steps", inputmode: "numeric", min: 0, max: 200000, value: start && start.steps !== null ? start.steps : "" });
  const note = h("textarea", { class: "input", name: "note", rows: 3, maxlength: 1000 }, start ? start.note || "" : "");

  const alertBox = h("div", { class: "instruction-slot" });
  const yesKeys = () => forms.red_flag_questions.filter((q) => checkedValue(form, `rf_${q.key}`) === "yes").map((q) => q.key);
  const showInstruction = (nearQuestion) => {
    const instruction = instructionFor(forms, clinic, yesKeys());
    alertBox.replaceChildren(...(instruction ? [instructionPanel(instruction, clinic)] : []));
    if (instruction && nearQuestion) {
      nearQuestion.after(alertBox);
      alertBox.scrollIntoView({ block: "nearest" });
    }
  };
  const redFlags = forms.red_flag_questions.map((question) => {
    const set = yesNo({
      name: `rf_${question.key}`,
      question: question.question,
      help: question.help_text,
      value: start ? ((start.red_flags || []).includes(question.key) ? "yes" : "no") : null,
      onChange: () => showInstruction(set),
    });
    set.dataset.field = "red_flags";
    return set;
  });

  const form = h(
    "form",
    { class: "form checkin-form", novalidate: true },
    errorSummary(),
    h(
      "fieldset",
      { class: "section" },
      h("legend", {}, "Pain"),
      h("p", { class: "hint" }, "How bad was your pain today, on average? 0 means no pain, 10 the worst pain you can imagine."),
      back.element,
      leg.element,
    ),
    h(
      "fieldset",
      { class: "section" },
      h("legend", {}, "Walking and standing"),
      field("The longest you walked today without stopping to rest, in minutes", walking, {
        name: "walking_minutes",
        hint: "On your own, without help. Your best guess; 0 if none.",
      }),
      field("The longest time you stood without a break, in minutes", standing, { name: "standing_minutes", hint: "For example while cooking or waiting." }),
      field("Steps today (optional)", steps, { name: "steps", hint: "Only if your phone or watch counts them." }),
    ),
    radioGroup({ name: "medication", legend: "Pain medicine today", options: MEDICATION, value: start ? start.medication : null }),
    checkboxGroup({
      name: "symptoms",
      legend: "Have you had any of these today?",
      hint: "Tick all that apply. Leave empty if none.",
      options: forms.symptoms.map((s) => ({ value: s.key, label: s.label })),
      values: start ? start.symptoms || [] : [],
    }),
    h(
      "fieldset",
      { class: "section section-red-flags" },
      h("legend", {}, "Warning signs"),
      h("p", { class: "hint" }, "Please answer each question. If you answer yes, we tell you straight away what to do."),
      redFlags,
      alertBox,
    ),
    field("Anything else you want your care team to know? (optional)", note, { name: "note" }),
    submitButton(stored || (unsent && unsent.ifMatch) ? "Send my changes" : "Send my check-in"),
  );
  if (start) showInstruction(null);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const problems = {};
    if (back.value() === null) problems.back_pain = ["Please choose a number for your back pain."];
    if (leg.value() === null) problems.leg_pain = ["Please choose a number for your leg pain."];
    for (const [name, el, optional, max] of [
      ["walking_minutes", walking, false, MAX_MINUTES],
      ["standing_minutes", standing, false, MAX_MINUTES],
      ["steps", steps, true, 200000],
    ]) {
      const problem = minutesProblem(String(el.value), { optional, max });
      if (problem) problems[name] = [problem];
    }
    if (!checkedValue(form, "medication")) problems.medication = ["Please choose one."];
    const unanswered = forms.red_flag_questions.filter((q) => !checkedValue(form, `rf_${q.key}`));
    if (unanswered.length) problems.red_flags = ["Please answer yes or no."];
    if (Object.keys(problems).length) {
      showErrors(form, { fields: problems });
      for (const q of unanswered) {
        const set = form.querySelector(`fieldset[data-field="red_flags"] input[name="rf_${q.key}"]`).closest("fieldset");
        const error = set.querySelector(".field-error");
        error.textContent = "Please answer yes or no.";
        error.hidden = false;
      }
      return;
    }
    const body = {
      local_date: date,
      back_pain: back.value(),
      leg_pain: leg.value(),
      walking_minutes: Number(walking.value),
      standing_minutes: Number(standing.value),
      steps: String(steps.value).trim() === "" ? null : Number(steps.value),
      medication: checkedValue(form, "medication"),
      symptoms: checkedValues(form, "symptoms").sort(),
      red_flags: yesKeys().sort(),
      note: note.value.trim(),
      recorded_at: new Date().toISOString(),
    };
    const item = {
      id: `checkin:${checkinId}`,
      kind: "checkin",
      checkinId,
      method: "PUT",
      url: `/api/v1/me/checkins/${checkinId}`,
      body,
      ifMatch,
      label: `Your check-in for ${formatDay(date)}`,
      reviewPath: `/app/checkin?date=${date}`,
    };
    const instruction = instructionFor(forms, clinic, body.red_flags);
    await busy(form, "Sending…", async () => {
      const result = await submit(item);
      if (!ctx.isCurrent()) return;
      if (result.outcome === "sent") {
        await afterSent(result.data, today);
        confirmation(ctx, item, { sent: true, instruction: result.data.instruction || instruction, body });
      } else if (result.outcome === "queued") {
        confirmation(ctx, item, { sent: false, instruction, body, authNeeded: result.authNeeded });
      } else if (result.outcome === "duplicate" || result.outcome === "conflict") {
        await loadCheckins().catch(() => null);
        await ctx.navigate(`/app/checkin?date=${date}&notice=${result.outcome === "duplicate" ? "exists" : "changed"}`, { replace: true });
      } else {
        showErrors(form, new ApiError(400, result.error));
      }
    });
  });
  ctx.main.append(form);
}

async function afterSent(checkin, today) {
  await rememberCheckin(checkin);
  if (checkin.local_date === today) {
    const copy = await recall("recovery");
    if (copy && copy.value.today === today) {
      await remember("recovery", { ...copy.value, checkin_today: { done: true, id: checkin.id } });
    }
    loadRecovery().catch(() => null);
  }
}

function answerSummary(body) {
  const rows = [
    ["Back pain", `${body.back_pain} out of 10`],
    ["Leg pain", `${body.leg_pain} out of 10`],
    ["Walking", `${body.walking_minutes} minutes`],
    ["Standing", `${body.standing_minutes} minutes`],
  ];
  if (body.steps !== null) rows.push(["Steps", String(body.steps)]);
  return h("dl", { class: "summary-list" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function confirmation(ctx, item, { sent, instruction, body, authNeeded }) {
  const status = h("p", { class: sent ? "status status-done" : "status status-saved", dataset: { state: sent ? "sent" : "queued" } });
  const setStatus = (isSent) => {
    status.className = isSent ? "status status-done" : "status status-saved";
    status.dataset.state = isSent ? "sent" : "queued";
    fill(
      status,
      ...(isSent
        ? [h("strong", {}, "Sent."), " Your care team can see it."]
        : [
            h("strong", {}, "Saved on this phone"),
            " — will send when you're online.",
            authNeeded ? " Please sign in again so it can be sent." : "",
          ]),
    );
  };
  setStatus(sent);
  const slot = h("div", {}, instruction ? instructionPanel(instruction, session.me.clinic) : null);
  if (!sent) {
    ctx.onLeave(
      onOutboxChange((items, report) => {
        const done = report && report.sent.find((entry) => entry.item.id === item.id);
        if (done) {
          setStatus(true);
          afterSent(done.data, patientToday());
          if (done.data && done.data.instruction) slot.replaceChildren(instructionPanel(done.data.instruction, session.me.clinic));
        }
      }),
    );
  }
  ctx.main.replaceChildren(
    h("h1", { tabindex: "-1" }, "Thank you"),
    slot,
    status,
    h("p", {}, `Your check-in for ${formatDay(body.local_date)}:`),
    answerSummary(body),
    h(
      "div",
      { class: "button-row" },
      h("a", { class: "button button-primary", href: "/app/" }, "Back to today"),
      h("a", { class: "button", href: `/app/checkin?date=${body.local_date}` }, "Change it"),
    ),
  );
  const heading = ctx.main.querySelector(instruction ? "[role=alert] h2" : "h1");
  (heading || ctx.main.querySelector("h1")).setAttribute("tabindex", "-1");
  (heading || ctx.main.querySelector("h1")).focus();
}

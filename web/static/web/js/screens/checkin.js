// @ts-check
// The daily check-in: pain, walking and standing, medication, symptoms and the red-flag questions, and once a week the
// question about emergency visits and hospital stays (when /me/recovery says today's check-in asks it).
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
import { signedInPerson } from "../session.js";
import { recall, remember } from "../store.js";
import { onOutboxChange, outboxItems, submit } from "../sync.js";
import { formatNumber, gettext, gettext_noop, interpolate, ngettext } from "../i18n.js";

const MAX_MINUTES = 24 * 60;
/** The medication choices, naming paracetamol the way the clinic's country does (acetaminophen in the US). */
function medicationChoices(clinic) {
  const paracetamol = (clinic && clinic.paracetamol_name) || "paracetamol";
  return [
    { value: "none", label: gettext("None") },
    { value: "otc", label: interpolate(gettext("Pain relief from a shop or pharmacy (for example %(paracetamol)s or ibuprofen)"), { paracetamol }, true) },
    { value: "prescribed", label: gettext("Pain medicine a doctor prescribed") },
  ];
}
const NOTICES = {
  exists: gettext_noop("This day already had a check-in (perhaps sent from another phone). Here it is: you can change it."),
  changed:
    gettext_noop("This check-in was changed somewhere else since you opened it. We have loaded the latest answers: please check them and send again."),
};

function offlineAsNull(error) {
  if (error instanceof OfflineError) return null;
  throw error;
}

function dayLabel(day, today) {
  if (day === today) return interpolate(gettext("Today, %(day)s"), { day: formatDay(day) }, true);
  if (day === addDays(today, -1)) return interpolate(gettext("Yesterday, %(day)s"), { day: formatDay(day) }, true);
  return formatDay(day);
}

function minutesProblem(raw, { optional = false, max = MAX_MINUTES } = {}) {
  const text = raw.trim();
  if (!text) return optional ? null : gettext("Please enter a number (0 if none).");
  if (!/^\d+$/.test(text)) return gettext("Please enter a whole number.");
  if (Number(text) > max) return interpolate(gettext("Please enter a number up to %(max)s."), { max }, true);
  return null;
}

export async function render(ctx) {
  const today = patientToday();
  const [formsResult, checkinsResult, recoveryResult] = await Promise.all([
    loadForms().catch(offlineAsNull),
    loadCheckins().catch(offlineAsNull),
    loadRecovery().catch(offlineAsNull),
  ]);
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, gettext("Daily check-in")));
  if (!formsResult) {
    ctx.main.append(h("p", { class: "notice notice-info" }, gettext("Connect to the internet once so the app can load the check-in questions.")));
    return;
  }
  const forms = formsResult.data;
  const checkins = checkinsResult ? checkinsResult.data : [];
  const items = await outboxItems();
  const clinic = signedInPerson().clinic;

  // Which day: today, or a missed day of the server's backfill window (not before joining). A copy of the forms
  // remembered before the window was part of them offers today only.
  const backfillDays = forms.checkin_backfill_days || 0;
  const me = signedInPerson();
  const joined = me.patient ? dayIn(me.patient.enrolled_at, patientZone()) : addDays(today, -backfillDays);
  const days = [];
  for (let i = 0; i <= backfillDays; i += 1) {
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
      return h("option", { value: day, selected: day === date }, dayLabel(day, today) + (done ? gettext(" (done)") : ""));
    }),
  );
  daySelect.addEventListener("change", () => ctx.navigate(`/app/checkin?date=${daySelect.value}`, { replace: true }));

  const notice = NOTICES[ctx.query.get("notice")] ? gettext(NOTICES[ctx.query.get("notice")]) : null;
  ctx.main.append(
    staleNote(checkinsResult),
    notice ? h("p", { class: "notice notice-info", role: "status" }, notice) : null,
    unsent && unsent.state === "conflict"
      ? h("p", { class: "notice notice-warning" }, gettext("This check-in was changed somewhere else before yours was sent. Check your answers and send again."))
      : null,
    unsent && unsent.state === "rejected"
      ? h("p", { class: "notice notice-warning" }, interpolate(gettext("This check-in was not accepted: %(reason)s."), { reason: (unsent.error && unsent.error.detail) || gettext("please check it") }, true))
      : null,
    field(gettext("Which day is this check-in for?"), daySelect, { name: "day" }),
    stored && !unsent ? h("p", { class: "status status-done" }, gettext("You have already checked in for this day. You can change your answers below.")) : null,
  );

  // --- The form ---
  const back = scale({ name: "back_pain", label: gettext("Back pain"), value: start ? start.back_pain : null, lowLabel: gettext("no pain"), highLabel: gettext("worst") });
  const leg = scale({ name: "leg_pain", label: gettext("Leg pain"), value: start ? start.leg_pain : null, lowLabel: gettext("no pain"), highLabel: gettext("worst") });
  const walking = input({ type: "number", name: "walking_minutes", inputmode: "numeric", min: 0, max: MAX_MINUTES, value: start ? start.walking_minutes : "" });
  const standing = input({ type: "number", name: "standing_minutes", inputmode: "numeric", min: 0, max: MAX_MINUTES, value: start ? start.standing_minutes : "" });
  const steps = input({ type: "number", name: "steps", inputmode: "numeric", min: 0, max: 200000, value: start && start.steps !== null ? start.steps : "" });
  const note = h("textarea", { class: "input", name: "note", rows: 3, maxlength: 1000 }, start ? start.note || "" : "");

  // The weekly question: asked again on a check-in that answered it, and on today's when it is due.
  const weekly = forms.healthcare_use_question || null;
  const answeredBefore = start && start.healthcare_use !== null && start.healthcare_use !== undefined;
  const due = date === today && recoveryResult && recoveryResult.data.today === today && recoveryResult.data.healthcare_use_question_due;
  const healthcare =
    weekly && (answeredBefore || due)
      ? yesNo({
          name: "healthcare_use",
          question: weekly.question,
          help: weekly.help_text,
          value: answeredBefore ? (start.healthcare_use ? "yes" : "no") : null,
          onChange: null,
        })
      : null;

  // Warning signs: every question of the rule set on one screen, each ticked only when the answer is yes, and one
  // large "None of these" for the usual day. A tick shows that question's details and, at once, what to do.
  const alertBox = h("div", { class: "instruction-slot" });
  const yesKeys = () => checkedValues(form, "red_flags").filter((key) => forms.red_flag_questions.some((q) => q.key === key));
  const none = h("input", { type: "checkbox", name: "red_flags_none", value: "none", id: "red-flags-none", checked: Boolean(start && !(start.red_flags || []).length) });
  const showInstruction = (scroll = true) => {
    const instruction = instructionFor(forms, clinic, yesKeys());
    alertBox.replaceChildren(...(instruction ? [instructionPanel(instruction, clinic)] : []));
    if (instruction && scroll) alertBox.scrollIntoView({ block: "nearest" });
  };
  const signs = forms.red_flag_questions.map((question) => {
    const box = h("input", { type: "checkbox", name: "red_flags", value: question.key, id: `rf-${question.key}`, checked: Boolean(start && (start.red_flags || []).includes(question.key)) });
    const details = question.help_text ? h("p", { class: "sign-details", id: `rf-${question.key}-details`, hidden: !box.checked }, question.help_text) : null;
    if (details) box.setAttribute("aria-describedby", details.id);
    box.addEventListener("change", () => {
      if (details) details.hidden = !box.checked;
      if (box.checked) none.checked = false;
      showInstruction();
    });
    return h("li", { class: ["sign", `sign-${question.tier}`] }, h("label", { class: "choice", for: box.id }, box, h("span", {}, question.question)), details);
  });
  none.addEventListener("change", () => {
    if (!none.checked) return;
    for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll('input[name="red_flags"]:checked'))) {
      box.checked = false;
      box.dispatchEvent(new Event("change"));
    }
  });
  const redFlags = h(
    "fieldset",
    { class: "section section-red-flags", dataset: { field: "red_flags" } },
    h("legend", {}, gettext("Warning signs")),
    h("p", { class: "hint" }, gettext("Tick any of these you have had since your last check-in. If you tick one, we tell you straight away what to do.")),
    h("ul", { class: "sign-list" }, signs),
    alertBox,
    h("label", { class: "choice choice-none", for: none.id }, none, h("span", {}, gettext("None of these"))),
    h("p", { class: "field-error", hidden: true }),
  );

  const form = h(
    "form",
    { class: "form checkin-form", novalidate: true },
    errorSummary(),
    h(
      "fieldset",
      { class: "section" },
      h("legend", {}, gettext("Pain")),
      h("p", { class: "hint" }, gettext("How bad was your pain today, on average? 0 means no pain, 10 the worst pain you can imagine.")),
      back.element,
      leg.element,
    ),
    h(
      "fieldset",
      { class: "section" },
      h("legend", {}, gettext("Walking and standing")),
      field(gettext("The longest you walked today without stopping to rest, in minutes"), walking, {
        name: "walking_minutes",
        hint: gettext("On your own, without help. Your best guess; 0 if none."),
      }),
      field(gettext("The longest time you stood without a break, in minutes"), standing, { name: "standing_minutes", hint: gettext("For example while cooking or waiting.") }),
      field(gettext("Steps today (optional)"), steps, { name: "steps", hint: gettext("Only if your phone or watch counts them.") }),
    ),
    radioGroup({ name: "medication", legend: gettext("Pain medicine today"), options: medicationChoices(clinic), value: start ? start.medication : null }),
    checkboxGroup({
      name: "symptoms",
      legend: gettext("Have you had any of these today?"),
      hint: gettext("Tick any that apply. Leave empty if none."),
      options: forms.symptoms.map((s) => ({ value: s.key, label: s.label })),
      values: start ? start.symptoms || [] : [],
    }),
    redFlags,
    healthcare ? h("fieldset", { class: "section" }, h("legend", {}, gettext("This week")), healthcare) : null,
    field(gettext("Anything else you want your care team to know? (optional)"), note, { name: "note" }),
    submitButton(stored || (unsent && unsent.ifMatch) ? gettext("Send my changes") : gettext("Send my check-in")),
  );
  if (start && yesKeys().length) showInstruction(false);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const problems = {};
    if (back.value() === null) problems.back_pain = [gettext("Please choose a number for your back pain.")];
    if (leg.value() === null) problems.leg_pain = [gettext("Please choose a number for your leg pain.")];
    for (const [name, el, optional, max] of [
      ["walking_minutes", walking, false, MAX_MINUTES],
      ["standing_minutes", standing, false, MAX_MINUTES],
      ["steps", steps, true, 200000],
    ]) {
      const problem = minutesProblem(String(el.value), { optional, max });
      if (problem) problems[name] = [problem];
    }
    if (!checkedValue(form, "medication")) problems.medication = [gettext("Please choose one.")];
    if (healthcare && !checkedValue(form, "healthcare_use")) problems.healthcare_use = [gettext("Please answer yes or no.")];
    if (!yesKeys().length && !none.checked) problems.red_flags = [gettext('Please tick the warning signs you have had, or "None of these".')];
    if (Object.keys(problems).length) {
      showErrors(form, { fields: problems });
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
      ...(healthcare && weekly
        ? { healthcare_use: checkedValue(form, "healthcare_use") === "yes", healthcare_use_version: weekly.version }
        : {}),
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
      label: interpolate(gettext("Your check-in for %(day)s"), { day: formatDay(date) }, true),
      reviewPath: `/app/checkin?date=${date}`,
    };
    const instruction = instructionFor(forms, clinic, body.red_flags);
    await busy(form, gettext("Sending…"), async () => {
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
    [gettext("Back pain"), interpolate(gettext("%(value)s out of %(max)s"), { value: body.back_pain, max: 10 }, true)],
    [gettext("Leg pain"), interpolate(gettext("%(value)s out of %(max)s"), { value: body.leg_pain, max: 10 }, true)],
    [gettext("Walking"), interpolate(ngettext("%(count)s minute", "%(count)s minutes", body.walking_minutes), { count: body.walking_minutes }, true)],
    [gettext("Standing"), interpolate(ngettext("%(count)s minute", "%(count)s minutes", body.standing_minutes), { count: body.standing_minutes }, true)],
  ];
  if (body.steps !== null) rows.push([gettext("Steps"), formatNumber(body.steps)]);
  return h("dl", { class: "summary-list" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

/**
 * @param {any} ctx
 * @param {any} item
 * @param {{sent: boolean, instruction: any, body: any, authNeeded?: boolean}} outcome
 */
function confirmation(ctx, item, { sent, instruction, body, authNeeded }) {
  const status = h("p", { class: sent ? "status status-done" : "status status-saved", dataset: { state: sent ? "sent" : "queued" } });
  const setStatus = (isSent) => {
    status.className = isSent ? "status status-done" : "status status-saved";
    status.dataset.state = isSent ? "sent" : "queued";
    fill(
      status,
      ...(isSent
        ? instruction
          ? // Beneath an emergency or urgent instruction nothing may sound like "you can wait": the clinic may not see
            // it for hours.
            [h("strong", {}, gettext("Sent.")), gettext(" Do not wait for your clinic to call you: do what it says above now.")]
          : [h("strong", {}, gettext("Sent.")), gettext(" Your care team can see it.")]
        : [
            h("strong", {}, gettext("Saved on this phone")),
            gettext(" — will send when you're online."),
            authNeeded ? gettext(" Please sign in again so it can be sent.") : "",
          ]),
    );
  };
  setStatus(sent);
  const slot = h("div", {}, instruction ? instructionPanel(instruction, signedInPerson().clinic) : null);
  if (!sent) {
    ctx.onLeave(
      onOutboxChange((items, report) => {
        const done = report && report.sent.find((entry) => entry.item.id === item.id);
        if (done) {
          setStatus(true);
          afterSent(done.data, patientToday());
          if (done.data && done.data.instruction) slot.replaceChildren(instructionPanel(done.data.instruction, signedInPerson().clinic));
        }
      }),
    );
  }
  ctx.main.replaceChildren(
    h("h1", { tabindex: "-1" }, gettext("Thank you")),
    slot,
    status,
    h("p", {}, interpolate(gettext("Your check-in for %(day)s:"), { day: formatDay(body.local_date) }, true)),
    answerSummary(body),
    h(
      "div",
      { class: "button-row" },
      h("a", { class: "button button-primary", href: "/app/" }, gettext("Back to today")),
      h("a", { class: "button", href: `/app/checkin?date=${body.local_date}` }, gettext("Change it")),
    ),
  );
  const heading = ctx.main.querySelector(instruction ? "[role=alert] h2" : "h1");
  (heading || ctx.main.querySelector("h1")).setAttribute("tabindex", "-1");
  (heading || ctx.main.querySelector("h1")).focus();
}

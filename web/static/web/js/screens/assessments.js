// @ts-check
// Progress checks (outcome measures) when one is due: the baseline before the procedure, then each open milestone.
// The questions come from /api/v1/recovery/forms (kept on the phone), the answers are scored on the server. A
// measure answered offline waits in the outbox; a second copy is refused by the server (409) and dropped.

import { ApiError, OfflineError } from "../api.js";
import { loadAssessments, loadForms, loadMilestones, loadRecovery, staleNote } from "../data.js";
import { formatDay, formatDayWithYear, h } from "../dom.js";
import { busy, checkedValue, clearErrors, errorSummary, field, input, radioGroup, scale, showErrors, submitButton } from "../forms.js";
import { outboxItems, submit } from "../sync.js";
import { gettext, interpolate } from "../i18n.js";

const REQUIRED_INSTRUMENTS = new Set(["pain", "tolerance"]); // single numbers: nothing to score without them

function offlineAsNull(error) {
  if (error instanceof OfflineError) return null;
  throw error;
}

/** What is due now: {timepoint, title, text, closesOn, instruments: [keys], done: [keys]} or null. */
function dueCheck(milestones, recovery, assessments) {
  const open = (milestones || []).find((m) => m.status === "open" || m.status === "overdue");
  if (open) {
    return {
      timepoint: open.key,
      title: open.title,
      text: open.patient_text,
      closesOn: open.closes_on,
      overdue: open.status === "overdue",
      instruments: open.assessments,
      done: open.assessments_done,
    };
  }
  const upcoming = recovery && recovery.upcoming_procedure;
  if (upcoming) {
    const done = (assessments || []).filter((a) => a.procedure === upcoming.id && a.timepoint === "baseline").map((a) => a.instrument);
    return {
      timepoint: "baseline",
      title: gettext("Before your procedure"),
      text: gettext("These questions show how you are before the procedure, so we can see how much it helps you."),
      closesOn: upcoming.procedure_date,
      instruments: ["pain", "odi", "zcq", "tolerance"],
      done,
    };
  }
  return null;
}

function itemControl(item, required) {
  const values = item.options.map((o) => o.value);
  const isScale = values.length === 11 && values[0] === 0 && values[10] === 10;
  if (isScale) {
    const control = scale({ name: item.key, label: item.text, lowLabel: gettext("no pain"), highLabel: gettext("worst") });
    return { element: control.element, read: () => control.value() };
  }
  if (item.options.length) {
    const group = radioGroup({ name: item.key, legend: item.text, options: item.options, required });
    return {
      element: group,
      read: (form) => {
        const value = checkedValue(form, item.key);
        return value === null ? null : Number(value);
      },
    };
  }
  const el = input({ type: "number", name: item.key, inputmode: "numeric", min: item.minimum ?? 0, max: item.maximum ?? undefined });
  return {
    element: field(item.text, el, { name: item.key, hint: item.unit ? interpolate(gettext("In %(unit)s."), { unit: item.unit }, true) : undefined }),
    read: () => (String(el.value).trim() === "" ? null : Number(el.value)),
  };
}

function instrumentForm(ctx, instrument, due) {
  const postTreatment = due.timepoint !== "baseline";
  const required = REQUIRED_INSTRUMENTS.has(instrument.key);
  const items = instrument.items.filter((item) => postTreatment || !item.post_treatment_only);
  const controls = items.map((item) => ({ item, ...itemControl(item, required) }));
  const form = h(
    "form",
    { class: "form", novalidate: true },
    errorSummary(),
    h("p", { class: "lead" }, instrument.instructions),
    required ? null : h("p", { class: "hint" }, gettext("You can leave out a question that does not apply to you.")),
    controls.map((c) => c.element),
    submitButton(gettext("Send my answers")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const answers = {};
    const problems = {};
    for (const control of controls) {
      const value = control.read(form);
      if (value === null && required) problems[control.item.key] = [gettext("This question needs an answer.")];
      else if (value !== null && control.item.maximum !== null && value > control.item.maximum) {
        problems[control.item.key] = [interpolate(gettext("Please enter a number up to %(max)s."), { max: control.item.maximum }, true)];
      }
      answers[control.item.key] = value;
    }
    if (Object.keys(problems).length) {
      showErrors(form, { fields: problems });
      return;
    }
    const body = { instrument: instrument.key, timepoint: due.timepoint, answers };
    const item = {
      id: `assessment:${due.timepoint}:${instrument.key}`,
      kind: "assessment",
      method: "POST",
      url: "/api/v1/me/assessments",
      body,
      label: `${instrument.title} (${due.title})`,
      reviewPath: "/app/assessments",
    };
    await busy(form, gettext("Sending…"), async () => {
      const result = await submit(item);
      if (!ctx.isCurrent()) return;
      if (result.outcome === "rejected") {
        const error = new ApiError(400, result.error);
        const fields = {};
        for (const [key, messages] of Object.entries(error.fields)) fields[key.replace(/^answers\./, "")] = messages;
        showErrors(form, { fields, message: error.message });
        return;
      }
      if (result.outcome === "sent" || result.outcome === "duplicate") await loadMilestones().catch(() => null);
      const note = result.outcome === "queued" ? "queued" : "sent";
      await ctx.navigate(`/app/assessments?done=${instrument.key}&state=${note}`, { replace: true });
    });
  });
  return form;
}

/**
 * Outcome measures are licensed, validated questionnaires: they are shown in another language only where a validated
 * version of the wording exists. Otherwise the server says so in the reader's language (`language_notice`).
 */
function languageNote(instrument) {
  if (!instrument.language_notice) return null;
  return h("p", { class: "notice notice-info", dataset: { testid: "instrument-language" } }, instrument.language_notice);
}

export async function render(ctx) {
  const [milestonesR, recoveryR, assessmentsR, formsR] = await Promise.all([
    loadMilestones().catch(offlineAsNull),
    loadRecovery().catch(offlineAsNull),
    loadAssessments().catch(offlineAsNull),
    loadForms().catch(offlineAsNull),
  ]);
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, gettext("Progress checks")));
  if (!formsR || (!milestonesR && !recoveryR)) {
    ctx.main.append(h("p", { class: "notice notice-info" }, gettext("Connect to the internet once so the app can load your progress checks.")));
    return;
  }
  ctx.main.append(staleNote(milestonesR));
  const due = dueCheck(milestonesR && milestonesR.data, recoveryR && recoveryR.data, assessmentsR && assessmentsR.data);
  const instruments = Object.fromEntries(formsR.data.instruments.map((i) => [i.key, i]));

  const just = ctx.query.get("done");
  if (just && instruments[just]) {
    const queued = ctx.query.get("state") === "queued";
    ctx.main.append(
      h(
        "p",
        { class: queued ? "status status-saved" : "status status-done", role: "status" },
        queued
          ? [h("strong", {}, gettext("Saved on this phone")), interpolate(gettext(" — %(title)s will send when you're online."), { title: instruments[just].title }, true)]
          : interpolate(gettext("Thank you. Your answers to the %(title)s are saved."), { title: instruments[just].title }, true),
      ),
    );
  }

  if (!due) {
    const next = (milestonesR ? milestonesR.data : []).find((m) => m.status === "upcoming");
    ctx.main.append(
      h("p", { class: "lead" }, gettext("No progress check is due right now.")),
      next ? h("p", {}, interpolate(gettext("The next one, the %(title)s, opens on %(day)s. We will remind you."), { title: next.title, day: formatDayWithYear(next.opens_on) }, true)) : null,
      h("a", { class: "button", href: "/app/" }, gettext("Back to today")),
    );
    return;
  }

  const queued = (await outboxItems()).filter((i) => i.kind === "assessment" && i.body.timepoint === due.timepoint).map((i) => i.body.instrument);
  const chosen = ctx.query.get("instrument");
  if (chosen && instruments[chosen] && due.instruments.includes(chosen)) {
    const instrument = instruments[chosen];
    ctx.main.replaceChildren(
      h("h1", {}, instrument.title),
      h("p", { class: "eyebrow" }, due.title),
      languageNote(instrument),
      instrumentForm(ctx, instrument, due),
      h("p", {}, h("a", { href: "/app/assessments" }, gettext("Back to the list"))),
    );
    return;
  }

  const remaining = due.instruments.filter((key) => !due.done.includes(key) && !queued.includes(key));
  ctx.main.append(
    h("h2", {}, due.title),
    h("p", {}, due.text),
    h("p", { class: due.overdue ? "notice notice-warning" : "hint" }, due.overdue ? gettext("This check is overdue: please fill it in soon.") : interpolate(gettext("Please fill it in by %(day)s."), { day: formatDay(due.closesOn) }, true)),
    h(
      "ul",
      { class: "task-list" },
      due.instruments.map((key) => {
        const instrument = instruments[key];
        const title = instrument ? instrument.title : key;
        let state = gettext("To do");
        if (due.done.includes(key)) state = gettext("Done");
        else if (queued.includes(key)) state = gettext("Saved on this phone");
        return h(
          "li",
          { class: state === gettext("To do") ? "task" : "task task-done" },
          state === gettext("To do") ? h("a", { class: "button button-wide", href: `/app/assessments?instrument=${key}` }, title) : h("span", { class: "task-title" }, title),
          h("span", { class: "task-state" }, state),
        );
      }),
    ),
    remaining.length ? null : h("p", { class: "status status-done" }, gettext("All done for this check. Thank you!")),
  );
}

// @ts-check
// The clinician's side of the journey before and after the procedure, on a patient's page: the candidate screening
// (its status, the form to record one, every earlier screening), the preparation checklist's state and the baseline,
// the education articles the patient read, and adverse events (recorded ones, drafts to complete or dismiss, the
// form to record one).

import { ApiError, OfflineError, api, getAll } from "../../api.js";
import { announce, fill, formatDateTime, formatDayWithYear, h, uid } from "../../dom.js";
import { busy, checkedValue, clearErrors, errorSummary, field, input, radioGroup, showErrors } from "../../forms.js";
import { formatNumber, gettext, gettext_noop, interpolate, ngettext, pgettext } from "../../i18n.js";
import { screeningLabel } from "./shared.js";

const ANSWERS = [
  { value: "yes", label: gettext_noop("Yes") },
  { value: "no", label: gettext_noop("No") },
  { value: "unknown", label: gettext_noop("Unknown") },
];
const CAUTIONS = [
  ["heart_disease", gettext_noop("Severe heart disease")],
  ["uncontrolled_diabetes", gettext_noop("Uncontrolled diabetes")],
  ["spinal_instability", gettext_noop("Spinal instability or significant spondylolisthesis")],
  ["previous_spinal_surgery", gettext_noop("Previous spinal surgery at the level")],
];
const TREATMENTS = [
  ["physical_therapy", gettext_noop("Physical therapy")],
  ["medication", gettext_noop("Medication")],
  ["epidural_injections", gettext_noop("Epidural injections")],
];
const OUTCOMES = [
  { value: "candidate", label: gettext_noop("Candidate") },
  { value: "needs_review", label: gettext_noop("Needs review") },
  { value: "not_candidate", label: gettext_noop("Not a candidate") },
];
const KINDS = [
  ["infection", gettext_noop("Infection")],
  ["bleeding", gettext_noop("Bleeding or haematoma")],
  ["nerve_injury", gettext_noop("Nerve injury")],
  ["dural_tear", gettext_noop("Dural tear")],
  ["other", gettext_noop("Other")],
];
// A procedure's status as the screening line says it (lower case, in brackets).
const PROCEDURE_STATUS = [
  ["scheduled", gettext_noop("scheduled")],
  ["done", gettext_noop("done")],
  ["cancelled", gettext_noop("cancelled")],
];
const procedureStatus = (value) => label(PROCEDURE_STATUS, value);
const GRADES = ["I", "II", "IIIa", "IIIb", "IVa", "IVb", "V"];
const RELATEDNESS = [
  ["procedure", gettext_noop("Procedure-related")],
  ["device", gettext_noop("Device-related")],
  ["not_related", gettext_noop("Not related")],
  ["unknown", gettext_noop("Not yet known")],
];
/** An adverse event's outcomes, translated when shown ("Resolved" of an event, not of an alert: its own context). */
const eventOutcomes = () => [
  ["ongoing", gettext("Ongoing")],
  ["resolved", pgettext("adverse event outcome", "Resolved")],
  ["resolved_with_sequelae", gettext("Resolved with lasting effects")],
  ["fatal", gettext("Fatal")],
  ["unknown", gettext("Unknown")],
];
/** The label of `value` among [value, label] pairs, in the active language; an unknown value is shown as it is. */
const label = (pairs, value) => {
  const found = pairs.find(([key]) => key === value);
  return found ? gettext(found[1]) : value || "–";
};
/** Radio options with their labels in the active language. */
const translated = (options) => options.map((o) => ({ ...o, label: gettext(o.label) }));

function select(name, pairs, value, placeholder) {
  return h(
    "select",
    { class: "input", name },
    placeholder ? h("option", { value: "" }, placeholder) : null,
    pairs.map(([key, text]) => h("option", { value: key, selected: key === value }, gettext(text))),
  );
}

function textArea(name, value = "", rows = 2) {
  const area = h("textarea", { class: "input", name, rows, maxlength: 500 });
  area.value = value;
  return area;
}

function checkbox(name, text, checked) {
  const id = uid(name);
  return h("div", { class: "field", dataset: { field: name } }, h("label", { class: "choice", for: id }, h("input", { type: "checkbox", id, name, checked: Boolean(checked) }), h("span", {}, text)), h("p", { class: "field-error", hidden: true }));
}

function section(id, title, ...children) {
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

async function submitting(form, work) {
  clearErrors(form);
  await busy(form, gettext("Saving…"), async () => {
    try {
      await work();
    } catch (error) {
      if (error instanceof ApiError || error instanceof OfflineError) showErrors(form, error);
      else throw error;
    }
  });
}

// --- Screening ------------------------------------------------------------------------------------------------------

function screeningForm(url, onSaved) {
  const answers = translated(ANSWERS);
  const care = TREATMENTS.map(([key, name]) => {
    const text = gettext(name);
    const box = h("input", { type: "checkbox", name: `care-${key}`, id: uid(key) });
    const weeks = input({ type: "number", name: `weeks-${key}`, min: 1, max: 520, inputmode: "numeric" });
    return { key, box, weeks, row: h("div", { class: "field" }, h("label", { class: "choice", for: box.id }, box, h("span", {}, interpolate(gettext("%(treatment)s tried"), { treatment: text }, true))), field(interpolate(gettext("%(treatment)s: weeks tried"), { treatment: text }, true), weeks)) };
  });
  const form = h(
    "form",
    { class: "form", novalidate: true, "aria-label": gettext("Record a screening") },
    errorSummary(),
    h("h3", {}, gettext("Selection criteria")),
    radioGroup({ name: "stenosis_confirmed", legend: gettext("Lumbar spinal stenosis confirmed on MRI or CT"), options: answers }),
    field(gettext("Imaging"), select("imaging_modality", [["mri", gettext_noop("MRI")], ["ct", gettext_noop("CT")]], "", gettext("Not given")), { name: "imaging_modality" }),
    field(gettext("Imaging date"), input({ type: "date", name: "imaging_date" }), { name: "imaging_date" }),
    radioGroup({ name: "claudication", legend: gettext("Neurogenic claudication: worse standing or walking, eased by sitting or bending forward"), options: answers }),
    radioGroup({ name: "conservative_care_failed", legend: gettext("Conservative care tried and failed"), options: answers }),
    h("fieldset", { class: "choices", dataset: { field: "conservative_care" } }, h("legend", {}, gettext("Conservative care tried")), care.map((c) => c.row), h("p", { class: "field-error", hidden: true })),
    h("h3", {}, gettext("Cautions")),
    CAUTIONS.map(([key, name]) => [
      radioGroup({ name: key, legend: gettext(name), options: answers }),
      field(interpolate(gettext("%(caution)s: note"), { caution: gettext(name) }, true), textArea(`${key}_note`), { name: `${key}_note` }),
    ]),
    radioGroup({ name: "diabetes", legend: gettext("Diabetes, controlled or not (a risk factor)"), options: answers }),
    h("h3", {}, gettext("Decision")),
    radioGroup({ name: "outcome", legend: gettext("Outcome"), options: translated(OUTCOMES) }),
    field(gettext("Note"), textArea("note", "", 3), { name: "note" }),
    h("button", { type: "submit", class: "button button-primary" }, gettext("Save screening")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value;
    const body = {
      stenosis_confirmed: checkedValue(form, "stenosis_confirmed"),
      imaging_modality: value("imaging_modality"),
      imaging_date: value("imaging_date") || null,
      claudication: checkedValue(form, "claudication"),
      conservative_care_failed: checkedValue(form, "conservative_care_failed"),
      conservative_care: care.filter((c) => c.box.checked).map((c) => ({ treatment: c.key, weeks: Number(c.weeks.value) || 0 })),
      diabetes: checkedValue(form, "diabetes"),
      outcome: checkedValue(form, "outcome"),
      note: value("note").trim(),
    };
    for (const [key] of CAUTIONS) {
      body[key] = checkedValue(form, key);
      body[`${key}_note`] = value(`${key}_note`).trim();
    }
    await submitting(form, async () => {
      const saved = await api.put(url, body);
      announce(interpolate(gettext("Screening saved: %(outcome)s."), { outcome: screeningLabel(saved.outcome) }, true));
      onSaved();
    });
  });
  return form;
}

function screeningHistory(history) {
  if (!history.length) return h("p", {}, gettext("No screening recorded for this procedure."));
  return h(
    "ol",
    { class: "plain-list screening-history" },
    history.map((s) =>
      h(
        "li",
        {},
        h("strong", {}, screeningLabel(s.outcome)),
        s.latest ? gettext(" (latest, decides the procedure)") : "",
        ` — ${s.decided_by ? s.decided_by.full_name : "–"}, ${formatDateTime(s.decided_at)}`,
        s.cautions.filter((c) => c.answer === "yes").length
          ? h(
              "span",
              { class: "muted block" },
              interpolate(gettext("Cautions: %(cautions)s"), { cautions: s.cautions.filter((c) => c.answer === "yes").map((c) => c.label + (c.note ? ` (${c.note})` : "")).join("; ") }, true),
            )
          : null,
      ),
    ),
  );
}

// --- Preparation and education --------------------------------------------------------------------------------------

function preparationPart(preparation) {
  if (!preparation) return h("p", {}, gettext("No procedure scheduled: no preparation checklist."));
  const open = preparation.items.filter((i) => !i.done_at);
  const baseline = preparation.baseline;
  return h(
    "div",
    { class: "preparation-state" },
    h(
      "p",
      {},
      preparation.countdown ? `${preparation.countdown}. ` : "",
      interpolate(
        ngettext("%(open)s of %(total)s checklist items not done.", "%(open)s of %(total)s checklist items not done.", preparation.items.length),
        { open: formatNumber(open.length), total: formatNumber(preparation.items.length) },
        true,
      ),
    ),
    open.length
      ? h("ul", { class: "plain-list" }, open.map((i) => h("li", {}, h("strong", {}, i.title), i.due_on ? interpolate(gettext(" — by %(date)s"), { date: formatDayWithYear(i.due_on) }, true) : "")))
      : h("p", {}, gettext("Every item is done.")),
    h(
      "p",
      { class: baseline && baseline.missing.length ? "flag-text" : null },
      baseline && baseline.missing.length ? interpolate(gettext("Baseline missing: %(measures)s"), { measures: baseline.missing.join(", ") }, true) : gettext("Baseline measures done."),
    ),
  );
}

/** An article not read in its current text; one whose earlier text the patient read says so. */
function unreadTitle(article) {
  if (!article.earlier_version_read_at) return article.title;
  return interpolate(gettext("%(title)s (changed since read on %(when)s)"), { title: article.title, when: formatDateTime(article.earlier_version_read_at) }, true);
}

function educationPart(education) {
  const reads = education.reads || [];
  const all = [...(education.due || []), ...(education.other || [])];
  const unread = all.filter((a) => !a.read_at);
  return h(
    "div",
    { class: "education-state" },
    h("h3", {}, gettext("Education articles read")),
    reads.length ? h("ul", { class: "plain-list" }, reads.map((r) => h("li", {}, h("strong", {}, r.title), ` — ${formatDateTime(r.read_at)}`))) : h("p", {}, gettext("No articles read yet.")),
    unread.length ? h("p", { class: "muted" }, interpolate(gettext("Not read: %(titles)s."), { titles: unread.map(unreadTitle).join(", ") }, true)) : null,
  );
}

// --- Adverse events -------------------------------------------------------------------------------------------------

function eventForm({ procedures, event, onSaved, patientUrl }) {
  const v = event || {};
  const form = h(
    "form",
    { class: "form", novalidate: true, "aria-label": event ? gettext("Complete the adverse event") : gettext("Record an adverse event") },
    errorSummary(),
    event
      ? null
      : field(gettext("Procedure"), select("procedure", procedures.map((p) => [p.id, `${formatDayWithYear(p.procedure_date)} (${p.levels.join(", ")})`]), procedures[0] && procedures[0].id), { name: "procedure" }),
    field(gettext("What happened"), select("kind", KINDS, v.kind, gettext("Choose")), { name: "kind" }),
    field(gettext("If other, what"), input({ name: "kind_other", value: v.kind_other || "", maxlength: 200 }), { name: "kind_other" }),
    field(gettext("Clavien-Dindo grade"), select("grade", GRADES.map((g) => [g, interpolate(gettext("Grade %(grade)s"), { grade: g }, true)]), v.grade, gettext("Choose")), { name: "grade" }),
    field(gettext("Started on"), input({ type: "date", name: "onset_date", value: v.onset_date || "" }), { name: "onset_date" }),
    field(gettext("Resolved on (if resolved)"), input({ type: "date", name: "resolved_date", value: v.resolved_date || "" }), { name: "resolved_date" }),
    field(gettext("Related to"), select("relatedness", RELATEDNESS, v.relatedness, gettext("Choose")), { name: "relatedness" }),
    field(gettext("Outcome"), select("outcome", eventOutcomes(), v.outcome, gettext("Choose")), { name: "outcome" }),
    checkbox("emergency_visit", gettext("Emergency department visit"), v.emergency_visit),
    checkbox("hospital_admission", gettext("Hospital admission"), v.hospital_admission),
    checkbox("further_surgery", gettext("Further surgery"), v.further_surgery),
    field(gettext("Description"), textArea("description", v.description || "", 3), { name: "description" }),
    h("button", { type: "submit", class: "button button-primary" }, event ? gettext("Complete and record") : gettext("Record adverse event")),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const el = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
    const body = {
      kind: el("kind").value,
      kind_other: el("kind_other").value.trim(),
      grade: el("grade").value,
      onset_date: el("onset_date").value || null,
      resolved_date: el("resolved_date").value || null,
      relatedness: el("relatedness").value,
      outcome: el("outcome").value,
      emergency_visit: el("emergency_visit").checked,
      hospital_admission: el("hospital_admission").checked,
      further_surgery: el("further_surgery").checked,
      description: el("description").value.trim(),
    };
    if (!event) body.procedure = el("procedure").value;
    await submitting(form, async () => {
      if (event) await api.patch(`${patientUrl}/adverse-events/${encodeURIComponent(event.id)}`, body);
      else await api.post(`${patientUrl}/adverse-events`, body);
      announce(gettext("Adverse event recorded."));
      onSaved();
    });
  });
  return form;
}

function dismissForm(patientUrl, event, onSaved) {
  const reason = textArea("reason");
  const form = h(
    "form",
    { class: "form form-compact", novalidate: true, "aria-label": gettext("Dismiss the draft") },
    errorSummary(),
    field(gettext("Why this is not an adverse event"), reason, { name: "reason" }),
    h("button", { type: "submit", class: "button" }, gettext("Dismiss draft")),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    await submitting(form, async () => {
      await api.post(`${patientUrl}/adverse-events/${encodeURIComponent(event.id)}/dismiss`, { reason: reason.value.trim() });
      announce(gettext("Draft dismissed."));
      onSaved();
    });
  });
  return form;
}

function eventItem(event, patientUrl, onSaved) {
  const facts = [
    event.grade ? interpolate(gettext("Clavien-Dindo %(grade)s"), { grade: event.grade }, true) : null,
    event.relatedness ? label(RELATEDNESS, event.relatedness) : null,
    event.outcome ? label(eventOutcomes(), event.outcome) : null,
    event.emergency_visit ? gettext("emergency visit") : null,
    event.hospital_admission ? gettext("hospital admission") : null,
    event.further_surgery ? gettext("further surgery") : null,
  ].filter(Boolean);
  const title = event.status === "draft" ? gettext("Draft from the weekly question") : `${label(KINDS, event.kind)}${event.kind_other ? `: ${event.kind_other}` : ""}`;
  const item = h(
    "li",
    { class: `adverse-event status-${event.status}`, dataset: { event: event.id } },
    h("strong", {}, title),
    event.status === "dismissed" ? interpolate(gettext(" — dismissed: %(reason)s"), { reason: event.dismiss_reason }, true) : "",
    event.onset_date ? interpolate(gettext(" — from %(date)s"), { date: formatDayWithYear(event.onset_date) }, true) : "",
    facts.length ? h("span", { class: "block" }, facts.join(" · ")) : null,
    event.description ? h("span", { class: "muted block" }, event.description) : null,
  );
  if (event.status === "draft") {
    const details = h("details", {}, h("summary", {}, gettext("Complete or dismiss this draft")), eventForm({ procedures: [], event, onSaved, patientUrl }), dismissForm(patientUrl, event, onSaved));
    item.append(details);
  }
  return item;
}

// --- The sections -----------------------------------------------------------------------------------------------------

/** Append the screening, preparation, education and adverse-event sections to the patient's page. */
export async function safetySections(ctx, patientId) {
  const patientUrl = `/api/v1/patients/${patientId}`;
  const before = section("patient-before", gettext("Before the procedure"));
  const events = section("patient-adverse-events", gettext("Adverse events"));
  ctx.main.append(before, events);

  const drawBefore = async () => {
    const procedures = (await getAll(`${patientUrl}/procedures`)).filter((p) => p.status !== "cancelled");
    const current = procedures[0];
    if (!current) {
      fill(before, h("h2", { id: "patient-before" }, gettext("Before the procedure")), h("p", {}, gettext("No procedure scheduled or done.")));
      return;
    }
    const procedureUrl = `${patientUrl}/procedures/${encodeURIComponent(current.id)}`;
    const [history, preparation, education] = await Promise.all([
      api.get(`${procedureUrl}/screenings`),
      current.status === "scheduled" ? api.get(`${procedureUrl}/preparation`) : Promise.resolve(null),
      api.get(`${patientUrl}/education`),
    ]);
    if (!ctx.isCurrent()) return;
    const status = current.screening.status;
    fill(
      before,
      h("h2", { id: "patient-before" }, gettext("Before the procedure")),
      h(
        "p",
        { class: "lead screening-status" },
        interpolate(gettext("Procedure %(date)s (%(status)s). Screening: "), { date: formatDayWithYear(current.procedure_date), status: procedureStatus(current.status) }, true),
        h("strong", { class: status === "candidate" || current.status !== "scheduled" ? null : "flag-text" }, screeningLabel(status)),
      ),
      h("h3", {}, gettext("Screening history")),
      screeningHistory(history),
      h("details", {}, h("summary", {}, history.length ? gettext("Screen again") : gettext("Record a screening")), screeningForm(`${procedureUrl}/screening`, () => drawBefore())),
      h("h3", {}, gettext("Preparation")),
      preparationPart(preparation),
      educationPart(education),
    );
  };

  const drawEvents = async () => {
    const [list, procedures] = await Promise.all([api.get(`${patientUrl}/adverse-events`), getAll(`${patientUrl}/procedures`)]);
    if (!ctx.isCurrent()) return;
    const done = procedures.filter((p) => p.status === "done");
    fill(
      events,
      h("h2", { id: "patient-adverse-events" }, gettext("Adverse events")),
      list.length ? h("ul", { class: "plain-list adverse-events" }, list.map((e) => eventItem(e, patientUrl, () => drawEvents()))) : h("p", {}, gettext("No adverse events recorded.")),
      done.length
        ? h("details", {}, h("summary", {}, gettext("Record an adverse event")), eventForm({ procedures: done, event: null, onSaved: () => drawEvents(), patientUrl }))
        : h("p", { class: "muted" }, gettext("Adverse events are recorded after a procedure that was done.")),
    );
  };

  try {
    await Promise.all([drawBefore(), drawEvents()]);
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    before.append(h("p", { class: "notice notice-info" }, gettext("You are offline.")));
  }
}

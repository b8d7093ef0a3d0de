// @ts-check
// The clinician's side of the journey before and after the procedure, on a patient's page: the candidate screening
// (its status, the form to record one, every earlier screening), the preparation checklist's state and the baseline,
// the education articles the patient read, and adverse events (recorded ones, drafts to complete or dismiss, the
// form to record one).

import { ApiError, OfflineError, api, getAll } from "../../api.js";
import { announce, fill, formatDateTime, formatDayWithYear, h, uid } from "../../dom.js";
import { busy, checkedValue, clearErrors, errorSummary, field, input, radioGroup, showErrors } from "../../forms.js";
import { SCREENING_LABEL } from "./shared.js";

const ANSWERS = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
  { value: "unknown", label: "Unknown" },
];
const CAUTIONS = [
  ["heart_disease", "Severe heart disease"],
  ["uncontrolled_diabetes", "Uncontrolled diabetes"],
  ["spinal_instability", "Spinal instability or significant spondylolisthesis"],
  ["previous_spinal_surgery", "Previous spinal surgery at the level"],
];
const TREATMENTS = [
  ["physical_therapy", "Physical therapy"],
  ["medication", "Medication"],
  ["epidural_injections", "Epidural injections"],
];
const OUTCOMES = [
  { value: "candidate", label: "Candidate" },
  { value: "needs_review", label: "Needs review" },
  { value: "not_candidate", label: "Not a candidate" },
];
const KINDS = [
  ["infection", "Infection"],
  ["bleeding", "Bleeding or haematoma"],
  ["nerve_injury", "Nerve injury"],
  ["dural_tear", "Dural tear"],
  ["other", "Other"],
];
const GRADES = ["I", "II", "IIIa", "IIIb", "IVa", "IVb", "V"];
const RELATEDNESS = [
  ["procedure", "Procedure-related"],
  ["device", "Device-related"],
  ["not_related", "Not related"],
  ["unknown", "Not yet known"],
];
const EVENT_OUTCOMES = [
  ["ongoing", "Ongoing"],
  ["resolved", "Resolved"],
  ["resolved_with_sequelae", "Resolved with lasting effects"],
  ["fatal", "Fatal"],
  ["unknown", "Unknown"],
];
const label = (pairs, value) => (pairs.find(([key]) => key === value) || [value, value || "–"])[1];

function select(name, pairs, value, placeholder) {
  return h(
    "select",
    { class: "input", name },
    placeholder ? h("option", { value: "" }, placeholder) : null,
    pairs.map(([key, text]) => h("option", { value: key, selected: key === value }, text)),
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
  await busy(form, "Saving…", async () => {
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
  const care = TREATMENTS.map(([key, text]) => {
    const box = h("input", { type: "checkbox", name: `care-${key}`, id: uid(key) });
    const weeks = input({ type: "number", name: `weeks-${key}`, min: 1, max: 520, inputmode: "numeric" });
    return { key, box, weeks, row: h("div", { class: "field" }, h("label", { class: "choice", for: box.id }, box, h("span", {}, `${text} tried`)), field(`${text}: weeks tried`, weeks)) };
  });
  const form = h(
    "form",
    { class: "form", novalidate: true, "aria-label": "Record a screening" },
    errorSummary(),
    h("h3", {}, "Selection criteria"),
    radioGroup({ name: "stenosis_confirmed", legend: "Lumbar spinal stenosis confirmed on MRI or CT", options: ANSWERS }),
    field("Imaging", select("imaging_modality", [["mri", "MRI"], ["ct", "CT"]], "", "Not given"), { name: "imaging_modality" }),
    field("Imaging date", input({ type: "date", name: "imaging_date" }), { name: "imaging_date" }),
    radioGroup({ name: "claudication", legend: "Neurogenic claudication: worse standing or walking, eased by sitting or bending forward", options: ANSWERS }),
    radioGroup({ name: "conservative_care_failed", legend: "Conservative care tried and failed", options: ANSWERS }),
    h("fieldset", { class: "choices", dataset: { field: "conservative_care" } }, h("legend", {}, "Conservative care tried"), care.map((c) => c.row), h("p", { class: "field-error", hidden: true })),
    h("h3", {}, "Cautions"),
    CAUTIONS.map(([key, text]) => [radioGroup({ name: key, legend: text, options: ANSWERS }), field(`${text}: note`, textArea(`${key}_note`), { name: `${key}_note` })]),
    radioGroup({ name: "diabetes", legend: "Diabetes, controlled or not (a risk factor)", options: ANSWERS }),
    h("h3", {}, "Decision"),
    radioGroup({ name: "outcome", legend: "Outcome", options: OUTCOMES }),
    field("Note", textArea("note", "", 3), { name: "note" }),
    h("button", { type: "submit", class: "button button-primary" }, "Save screening"),
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
      announce(`Screening saved: ${SCREENING_LABEL[saved.outcome]}.`);
      onSaved();
    });
  });
  return form;
}

function screeningHistory(history) {
  if (!history.length) return h("p", {}, "No screening recorded for this procedure.");
  return h(
    "ol",
    { class: "plain-list screening-history" },
    history.map((s) =>
      h(
        "li",
        {},
        h("strong", {}, SCREENING_LABEL[s.outcome] || s.outcome),
        s.latest ? " (latest, decides the procedure)" : "",
        ` — ${s.decided_by ? s.decided_by.full_name : "–"}, ${formatDateTime(s.decided_at)}`,
        s.cautions.filter((c) => c.answer === "yes").length ? h("span", { class: "muted block" }, `Cautions: ${s.cautions.filter((c) => c.answer === "yes").map((c) => c.label + (c.note ? ` (${c.note})` : "")).join("; ")}`) : null,
      ),
    ),
  );
}

// --- Preparation and education --------------------------------------------------------------------------------------

function preparationPart(preparation) {
  if (!preparation) return h("p", {}, "No procedure scheduled: no preparation checklist.");
  const open = preparation.items.filter((i) => !i.done_at);
  const baseline = preparation.baseline;
  return h(
    "div",
    { class: "preparation-state" },
    h("p", {}, preparation.countdown ? `${preparation.countdown}. ` : "", `${open.length} of ${preparation.items.length} checklist items not done.`),
    open.length ? h("ul", { class: "plain-list" }, open.map((i) => h("li", {}, h("strong", {}, i.title), i.due_on ? ` — by ${formatDayWithYear(i.due_on)}` : ""))) : h("p", {}, "Every item is done."),
    h("p", { class: baseline && baseline.missing.length ? "flag-text" : null }, baseline && baseline.missing.length ? `Baseline missing: ${baseline.missing.join(", ")}` : "Baseline measures done."),
  );
}

function educationPart(education) {
  const reads = education.reads || [];
  const all = [...(education.due || []), ...(education.other || [])];
  const unread = all.filter((a) => !a.read_at);
  return h(
    "div",
    { class: "education-state" },
    h("h3", {}, "Education articles read"),
    reads.length ? h("ul", { class: "plain-list" }, reads.map((r) => h("li", {}, h("strong", {}, r.title), ` — ${formatDateTime(r.read_at)}`))) : h("p", {}, "No articles read yet."),
    unread.length ? h("p", { class: "muted" }, `Not read: ${unread.map((a) => a.title).join(", ")}.`) : null,
  );
}

// --- Adverse events -------------------------------------------------------------------------------------------------

function eventForm({ procedures, event, onSaved, patientUrl }) {
  const v = event || {};
  const form = h(
    "form",
    { class: "form", novalidate: true, "aria-label": event ? "Complete the adverse event" : "Record an adverse event" },
    errorSummary(),
    event ? null : field("Procedure", select("procedure", procedures.map((p) => [p.id, `${formatDayWithYear(p.procedure_date)} (${p.levels.join(", ")})`]), procedures[0] && procedures[0].id), { name: "procedure" }),
    field("What happened", select("kind", KINDS, v.kind, "Choose"), { name: "kind" }),
    field("If other, what", input({ name: "kind_other", value: v.kind_other || "", maxlength: 200 }), { name: "kind_other" }),
    field("Clavien-Dindo grade", select("grade", GRADES.map((g) => [g, `Grade ${g}`]), v.grade, "Choose"), { name: "grade" }),
    field("Started on", input({ type: "date", name: "onset_date", value: v.onset_date || "" }), { name: "onset_date" }),
    field("Resolved on (if resolved)", input({ type: "date", name: "resolved_date", value: v.resolved_date || "" }), { name: "resolved_date" }),
    field("Related to", select("relatedness", RELATEDNESS, v.relatedness, "Choose"), { name: "relatedness" }),
    field("Outcome", select("outcome", EVENT_OUTCOMES, v.outcome, "Choose"), { name: "outcome" }),
    checkbox("emergency_visit", "Emergency department visit", v.emergency_visit),
    checkbox("hospital_admission", "Hospital admission", v.hospital_admission),
    checkbox("further_surgery", "Further surgery", v.further_surgery),
    field("Description", textArea("description", v.description || "", 3), { name: "description" }),
    h("button", { type: "submit", class: "button button-primary" }, event ? "Complete and record" : "Record adverse event"),
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
      announce("Adverse event recorded.");
      onSaved();
    });
  });
  return form;
}

function dismissForm(patientUrl, event, onSaved) {
  const reason = textArea("reason");
  const form = h("form", { class: "form form-compact", novalidate: true, "aria-label": "Dismiss the draft" }, errorSummary(), field("Why this is not an adverse event", reason, { name: "reason" }), h("button", { type: "submit", class: "button" }, "Dismiss draft"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    await submitting(form, async () => {
      await api.post(`${patientUrl}/adverse-events/${encodeURIComponent(event.id)}/dismiss`, { reason: reason.value.trim() });
      announce("Draft dismissed.");
      onSaved();
    });
  });
  return form;
}

function eventItem(event, patientUrl, onSaved) {
  const facts = [
    event.grade ? `Clavien-Dindo ${event.grade}` : null,
    event.relatedness ? label(RELATEDNESS, event.relatedness) : null,
    event.outcome ? label(EVENT_OUTCOMES, event.outcome) : null,
    event.emergency_visit ? "emergency visit" : null,
    event.hospital_admission ? "hospital admission" : null,
    event.further_surgery ? "further surgery" : null,
  ].filter(Boolean);
  const title = event.status === "draft" ? "Draft from the weekly question" : `${label(KINDS, event.kind)}${event.kind_other ? `: ${event.kind_other}` : ""}`;
  const item = h(
    "li",
    { class: `adverse-event status-${event.status}`, dataset: { event: event.id } },
    h("strong", {}, title),
    event.status === "dismissed" ? ` — dismissed: ${event.dismiss_reason}` : "",
    event.onset_date ? ` — from ${formatDayWithYear(event.onset_date)}` : "",
    facts.length ? h("span", { class: "block" }, facts.join(" · ")) : null,
    event.description ? h("span", { class: "muted block" }, event.description) : null,
  );
  if (event.status === "draft") {
    const details = h("details", {}, h("summary", {}, "Complete or dismiss this draft"), eventForm({ procedures: [], event, onSaved, patientUrl }), dismissForm(patientUrl, event, onSaved));
    item.append(details);
  }
  return item;
}

// --- The sections -----------------------------------------------------------------------------------------------------

/** Append the screening, preparation, education and adverse-event sections to the patient's page. */
export async function safetySections(ctx, patientId) {
  const patientUrl = `/api/v1/patients/${patientId}`;
  const before = section("patient-before", "Before the procedure");
  const events = section("patient-adverse-events", "Adverse events");
  ctx.main.append(before, events);

  const drawBefore = async () => {
    const procedures = (await getAll(`${patientUrl}/procedures`)).filter((p) => p.status !== "cancelled");
    const current = procedures[0];
    if (!current) {
      fill(before, h("h2", { id: "patient-before" }, "Before the procedure"), h("p", {}, "No procedure scheduled or done."));
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
      h("h2", { id: "patient-before" }, "Before the procedure"),
      h(
        "p",
        { class: "lead screening-status" },
        `Procedure ${formatDayWithYear(current.procedure_date)} (${current.status}). Screening: `,
        h("strong", { class: status === "candidate" || current.status !== "scheduled" ? null : "flag-text" }, SCREENING_LABEL[status] || status),
      ),
      h("h3", {}, "Screening history"),
      screeningHistory(history),
      h("details", {}, h("summary", {}, history.length ? "Screen again" : "Record a screening"), screeningForm(`${procedureUrl}/screening`, () => drawBefore())),
      h("h3", {}, "Preparation"),
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
      h("h2", { id: "patient-adverse-events" }, "Adverse events"),
      list.length ? h("ul", { class: "plain-list adverse-events" }, list.map((e) => eventItem(e, patientUrl, () => drawEvents()))) : h("p", {}, "No adverse events recorded."),
      done.length ? h("details", {}, h("summary", {}, "Record an adverse event"), eventForm({ procedures: done, event: null, onSaved: () => drawEvents(), patientUrl })) : h("p", { class: "muted" }, "Adverse events are recorded after a procedure that was done."),
    );
  };

  try {
    await Promise.all([drawBefore(), drawEvents()]);
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    before.append(h("p", { class: "notice notice-info" }, "You are offline."));
  }
}

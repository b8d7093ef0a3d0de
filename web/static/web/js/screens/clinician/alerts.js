// @ts-check
// The clinician's alert queue and one alert's detail, with acknowledge and resolve.

import { ApiError, OfflineError, api, getAll } from "../../api.js";
import { staleNote } from "../../data.js";
import { announce, fill, formatDay, formatDateTime, h, uid } from "../../dom.js";
import { busy, clearErrors, errorSummary, field, showErrors } from "../../forms.js";
import { load } from "../../store.js";
import { formatNumber, gettext, gettext_noop, interpolate, ngettext } from "../../i18n.js";
import { TIERS, collapsible, offlineNotice, stateLabel, tierBadge, tierLabel } from "./shared.js";

function alertActions(alert, onDone) {
  const box = h("div", { class: "alert-actions" });
  if (alert.state === "resolved") return box;
  const note = h("textarea", { class: "input", name: "note", rows: 2, maxlength: 2000 });
  note.id = uid("note");
  const form = h(
    "form",
    { class: "form form-compact", novalidate: true },
    errorSummary(),
    field(alert.state === "open" ? gettext("Note (needed to resolve)") : gettext("What was done (needed to resolve)"), note, { name: "note" }),
    h(
      "div",
      { class: "button-row" },
      alert.state === "open" ? h("button", { type: "submit", class: "button", value: "acknowledge" }, gettext("Acknowledge")) : null,
      h("button", { type: "submit", class: "button button-primary", value: "resolve" }, gettext("Resolve")),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const action = event.submitter ? event.submitter.value : "acknowledge";
    if (action === "resolve" && !note.value.trim()) {
      showErrors(form, { fields: { note: [gettext("Say what was done before resolving.")] } });
      return;
    }
    await busy(form, gettext("Saving…"), async () => {
      try {
        const updated = await api.post(`/api/v1/alerts/${alert.id}/${action}`, { note: note.value.trim() });
        announce(updated.state === "resolved" ? gettext("Alert resolved.") : updated.state === "acknowledged" ? gettext("Alert acknowledged.") : gettext("Alert open."));
        onDone(updated);
      } catch (error) {
        if (error instanceof ApiError || error instanceof OfflineError) showErrors(form, error);
        else throw error;
      }
    });
  });
  box.append(form);
  return box;
}

/**
 * @param {any} alert
 * @param {{withPatient?: boolean, onChange?: (alert: any) => void}} [options]
 */
export function alertItem(alert, { withPatient = true, onChange } = {}) {
  const item = h("li", { class: `alert-item alert-${alert.tier} state-${alert.state}`, dataset: { alert: alert.id } });
  const draw = (a) => {
    item.className = `alert-item alert-${a.tier} state-${a.state}`;
    fill(
      item,
      h(
        "div",
        { class: "alert-head" },
        tierBadge(a.tier),
        h("a", { class: "alert-title", href: `/app/clinician/alerts/${a.id}` }, a.title),
        h("span", { class: `state state-${a.state}` }, stateLabel(a.state)),
      ),
      h(
        "p",
        { class: "muted" },
        withPatient ? [h("a", { href: `/app/clinician/patients/${a.patient.id}` }, a.patient.full_name), " · "] : null,
        interpolate(gettext("Raised %(time)s"), { time: formatDateTime(a.raised_at) }, true),
        a.acknowledged_by ? interpolate(gettext(" · acknowledged by %(name)s"), { name: a.acknowledged_by.full_name }, true) : "",
        a.assigned_to ? interpolate(gettext(" · assigned to %(name)s"), { name: a.assigned_to.full_name }, true) : "",
      ),
      a.note ? h("p", {}, interpolate(gettext("Note: %(note)s"), { note: a.note }, true)) : null,
      alertActions(a, (updated) => {
        draw(updated);
        if (onChange) onChange(updated);
      }),
    );
  };
  draw(alert);
  return item;
}

const ASSIGNED = [
  ["", gettext_noop("Anyone or nobody")],
  ["me", gettext_noop("Me")],
  ["nobody", gettext_noop("Nobody yet")],
];

export async function alertQueue(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  const tier = TIERS.includes(ctx.query.get("tier")) ? ctx.query.get("tier") : "";
  const stateFilter = ["open", "acknowledged", "resolved", "unresolved"].includes(ctx.query.get("state")) ? ctx.query.get("state") : "unresolved";
  const assigned = ["me", "nobody"].includes(ctx.query.get("assigned_to")) ? ctx.query.get("assigned_to") : "";
  const tierSelect = h("select", { class: "input", name: "tier" }, h("option", { value: "" }, gettext("All tiers")), TIERS.map((t) => h("option", { value: t, selected: t === tier }, tierLabel(t))));
  const stateSelect = h(
    "select",
    { class: "input", name: "state" },
    [
      ["unresolved", gettext("Not resolved")],
      ["open", stateLabel("open")],
      ["acknowledged", stateLabel("acknowledged")],
      ["resolved", stateLabel("resolved")],
    ].map(([value, label]) => h("option", { value, selected: value === stateFilter }, label)),
  );
  const assignedSelect = h("select", { class: "input", name: "assigned_to" }, ASSIGNED.map(([value, label]) => h("option", { value, selected: value === assigned }, gettext(label))));
  const filters = h(
    "form",
    { class: "filters", "aria-label": gettext("Filter alerts") },
    field(gettext("Tier"), tierSelect, { name: "tier" }),
    field(gettext("State"), stateSelect, { name: "state" }),
    field(gettext("Assigned to"), assignedSelect, { name: "assigned_to" }),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "button button-primary" }, gettext("Show"))),
  );
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (tierSelect.value) params.set("tier", tierSelect.value);
    params.set("state", stateSelect.value);
    if (assignedSelect.value) params.set("assigned_to", assignedSelect.value);
    ctx.navigate(`/app/clinician/alerts?${params}`);
  });
  ctx.main.append(h("h1", {}, gettext("Alerts")), collapsible(gettext("Filter"), filters, Boolean(tier) || stateFilter !== "unresolved" || Boolean(assigned)));
  const params = new URLSearchParams();
  if (tier) params.append("tier", tier);
  if (stateFilter === "unresolved") {
    params.append("state", "open");
    params.append("state", "acknowledged");
  } else params.append("state", stateFilter);
  if (assigned) params.append("assigned_to", assigned);
  // The last queue seen (per filter) stays readable offline, marked with the time it was loaded.
  let loaded;
  try {
    loaded = await load(`clinician-alerts?${params}`, () => getAll(`/api/v1/alerts?${params}`, 1000));
  } catch (error) {
    if (error instanceof OfflineError) return offlineNotice(ctx);
    throw error;
  }
  if (!ctx.isCurrent()) return;
  const alerts = loaded.data;
  ctx.main.append(
    staleNote(loaded),
    h(
      "p",
      { class: "lead", role: "status" },
      alerts.length
        ? interpolate(ngettext("%(count)s alert, most serious first.", "%(count)s alerts, most serious first.", alerts.length), { count: formatNumber(alerts.length) }, true)
        : gettext("No alerts here."),
    ),
    h("ul", { class: "alert-list" }, alerts.map((a) => alertItem(a))),
  );
}

/** Give the alert to a clinician on the patient's care team, or back to the whole team. */
function assignSection(alert, careTeam, onDone) {
  const section = h("section", { class: "card assign", "aria-labelledby": "assign-title" }, h("h2", { id: "assign-title" }, gettext("Assigned to")));
  section.append(h("p", { class: "assigned-now" }, alert.assigned_to ? alert.assigned_to.full_name : gettext("Nobody yet: the whole care team sees it.")));
  if (alert.state === "resolved") return section;
  const select = h(
    "select",
    { class: "input", name: "assignee" },
    h("option", { value: "" }, gettext("Nobody (the whole care team)")),
    careTeam.map((m) => h("option", { value: m.id, selected: Boolean(alert.assigned_to && alert.assigned_to.id === m.id) }, m.is_primary ? interpolate(gettext("%(name)s (primary)"), { name: m.full_name }, true) : m.full_name)),
  );
  const note = h("input", { class: "input", name: "assign_note", type: "text", maxlength: 2000 });
  const form = h(
    "form",
    { class: "form form-compact", novalidate: true },
    errorSummary(),
    field(gettext("Give it to"), select, { name: "assignee" }),
    field(gettext("Note for them (optional)"), note, { name: "note" }),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "button button-primary" }, gettext("Assign"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    await busy(form, gettext("Saving…"), async () => {
      try {
        const updated = await api.post(`/api/v1/alerts/${alert.id}/assign`, { assignee: select.value || null, note: note.value.trim() });
        announce(updated.assigned_to ? interpolate(gettext("Assigned to %(name)s."), { name: updated.assigned_to.full_name }, true) : gettext("Given back to the care team."));
        onDone(updated);
      } catch (error) {
        if (error instanceof ApiError || error instanceof OfflineError) showErrors(form, error);
        else throw error;
      }
    });
  });
  section.append(form);
  return section;
}

function telLink(number) {
  return h("a", { class: "button button-call-small", href: `tel:${String(number).replace(/[^0-9+]/g, "")}` }, interpolate(gettext("Call %(number)s"), { number }, true));
}

/** A dose as a clinician writes it: "5 min", "2 x 10", "2 x 10, hold 5 s". */
function doseText(dose) {
  if (!dose) return "–";
  if (dose.minutes !== undefined) return interpolate(gettext("%(minutes)s min"), { minutes: formatNumber(dose.minutes) }, true);
  const base = interpolate(gettext("%(sets)s x %(reps)s"), { sets: formatNumber(dose.sets), reps: formatNumber(dose.reps) }, true);
  return dose.hold_seconds !== undefined ? interpolate(gettext("%(dose)s, hold %(seconds)s s"), { dose: base, seconds: formatNumber(dose.hold_seconds) }, true) : base;
}

const EVENT_ACTIONS = {
  raised: gettext_noop("raised"),
  acknowledged: gettext_noop("acknowledged"),
  resolved: gettext_noop("resolved"),
  assigned: gettext_noop("assigned"),
  unassigned: gettext_noop("unassigned"),
};
/** What happened to an alert, as its history lists it. */
const eventAction = (action) => (EVENT_ACTIONS[action] ? gettext(EVENT_ACTIONS[action]) : action);

const MEDICATION_WORDS = { none: gettext_noop("None"), otc: gettext_noop("Over-the-counter"), prescribed: gettext_noop("Prescribed") };

/** What raised the alert (GET /alerts/{id} `trigger`): the rule's explanation and every answer the patient gave. */
export function triggerSection(trigger) {
  if (!trigger) return null;
  const section = h("section", { class: "card trigger", "aria-label": gettext("What the patient reported") }, h("h2", {}, gettext("What the patient reported")));
  if (trigger.explanation) section.append(h("p", { class: "explanation" }, trigger.explanation));
  const c = trigger.checkin;
  if (c) {
    const yes = c.red_flags.filter((f) => f.answer);
    section.append(
      h("p", {}, interpolate(gettext("Check-in of %(time)s"), { time: formatDateTime(c.recorded_at) }, true)),
      h(
        "dl",
        { class: "trigger-answers" },
        h("dt", {}, gettext("Pain")),
        h("dd", {}, interpolate(gettext("Back %(back)s/10, leg %(leg)s/10"), { back: formatNumber(c.back_pain), leg: formatNumber(c.leg_pain) }, true)),
        h("dt", {}, gettext("Activity")),
        h(
          "dd",
          {},
          c.steps !== null
            ? interpolate(
                ngettext("Walking %(walking)s min, standing %(standing)s min, %(steps)s step", "Walking %(walking)s min, standing %(standing)s min, %(steps)s steps", c.steps),
                { walking: formatNumber(c.walking_minutes), standing: formatNumber(c.standing_minutes), steps: formatNumber(c.steps, { useGrouping: false }) },
                true,
              )
            : interpolate(gettext("Walking %(walking)s min, standing %(standing)s min"), { walking: formatNumber(c.walking_minutes), standing: formatNumber(c.standing_minutes) }, true),
        ),
        h("dt", {}, gettext("Medication")),
        h("dd", {}, c.medication_label || (MEDICATION_WORDS[c.medication] ? gettext(MEDICATION_WORDS[c.medication]) : c.medication)),
        h("dt", {}, gettext("Symptoms")),
        h("dd", {}, c.symptoms.length ? c.symptoms.map((s) => s.label).join(", ") : gettext("None")),
        h("dt", {}, gettext("Warning signs answered yes")),
        h("dd", {}, yes.length ? h("ul", {}, yes.map((f) => h("li", {}, f.question))) : gettext("None")),
        h("dt", {}, gettext("Note")),
        h("dd", { class: "trigger-note" }, c.note || gettext("No note")),
      ),
    );
  }
  const e = trigger.exercise;
  if (e) {
    section.append(
      h("p", {}, interpolate(gettext("Exercise: %(exercise)s"), { exercise: e.exercise }, true)),
      h(
        "div",
        { class: "table-scroll", tabindex: "0", role: "region", "aria-label": gettext("The sessions that raised it") },
        h(
        "table",
        { class: "trigger-sessions" },
        h("caption", {}, gettext("The sessions that raised it")),
        h("thead", {}, h("tr", {}, [gettext("When"), gettext("Done"), gettext("Pain during (0-10)"), gettext("How hard"), gettext("Dose"), gettext("Recorded")].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          e.sessions.map((session) =>
            h(
              "tr",
              {},
              h("td", {}, `${formatDay(session.local_date, "short")}, ${session.local_time}`),
              h("td", {}, session.state_label),
              h("td", { class: session.pain_during !== null && session.pain_during >= 7 ? "pain-high" : null }, session.pain_during === null ? "–" : interpolate(gettext("%(score)s/10"), { score: formatNumber(session.pain_during) }, true)),
              h("td", {}, session.difficulty_label || "–"),
              h("td", {}, doseText(session.dose)),
              h("td", {}, formatDateTime(session.recorded_at)),
            ),
          ),
        ),
        ),
      ),
    );
  }
  for (const a of trigger.assessments || []) {
    section.append(
      h(
        "p",
        {},
        `${a.instrument.toUpperCase()} (${a.timepoint}), ${a.local_date}: `,
        Object.entries(a.scores)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => `${k} ${v}`)
          .join(", "),
      ),
    );
  }
  return section;
}

/** How to reach the patient and their emergency contact, with tap-to-call. */
export function contactSection(contact) {
  if (!contact) return null;
  const ec = contact.emergency_contact;
  return h(
    "section",
    { class: "card contact", "aria-label": gettext("Contact") },
    h("h2", {}, gettext("Contact")),
    h("p", {}, h("strong", {}, contact.name), " ", contact.phone ? telLink(contact.phone) : gettext("No phone number on file.")),
    ec
      ? h(
          "p",
          {},
          gettext("Emergency contact: "),
          h("strong", {}, ec.name || gettext("(no name)")),
          ec.relationship ? ` (${ec.relationship}) ` : " ",
          ec.phone ? telLink(ec.phone) : "",
        )
      : h("p", {}, gettext("No emergency contact on file.")),
  );
}

export async function alertDetail(ctx) {
  let alert;
  try {
    alert = await api.get(`/api/v1/alerts/${encodeURIComponent(ctx.params.id)}`);
  } catch (error) {
    ctx.main.append(h("h1", {}, gettext("Alert")));
    if (error instanceof OfflineError) return offlineNotice(ctx);
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      ctx.main.append(h("p", { class: "notice notice-error" }, gettext("There is no such alert, or it is not one of your patients'.")));
      return;
    }
    throw error;
  }
  if (!ctx.isCurrent()) return;
  // The care team, for the assignment choices (a read of the patient's profile, logged like any other).
  let careTeam = [];
  try {
    careTeam = (await api.get(`/api/v1/patients/${encodeURIComponent(alert.patient.id)}`)).care_team;
  } catch (error) {
    if (!(error instanceof ApiError || error instanceof OfflineError)) throw error;
  }
  if (!ctx.isCurrent()) return;
  const history = h(
    "ol",
    { class: "events" },
    alert.events.map((e) =>
      h(
        "li",
        {},
        h("strong", {}, eventAction(e.action)),
        ` ${formatDateTime(e.at)}`,
        e.actor ? interpolate(gettext(" by %(name)s"), { name: e.actor.full_name }, true) : "",
        e.note ? ` — ${e.note}` : "",
      ),
    ),
  );
  ctx.main.append(
    h("h1", {}, interpolate(gettext("%(tier)s alert: %(title)s"), { tier: tierLabel(alert.tier), title: alert.title }, true)),
    h("p", { class: "lead" }, h("a", { href: `/app/clinician/patients/${alert.patient.id}` }, alert.patient.full_name)),
    h("ul", { class: "alert-list" }, alertItem(alert, { withPatient: false, onChange: () => ctx.navigate(`/app/clinician/alerts/${alert.id}`, { replace: true }) })),
    assignSection(alert, careTeam, () => ctx.navigate(`/app/clinician/alerts/${alert.id}`, { replace: true })),
    triggerSection(alert.trigger),
    contactSection(alert.contact),
    h("h2", {}, gettext("History")),
    history,
    h("p", {}, h("a", { href: "/app/clinician/alerts" }, gettext("All alerts"))),
  );
}

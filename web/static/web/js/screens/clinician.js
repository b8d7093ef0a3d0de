// Clinician screens (tablet and desktop first): the roster with alert badges, filters and sorting; a patient's detail
// with charts against the expected trajectory; the alert queue with acknowledge and resolve.

import { ApiError, OfflineError, api, getAll } from "../api.js";
import { dataTable, legend, lineChart } from "../charts.js";
import { announce, fill, formatDateTime, formatDay, formatDayWithYear, h, uid } from "../dom.js";
import { busy, clearErrors, errorSummary, field, input, showErrors } from "../forms.js";

const TIERS = ["emergency", "urgent", "watch"];
const TIER_LABEL = { emergency: "Emergency", urgent: "Urgent", watch: "Watch" };
const STATE_LABEL = { open: "Open", acknowledged: "Acknowledged", resolved: "Resolved" };
const PHASES = [
  ["procedure_day", "Procedure day"],
  ["first_days", "The first days"],
  ["weeks_1_3", "Weeks 1 to 3"],
  ["weeks_3_8", "Weeks 3 to 8"],
  ["long_term", "Staying well"],
];
const RISK_LABEL = { diabetes: "Diabetes", heart_disease: "Heart disease", previous_spinal_surgery: "Previous spinal surgery" };

function offlineNotice(ctx) {
  ctx.main.append(h("p", { class: "notice notice-info" }, "You are offline. Connect to the internet to see patients' data."));
}

function tierBadge(tier, count) {
  return h("span", { class: `badge badge-${tier}` }, count !== undefined ? `${count} ${TIER_LABEL[tier].toLowerCase()}` : TIER_LABEL[tier]);
}

function alertBadges(open) {
  const badges = TIERS.filter((tier) => open[tier] > 0).map((tier) => tierBadge(tier, open[tier]));
  return badges.length ? h("span", { class: "badges" }, badges) : h("span", { class: "muted" }, "None");
}

function num(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

function percent(value) {
  return value === null || value === undefined ? "–" : `${Math.round(value * 100)}%`;
}

function signed(value) {
  if (value === null || value === undefined) return "–";
  return `${value > 0 ? "+" : ""}${num(value)}`;
}

// --- Roster ---------------------------------------------------------------------------------------------------------

const SORTS = {
  triage: { label: "Needs attention", key: null },
  name: { label: "Name", key: (p) => p.full_name.toLowerCase() },
  day: { label: "Day", key: (p) => (p.day === null ? -1 : p.day) },
  silence: { label: "Days without check-in", key: (p) => p.days_without_checkin },
  pain: { label: "Leg pain (7-day mean)", key: (p) => (p.leg_pain.mean_7d === null ? -1 : p.leg_pain.mean_7d) },
};

function rosterFilters(ctx) {
  const q = ctx.query;
  const search = input({ type: "search", name: "search", value: q.get("search") || "" });
  const tier = h(
    "select",
    { class: "input", name: "alert_tier" },
    h("option", { value: "" }, "Any"),
    TIERS.map((t) => h("option", { value: t, selected: q.get("alert_tier") === t }, `${TIER_LABEL[t]} alerts open`)),
  );
  const phase = h(
    "select",
    { class: "input", name: "phase" },
    h("option", { value: "" }, "Any"),
    PHASES.map(([key, label]) => h("option", { value: key, selected: q.get("phase") === key }, label)),
  );
  const silence = h(
    "select",
    { class: "input", name: "no_checkin_days" },
    h("option", { value: "" }, "Any"),
    [2, 3, 7, 14].map((n) => h("option", { value: String(n), selected: q.get("no_checkin_days") === String(n) }, `${n}+ days`)),
  );
  const overdueId = uid("overdue");
  const overdue = h(
    "label",
    { class: "choice", for: overdueId },
    h("input", { type: "checkbox", id: overdueId, name: "overdue_milestone", value: "true", checked: q.get("overdue_milestone") === "true" }),
    h("span", {}, "Overdue progress check"),
  );
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter patients" },
    field("Name", search, { name: "search" }),
    field("Alerts", tier, { name: "alert_tier" }),
    field("Phase", phase, { name: "phase" }),
    field("No check-in for", silence, { name: "no_checkin_days" }),
    h("div", { class: "field-check" }, overdue),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "button button-primary" }, "Filter"), h("a", { class: "button", href: "/app/clinician/patients" }, "Clear")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (value) params.set(key, value);
    if (q.get("sort")) params.set("sort", q.get("sort"));
    ctx.navigate(`/app/clinician/patients${params.toString() ? `?${params}` : ""}`);
  });
  return collapsible("Filter and search", form, [...q.keys()].some((k) => k !== "sort" && k !== "dir"));
}

/** Filters fold away on a phone (unless some are in use), and stay open on a tablet or desktop. */
function collapsible(title, content, inUse) {
  return h("details", { class: "filters-box", open: inUse || window.matchMedia("(min-width: 48rem)").matches }, h("summary", {}, title), content);
}

export async function roster(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  ctx.main.append(h("h1", {}, "Patients"), rosterFilters(ctx));
  const params = new URLSearchParams();
  for (const key of ["search", "alert_tier", "phase", "no_checkin_days", "overdue_milestone"]) {
    if (ctx.query.get(key)) params.set(key, ctx.query.get(key));
  }
  let patients;
  try {
    patients = await getAll(`/api/v1/clinician/patients${params.toString() ? `?${params}` : ""}`, 1000);
  } catch (error) {
    if (error instanceof OfflineError) return offlineNotice(ctx);
    if (error instanceof ApiError && error.status === 400) {
      ctx.main.append(h("p", { class: "notice notice-error" }, error.message));
      return;
    }
    throw error;
  }
  if (!ctx.isCurrent()) return;
  const sortName = SORTS[ctx.query.get("sort")] ? ctx.query.get("sort") : "triage";
  const direction = ctx.query.get("dir") === "desc" ? -1 : 1;
  const sorted = [...patients];
  if (SORTS[sortName].key) {
    const key = SORTS[sortName].key;
    sorted.sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0));
  }
  const sortLink = (name) => {
    const next = new URLSearchParams(ctx.query);
    const same = sortName === name;
    next.set("sort", name);
    next.set("dir", same && direction === 1 && name !== "triage" ? "desc" : "asc");
    return h("a", { href: `/app/clinician/patients?${next}`, class: "sort-link" }, SORTS[name].label);
  };
  const ariaSort = (name) => (sortName === name ? (direction === 1 ? "ascending" : "descending") : undefined);
  const alertCount = patients.reduce((n, p) => n + p.open_alerts.emergency + p.open_alerts.urgent, 0);
  ctx.main.append(
    h("p", { class: "lead", role: "status" }, `${patients.length} ${patients.length === 1 ? "patient" : "patients"}`, alertCount ? `, ${alertCount} with emergency or urgent alerts open` : "", "."),
    h("p", { class: "hint" }, "Sorted by who needs attention first (emergency, urgent, then watch alerts, then days without a check-in). Choose a column to sort by it."),
  );
  if (!patients.length) {
    ctx.main.append(h("p", {}, "No patients match."));
    return;
  }
  const table = h(
    "table",
    { class: "roster" },
    h("caption", { class: "visually-hidden" }, "Your patients"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col", "aria-sort": ariaSort("name") }, sortLink("name")),
        h("th", { scope: "col", "aria-sort": ariaSort("triage") }, sortLink("triage")),
        h("th", { scope: "col", "aria-sort": ariaSort("day") }, sortLink("day")),
        h("th", { scope: "col", "aria-sort": ariaSort("silence") }, sortLink("silence")),
        h("th", { scope: "col" }, "Back pain now / before"),
        h("th", { scope: "col", "aria-sort": ariaSort("pain") }, sortLink("pain")),
        h("th", { scope: "col" }, "ODI change"),
        h("th", { scope: "col" }, "Check-ins (14 days)"),
        h("th", { scope: "col" }, "Exercise this week"),
        h("th", { scope: "col" }, "Next progress check"),
      ),
    ),
    h(
      "tbody",
      {},
      sorted.map((p) =>
        h(
          "tr",
          { class: p.open_alerts.emergency ? "row-emergency" : p.open_alerts.urgent ? "row-urgent" : null, dataset: { patient: p.id } },
          h(
            "th",
            { scope: "row" },
            h("a", { href: `/app/clinician/patients/${p.id}` }, p.full_name),
            h("span", { class: "muted block" }, `${p.age} years`, p.risk_factors.length ? ` · ${p.risk_factors.map((r) => RISK_LABEL[r] || r).join(", ")}` : ""),
          ),
          h("td", {}, alertBadges(p.open_alerts)),
          h("td", {}, p.day === null ? "–" : `Day ${p.day}`, p.phase ? h("span", { class: "muted block" }, p.phase.title) : null),
          h("td", { class: p.days_without_checkin >= 3 ? "warn" : null }, p.last_checkin_on ? `${p.days_without_checkin}` : "Never"),
          h("td", {}, `${num(p.back_pain.latest)} / ${num(p.back_pain.baseline)}`),
          h("td", {}, num(p.leg_pain.mean_7d), h("span", { class: "muted block" }, `before ${num(p.leg_pain.baseline)}`)),
          h("td", {}, signed(p.odi.change_from_baseline)),
          h("td", {}, percent(p.checkin_adherence_14d.adherence)),
          h("td", {}, p.exercise_adherence_week ? percent(p.exercise_adherence_week.adherence) : "–"),
          h(
            "td",
            {},
            p.milestone ? [p.milestone.title, h("span", { class: `muted block status-${p.milestone.status}` }, milestoneState(p.milestone))] : "–",
          ),
        ),
      ),
    ),
  );
  ctx.main.append(h("div", { class: "table-scroll" }, table));
}

function milestoneState(milestone) {
  if (milestone.status === "overdue") return `Overdue since ${formatDay(milestone.closes_on, "short")}`;
  if (milestone.status === "open") return `Open until ${formatDay(milestone.closes_on, "short")}`;
  return `Opens ${formatDay(milestone.opens_on, "short")}`;
}

// --- Alerts ---------------------------------------------------------------------------------------------------------

function alertActions(alert, onDone) {
  const box = h("div", { class: "alert-actions" });
  if (alert.state === "resolved") return box;
  const note = h("textarea", { class: "input", name: "note", rows: 2, maxlength: 2000 });
  note.id = uid("note");
  const form = h(
    "form",
    { class: "form form-compact", novalidate: true },
    errorSummary(),
    field(alert.state === "open" ? "Note (needed to resolve)" : "What was done (needed to resolve)", note, { name: "note" }),
    h(
      "div",
      { class: "button-row" },
      alert.state === "open" ? h("button", { type: "submit", class: "button", value: "acknowledge" }, "Acknowledge") : null,
      h("button", { type: "submit", class: "button button-primary", value: "resolve" }, "Resolve"),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const action = event.submitter ? event.submitter.value : "acknowledge";
    if (action === "resolve" && !note.value.trim()) {
      showErrors(form, { fields: { note: ["Say what was done before resolving."] } });
      return;
    }
    await busy(form, "Saving…", async () => {
      try {
        const updated = await api.post(`/api/v1/alerts/${alert.id}/${action}`, { note: note.value.trim() });
        announce(`Alert ${STATE_LABEL[updated.state].toLowerCase()}.`);
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

function alertItem(alert, { withPatient = true, onChange } = {}) {
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
        h("span", { class: `state state-${a.state}` }, STATE_LABEL[a.state]),
      ),
      h(
        "p",
        { class: "muted" },
        withPatient ? [h("a", { href: `/app/clinician/patients/${a.patient.id}` }, a.patient.full_name), " · "] : null,
        `Raised ${formatDateTime(a.raised_at)}`,
        a.acknowledged_by ? ` · acknowledged by ${a.acknowledged_by.full_name}` : "",
        a.assigned_to ? ` · assigned to ${a.assigned_to.full_name}` : "",
      ),
      a.note ? h("p", {}, `Note: ${a.note}`) : null,
      alertActions(a, (updated) => {
        draw(updated);
        if (onChange) onChange(updated);
      }),
    );
  };
  draw(alert);
  return item;
}

export async function alertQueue(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  const tier = TIERS.includes(ctx.query.get("tier")) ? ctx.query.get("tier") : "";
  const stateFilter = ["open", "acknowledged", "resolved", "unresolved"].includes(ctx.query.get("state")) ? ctx.query.get("state") : "unresolved";
  const tierSelect = h("select", { class: "input", name: "tier" }, h("option", { value: "" }, "All tiers"), TIERS.map((t) => h("option", { value: t, selected: t === tier }, TIER_LABEL[t])));
  const stateSelect = h(
    "select",
    { class: "input", name: "state" },
    [
      ["unresolved", "Not resolved"],
      ["open", "Open"],
      ["acknowledged", "Acknowledged"],
      ["resolved", "Resolved"],
    ].map(([value, label]) => h("option", { value, selected: value === stateFilter }, label)),
  );
  const filters = h(
    "form",
    { class: "filters", "aria-label": "Filter alerts" },
    field("Tier", tierSelect, { name: "tier" }),
    field("State", stateSelect, { name: "state" }),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "button button-primary" }, "Show")),
  );
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (tierSelect.value) params.set("tier", tierSelect.value);
    params.set("state", stateSelect.value);
    ctx.navigate(`/app/clinician/alerts?${params}`);
  });
  ctx.main.append(h("h1", {}, "Alerts"), collapsible("Filter", filters, Boolean(tier) || stateFilter !== "unresolved"));
  const params = new URLSearchParams();
  if (tier) params.append("tier", tier);
  if (stateFilter === "unresolved") {
    params.append("state", "open");
    params.append("state", "acknowledged");
  } else params.append("state", stateFilter);
  let alerts;
  try {
    alerts = await getAll(`/api/v1/alerts?${params}`, 1000);
  } catch (error) {
    if (error instanceof OfflineError) return offlineNotice(ctx);
    throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(
    h("p", { class: "lead", role: "status" }, alerts.length ? `${alerts.length} ${alerts.length === 1 ? "alert" : "alerts"}, most serious first.` : "No alerts here."),
    h("ul", { class: "alert-list" }, alerts.map((a) => alertItem(a))),
  );
}

export async function alertDetail(ctx) {
  let alert;
  try {
    alert = await api.get(`/api/v1/alerts/${encodeURIComponent(ctx.params.id)}`);
  } catch (error) {
    ctx.main.append(h("h1", {}, "Alert"));
    if (error instanceof OfflineError) return offlineNotice(ctx);
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      ctx.main.append(h("p", { class: "notice notice-error" }, "There is no such alert, or it is not one of your patients'."));
      return;
    }
    throw error;
  }
  if (!ctx.isCurrent()) return;
  const history = h(
    "ol",
    { class: "events" },
    alert.events.map((e) =>
      h("li", {}, h("strong", {}, e.action), ` ${formatDateTime(e.at)}`, e.actor ? ` by ${e.actor.full_name}` : "", e.note ? ` — ${e.note}` : ""),
    ),
  );
  ctx.main.append(
    h("h1", {}, `${TIER_LABEL[alert.tier]} alert: ${alert.title}`),
    h("p", { class: "lead" }, h("a", { href: `/app/clinician/patients/${alert.patient.id}` }, alert.patient.full_name)),
    h("ul", { class: "alert-list" }, alertItem(alert, { withPatient: false })),
    h("h2", {}, "History"),
    history,
    h("p", {}, h("a", { href: "/app/clinician/alerts" }, "All alerts")),
  );
}

// --- Patient detail -------------------------------------------------------------------------------------------------

function chartSection(title, chart, keys, table) {
  const id = uid("chart");
  return h("section", { class: "card chart-card", "aria-labelledby": id }, h("h2", { id }, title), chart, legend(keys), table);
}

function referenceLine(reference, name) {
  return ((reference && reference.series && reference.series[name]) || [])
    .filter((p) => p.expected_score !== null)
    .map((p) => ({ x: p.day, y: p.expected_score }));
}

export async function patientDetail(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  const id = encodeURIComponent(ctx.params.id);
  let patient;
  let series;
  let outcomes;
  let timeline;
  try {
    [patient, series, outcomes, timeline] = await Promise.all([
      api.get(`/api/v1/patients/${id}`),
      api.get(`/api/v1/patients/${id}/series`),
      api.get(`/api/v1/patients/${id}/outcomes`),
      api.get(`/api/v1/patients/${id}/timeline`),
    ]);
  } catch (error) {
    ctx.main.append(h("h1", {}, "Patient"));
    if (error instanceof OfflineError) return offlineNotice(ctx);
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      ctx.main.append(h("p", { class: "notice notice-error" }, "There is no such patient on your care teams."));
      return;
    }
    throw error;
  }
  if (!ctx.isCurrent()) return;
  const days = series.days || [];
  const procedureDate = series.procedure_date;
  const xOf = (p) => (p.day !== null && p.day !== undefined ? p.day : null);
  const points = (name) => days.filter((d) => xOf(d) !== null).map((d) => ({ x: xOf(d), y: d[name] }));
  const baselineScores = (instrument) => {
    const found = outcomes.assessments.find((a) => a.timepoint === "baseline" && a.instrument === instrument);
    return found ? found.scores : null;
  };
  const painBaseline = baselineScores("pain");
  const toleranceBaseline = baselineScores("tolerance");
  const xs = days.map(xOf).filter((x) => x !== null);
  const xMax = xs.length ? Math.max(...xs) : 56;
  const width = Math.min(ctx.main.clientWidth || 600, 1200) - 40;
  const clipRef = (line) => line.filter((p) => p.x <= Math.max(xMax, 7));

  const risk = [
    patient.has_diabetes ? "Diabetes" : null,
    patient.has_heart_disease ? "Heart disease" : null,
    patient.had_previous_spinal_surgery ? "Previous spinal surgery" : null,
  ].filter(Boolean);
  const openAlerts = timeline.alerts.filter((a) => a.state !== "resolved");
  const lastDay = days.length ? days[days.length - 1] : null;

  ctx.main.append(
    h("h1", {}, patient.full_name),
    h(
      "p",
      { class: "lead" },
      `${patient.age} years · `,
      procedureDate ? `procedure ${formatDayWithYear(procedureDate)}, day ${lastDay && lastDay.day !== null ? lastDay.day : "–"}` : "no procedure done yet",
      ` · ${patient.time_zone}`,
    ),
    h(
      "dl",
      { class: "summary-list summary-inline" },
      h("dt", {}, "Risk factors"),
      h("dd", {}, risk.length ? risk.join(", ") : "None recorded"),
      h("dt", {}, "Care team"),
      h("dd", {}, patient.care_team.map((m) => m.full_name + (m.is_primary ? " (primary)" : "")).join(", ")),
      h("dt", {}, "Phone"),
      h("dd", {}, patient.phone || "–"),
      h("dt", {}, "Emergency contact"),
      h("dd", {}, patient.emergency_contact_name ? `${patient.emergency_contact_name} (${patient.emergency_contact_relationship || "contact"}) ${patient.emergency_contact_phone}` : "–"),
    ),
    h("p", {}, h("a", { class: "button", href: `/api/v1/patients/${id}/export.csv`, download: "" }, "Download CSV")),
  );

  const alertsSection = h("section", { class: "card", "aria-labelledby": "patient-alerts" }, h("h2", { id: "patient-alerts" }, `Alerts (${openAlerts.length} not resolved)`));
  alertsSection.append(openAlerts.length ? h("ul", { class: "alert-list" }, openAlerts.map((a) => alertItem(a, { withPatient: false }))) : h("p", {}, "No open alerts."));
  ctx.main.append(alertsSection);

  ctx.main.append(
    chartSection(
      "Pain against the expected recovery",
      lineChart({
        title: "Back and leg pain by day after the procedure",
        description: "Daily NPRS 0-10. Thin dashed: the patient's baseline. Dotted: expected trajectory (pivotal trial average).",
        width,
        xLabel: "Days after the procedure",
        yMin: 0,
        yMax: 10,
        xMin: 0,
        xMax: Math.max(xMax, 7),
        series: [
          { label: "Back pain", className: "series-1", points: points("back_pain") },
          { label: "Leg pain", className: "series-2", points: points("leg_pain") },
          { label: "Expected back pain", className: "series-1 reference", dashed: true, points: clipRef(referenceLine(outcomes.reference, "back_pain")) },
          { label: "Expected leg pain", className: "series-2 reference", dashed: true, points: clipRef(referenceLine(outcomes.reference, "leg_pain")) },
        ],
        baselines: painBaseline
          ? [
              { y: painBaseline.back_pain, className: "series-1" },
              { y: painBaseline.leg_pain, className: "series-2" },
            ]
          : [],
      }),
      [
        { label: "Back pain", className: "series-1" },
        { label: "Leg pain", className: "series-2" },
        { label: "Baseline", className: "baseline", dashed: true },
        { label: "Expected (trial average)", className: "reference", dashed: true },
      ],
      dataTable(
        "Daily check-ins",
        ["Date", "Day", "Back", "Leg", "Walking", "Standing", "Steps"],
        [...days].reverse().filter((d) => d.checked_in).map((d) => [d.date, d.day, d.back_pain, d.leg_pain, d.walking_minutes, d.standing_minutes, d.steps]),
      ),
    ),
    chartSection(
      "Activity",
      lineChart({
        title: "Walking and standing minutes by day after the procedure",
        description: "Minutes walked per day and longest standing. Dashed: baseline tolerance.",
        width,
        xLabel: "Days after the procedure",
        yMin: 0,
        xMin: 0,
        xMax: Math.max(xMax, 7),
        series: [
          { label: "Walking", className: "series-1", points: points("walking_minutes") },
          { label: "Standing", className: "series-2", points: points("standing_minutes") },
        ],
        baselines: toleranceBaseline
          ? [
              { y: toleranceBaseline.walking_minutes, className: "series-1" },
              { y: toleranceBaseline.standing_minutes, className: "series-2" },
            ]
          : [],
      }),
      [
        { label: "Walking (min)", className: "series-1" },
        { label: "Standing (min)", className: "series-2" },
        { label: "Baseline", className: "baseline", dashed: true },
      ],
      null,
    ),
  );

  const odi = outcomes.assessments.filter((a) => a.instrument === "odi" && a.scores.odi_percent !== null);
  const odiReference = referenceLine(outcomes.reference, "odi_percent");
  ctx.main.append(
    chartSection(
      "Disability (ODI) against the expected recovery",
      lineChart({
        title: "Oswestry Disability Index by day after the procedure",
        description: "ODI percent at each assessment (lower is better) and the expected trajectory from the baseline.",
        width,
        xLabel: "Days after the procedure",
        yMin: 0,
        yMax: 100,
        xMin: Math.min(0, ...odi.map((a) => a.day)),
        xMax: Math.max(56, xMax, ...odi.map((a) => a.day)),
        series: [
          { label: "ODI", className: "series-1", markers: true, points: odi.map((a) => ({ x: a.day, y: a.scores.odi_percent })) },
          { label: "Expected", className: "reference", dashed: true, points: odiReference.filter((p) => p.x <= Math.max(56, xMax)) },
        ],
        baselines: [],
      }),
      [
        { label: "ODI %", className: "series-1" },
        { label: "Expected (trial average)", className: "reference", dashed: true },
      ],
      dataTable(
        "Assessments",
        ["Timepoint", "Measure", "Date", "Scores", "Responder"],
        outcomes.assessments.map((a) => [
          a.timepoint,
          a.instrument,
          a.local_date,
          Object.entries(a.scores)
            .filter(([, v]) => v !== null)
            .map(([k, v]) => `${k} ${num(v)}`)
            .join(", "),
          a.change_from_baseline
            ? Object.entries(a.change_from_baseline)
                .filter(([, c]) => c.responder !== null)
                .map(([k, c]) => `${k}: ${c.responder ? "yes" : "no"}`)
                .join(", ") || "–"
            : "–",
        ]),
      ),
    ),
  );

  ctx.main.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "patient-milestones" },
      h("h2", { id: "patient-milestones" }, "Progress checks"),
      h(
        "ul",
        { class: "plain-list" },
        timeline.milestones.map((m) =>
          h("li", {}, h("strong", {}, m.title), ` — ${m.status}`, ` (${formatDay(m.opens_on, "short")} to ${formatDay(m.closes_on, "short")})`, m.assessments_done.length ? `, done: ${m.assessments_done.join(", ")}` : ""),
        ),
      ),
    ),
  );
}

// @ts-check
// One patient's detail for their care team: summary, open alerts, charts against the expected trajectory, outcomes
// and progress checks; then screening, preparation, education read and adverse events (safety.js).

import { ApiError, OfflineError, api } from "../../api.js";
import { dataTable, legend, lineChart, seriesLastDay, seriesPoints } from "../../charts.js";
import { formatDay, formatDayWithYear, h, uid } from "../../dom.js";
import { alertItem, contactSection, triggerSection } from "./alerts.js";
import { safetySections } from "./safety.js";
import { num, offlineNotice } from "./shared.js";

function chartSection(title, chart, keys, table, note = null) {
  const id = uid("chart");
  return h("section", { class: "card chart-card", "aria-labelledby": id }, h("h2", { id }, title), chart, legend(keys), note, table);
}

/** The trial's expected scores at its visits (6 months, 1 year, 2 years): only where the source gives a value. */
function referenceLine(reference, name) {
  return ((reference && reference.series && reference.series[name]) || [])
    .filter((p) => p.expected_score !== null)
    .map((p) => ({ x: p.day, y: p.expected_score }));
}

/** The legend entry of the trial reference, named by its real population. */
function referenceKey(reference) {
  return { label: `Expected at the trial's visits: ${(reference && reference.population) || "trial average"}`, className: "reference", dashed: true };
}

/** What the reference says, in words: each trial visit with a published value, e.g. "2 years (day 730): 31.3". */
function referenceNote(reference, names) {
  const visits = (reference && reference.visits) || [];
  const parts = [];
  for (const visit of visits) {
    const values = names
      .map(([name, label]) => {
        const point = ((reference.series && reference.series[name]) || []).find((p) => p.day === visit.day);
        return point && point.expected_score !== null ? `${label} ${num(point.expected_score)}` : null;
      })
      .filter(Boolean);
    if (values.length) parts.push(`${visit.label} (day ${visit.day}): ${values.join(", ")}`);
  }
  const text = parts.length
    ? `Expected from this patient's baseline (${reference.population}): ${parts.join("; ")}. The trial had no visit before 6 months.`
    : `No expected values: no baseline, or the trial (${(reference && reference.population) || "MiDAS ENCORE"}) gives none for these scores.`;
  return h("p", { class: "muted reference-note" }, text);
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
  const weekly = series.bucket === "week";
  const days = series.days || [];
  const weeks = series.weeks || [];
  const procedureDate = series.procedure_date;
  const points = (name) => seriesPoints(series, name);
  const lastDayN = seriesLastDay(series);
  const baselineScores = (instrument) => {
    const found = outcomes.assessments.find((a) => a.timepoint === "baseline" && a.instrument === instrument);
    return found ? found.scores : null;
  };
  const painBaseline = baselineScores("pain");
  const toleranceBaseline = baselineScores("tolerance");
  const xMax = lastDayN !== null ? lastDayN : 56;
  // Outcome charts reach the trial's 2-year visit once the patient is past its first visit (6 months).
  const outcomeXMax = Math.max(56, xMax, xMax >= 182 ? 730 : 0);
  const width = Math.min(ctx.main.clientWidth || 600, 1200) - 40;

  const risk = [
    patient.has_diabetes ? "Diabetes" : null,
    patient.has_heart_disease ? "Heart disease" : null,
    patient.had_previous_spinal_surgery ? "Previous spinal surgery" : null,
  ].filter(Boolean);
  const openAlerts = timeline.alerts.filter((a) => a.state !== "resolved");

  ctx.main.append(
    h("h1", {}, patient.full_name),
    h(
      "p",
      { class: "lead" },
      `${patient.age} years · `,
      procedureDate ? `procedure ${formatDayWithYear(procedureDate)}, day ${lastDayN !== null ? lastDayN : "–"}` : "no procedure done yet",
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
    h("p", {}, h("a", { class: "button", href: `/api/v1/patients/${id}/export.csv`, download: "" }, "Download CSV"), " ", h("a", { class: "button", href: `/api/v1/patients/${id}/report.pdf`, target: "_blank", rel: "noopener" }, "Visit report")),
  );

  const alertsSection = h("section", { class: "card", "aria-labelledby": "patient-alerts" }, h("h2", { id: "patient-alerts" }, `Alerts (${openAlerts.length} not resolved)`));
  alertsSection.append(openAlerts.length ? h("ul", { class: "alert-list" }, openAlerts.map((a) => alertItem(a, { withPatient: false }))) : h("p", {}, "No open alerts."));
  ctx.main.append(alertsSection);
  // What raised each open alert, and how to reach the patient: read from the alerts themselves (each read logged),
  // drawn when they arrive without holding up the charts.
  if (openAlerts.length) {
    Promise.all(openAlerts.map((a) => api.get(`/api/v1/alerts/${encodeURIComponent(a.id)}`).catch(() => null))).then((details) => {
      if (!ctx.isCurrent()) return;
      const found = details.filter(Boolean);
      for (const detail of found) alertsSection.append(h("h3", {}, detail.title), triggerSection(detail.trigger));
      if (found.length) alertsSection.after(contactSection(found[0].contact));
    });
  }

  const per = weekly ? "week (weekly means)" : "day";
  const checkinTable = weekly
    ? dataTable(
        "Weekly check-ins",
        ["Week from", "Day", "Check-ins", "Back (mean)", "Leg (mean)", "Walking (mean min)", "Standing (mean min)"],
        [...weeks].reverse().map((w) => [w.start, w.day, `${w.checkins} of ${w.days}`, num(w.back_pain.mean), num(w.leg_pain.mean), num(w.walking_minutes.mean), num(w.standing_minutes.mean)]),
      )
    : dataTable(
        "Daily check-ins",
        ["Date", "Day", "Back", "Leg", "Walking", "Standing", "Steps"],
        [...days].reverse().filter((d) => d.checked_in).map((d) => [d.date, d.day, d.back_pain, d.leg_pain, d.walking_minutes, d.standing_minutes, d.steps]),
      );
  const painXMax = Math.max(xMax, 7);
  ctx.main.append(
    chartSection(
      "Pain against the expected recovery",
      lineChart({
        title: `Back and leg pain by ${per} after the procedure`,
        description: `NPRS 0-10 per ${per}. Thin dashed: the patient's baseline. Dashed points: expected at the trial's visits (${outcomes.reference.population}).`,
        width,
        xLabel: "Days after the procedure",
        yMin: 0,
        yMax: 10,
        xMin: 0,
        xMax: painXMax,
        series: [
          { label: "Back pain", className: "series-1", points: points("back_pain") },
          { label: "Leg pain", className: "series-2", points: points("leg_pain") },
          { label: "Expected back pain", className: "series-1 reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "back_pain").filter((p) => p.x <= painXMax) },
          { label: "Expected leg pain", className: "series-2 reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "leg_pain").filter((p) => p.x <= painXMax) },
        ],
        baselines: painBaseline
          ? [
              { y: painBaseline.back_pain, className: "series-1" },
              { y: painBaseline.leg_pain, className: "series-2" },
            ]
          : [],
      }),
      [
        { label: weekly ? "Back pain (weekly mean)" : "Back pain", className: "series-1" },
        { label: weekly ? "Leg pain (weekly mean)" : "Leg pain", className: "series-2" },
        { label: "Baseline", className: "baseline", dashed: true },
        referenceKey(outcomes.reference),
      ],
      checkinTable,
      referenceNote(outcomes.reference, [
        ["back_pain", "back pain"],
        ["leg_pain", "leg pain"],
      ]),
    ),
    chartSection(
      "Activity",
      lineChart({
        title: `Walking and standing minutes by ${per} after the procedure`,
        description: `Minutes walked and longest standing per ${per}. Dashed: baseline tolerance.`,
        width,
        xLabel: "Days after the procedure",
        yMin: 0,
        xMin: 0,
        xMax: painXMax,
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
        { label: weekly ? "Walking (mean min)" : "Walking (min)", className: "series-1" },
        { label: weekly ? "Standing (mean min)" : "Standing (min)", className: "series-2" },
        { label: "Baseline", className: "baseline", dashed: true },
      ],
      null,
    ),
  );

  const odi = outcomes.assessments.filter((a) => a.instrument === "odi" && a.scores.odi_percent !== null);
  const zcq = outcomes.assessments.filter((a) => a.instrument === "zcq");
  const zcqPoints = (name) => zcq.filter((a) => a.scores[name] !== null && a.scores[name] !== undefined).map((a) => ({ x: a.day, y: a.scores[name] }));
  ctx.main.append(
    chartSection(
      "Disability (ODI) against the expected recovery",
      lineChart({
        title: "Oswestry Disability Index by day after the procedure",
        description: `ODI percent at each assessment (lower is better) and the expected score at the trial's visits (${outcomes.reference.population}).`,
        width,
        xLabel: "Days after the procedure",
        yMin: 0,
        yMax: 100,
        xMin: Math.min(0, ...odi.map((a) => a.day)),
        xMax: Math.max(outcomeXMax, ...odi.map((a) => a.day)),
        series: [
          { label: "ODI", className: "series-1", markers: true, points: odi.map((a) => ({ x: a.day, y: a.scores.odi_percent })) },
          { label: "Expected", className: "reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "odi_percent").filter((p) => p.x <= outcomeXMax) },
        ],
        baselines: [],
      }),
      [{ label: "ODI (%)", className: "series-1" }, referenceKey(outcomes.reference)],
      dataTable(
        "Assessments",
        ["Timepoint", "Measure", "Date", "Scores", "Responder"],
        outcomes.assessments.map((a) => [
          a.timepoint,
          a.instrument,
          a.local_date,
          Object.entries(a.scores)
            .filter(([, v]) => v !== null)
            .map(([k, v]) => `${k} ${num(v)}${k === "odi_percent" ? "%" : ""}`)
            .join(", "),
          a.change_from_baseline
            ? Object.entries(a.change_from_baseline)
                .filter(([, c]) => c.responder !== null)
                .map(([k, c]) => `${k}: ${c.responder ? "yes" : "no"}`)
                .join(", ") || "–"
            : "–",
        ]),
      ),
      referenceNote(outcomes.reference, [["odi_percent", "ODI (%)"]]),
    ),
    chartSection(
      "Symptoms and function (ZCQ) against the expected recovery",
      lineChart({
        title: "Zurich Claudication Questionnaire by day after the procedure",
        description: `ZCQ symptom severity (1-5) and physical function (1-4) at each assessment (lower is better), and the expected scores at the trial's visits (${outcomes.reference.population}).`,
        width,
        xLabel: "Days after the procedure",
        yMin: 1,
        yMax: 5,
        xMin: Math.min(0, ...zcq.map((a) => a.day)),
        xMax: Math.max(outcomeXMax, ...zcq.map((a) => a.day)),
        series: [
          { label: "Symptom severity", className: "series-1", markers: true, points: zcqPoints("zcq_symptom_severity") },
          { label: "Physical function", className: "series-2", markers: true, points: zcqPoints("zcq_physical_function") },
          { label: "Expected symptom severity", className: "series-1 reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "zcq_symptom_severity").filter((p) => p.x <= outcomeXMax) },
          { label: "Expected physical function", className: "series-2 reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "zcq_physical_function").filter((p) => p.x <= outcomeXMax) },
        ],
        baselines: [],
      }),
      [{ label: "Symptom severity", className: "series-1" }, { label: "Physical function", className: "series-2" }, referenceKey(outcomes.reference)],
      null,
      referenceNote(outcomes.reference, [
        ["zcq_symptom_severity", "symptom severity"],
        ["zcq_physical_function", "physical function"],
      ]),
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
  await safetySections(ctx, id);
}

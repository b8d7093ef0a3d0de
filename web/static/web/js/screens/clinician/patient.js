// @ts-check
// One patient's detail for their care team: summary, open alerts, charts against the expected trajectory, outcomes
// and progress checks; then screening, preparation, education read and adverse events (safety.js).

import { ApiError, OfflineError, api } from "../../api.js";
import { dataTable, legend, lineChart, seriesLastDay, seriesPoints } from "../../charts.js";
import { formatDay, formatDayWithYear, h, uid } from "../../dom.js";
import { alertItem, contactSection, triggerSection } from "./alerts.js";
import { safetySections } from "./safety.js";
import { formatList, formatNumber, gettext, gettext_noop, interpolate, ngettext } from "../../i18n.js";
import { num, offlineNotice, pct } from "./shared.js";

// A progress check's status as the list says it (lower case, after a dash).
const MILESTONE_STATUS = {
  upcoming: gettext_noop("upcoming"),
  open: gettext_noop("open"),
  completed: gettext_noop("completed"),
  overdue: gettext_noop("overdue"),
  missed: gettext_noop("missed"),
};

// The names of the measures and of their scores in the tables, instead of their codes.
const INSTRUMENT_LABEL = {
  pain: gettext_noop("Pain"),
  tolerance: gettext_noop("Standing and walking"),
  odi: gettext_noop("ODI"),
  zcq: gettext_noop("ZCQ"),
};
const SCORE_LABEL = {
  back_pain: gettext_noop("back"),
  leg_pain: gettext_noop("leg"),
  standing_minutes: gettext_noop("standing (min)"),
  walking_minutes: gettext_noop("walking (min)"),
  odi_percent: gettext_noop("ODI"),
  zcq_symptom_severity: gettext_noop("symptoms"),
  zcq_physical_function: gettext_noop("function"),
  zcq_satisfaction: gettext_noop("satisfaction"),
};

/** A label from one of the tables above in the reader's language; the code itself when the table lacks it. */
function labelOf(table, code) {
  return table[code] ? gettext(table[code]) : code;
}

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
  const population = (reference && reference.population) || gettext("trial average");
  return { label: interpolate(gettext("Expected at the trial's visits: %(population)s"), { population }, true), className: "reference", dashed: true };
}

/** What the reference says, in words: each trial visit with a published value, e.g. "2 years (day 730): 31.3". */
function referenceNote(reference, names) {
  const visits = (reference && reference.visits) || [];
  const parts = [];
  for (const visit of visits) {
    const values = names
      .map(([name, label]) => {
        const point = ((reference.series && reference.series[name]) || []).find((p) => p.day === visit.day);
        return point && point.expected_score !== null ? interpolate(gettext("%(score_name)s %(value)s"), { score_name: label, value: num(point.expected_score) }, true) : null;
      })
      .filter(Boolean);
    if (values.length) parts.push(interpolate(gettext("%(visit)s (day %(day)s): %(values)s"), { visit: visit.label, day: formatNumber(visit.day), values: values.join(", ") }, true));
  }
  const text = parts.length
    ? interpolate(gettext("Expected from this patient's baseline (%(population)s): %(visits)s. The trial had no visit before 6 months."), { population: reference.population, visits: parts.join("; ") }, true)
    : interpolate(gettext("No expected values: no baseline, or the trial (%(population)s) gives none for these scores."), { population: (reference && reference.population) || "MiDAS ENCORE" }, true);
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
    ctx.main.append(h("h1", {}, gettext("Patient")));
    if (error instanceof OfflineError) return offlineNotice(ctx);
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      ctx.main.append(h("p", { class: "notice notice-error" }, gettext("There is no such patient on your care teams.")));
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
    patient.has_diabetes ? gettext("Diabetes") : null,
    patient.has_heart_disease ? gettext("Heart disease") : null,
    patient.had_previous_spinal_surgery ? gettext("Previous spinal surgery") : null,
  ].filter(Boolean);
  const openAlerts = timeline.alerts.filter((a) => a.state !== "resolved");

  ctx.main.append(
    h("h1", {}, patient.full_name),
    h(
      "p",
      { class: "lead" },
      interpolate(ngettext("%(count)s year", "%(count)s years", patient.age), { count: formatNumber(patient.age) }, true),
      " · ",
      procedureDate
        ? interpolate(gettext("procedure %(date)s, day %(day)s"), { date: formatDayWithYear(procedureDate), day: lastDayN !== null ? formatNumber(lastDayN) : "–" }, true)
        : gettext("no procedure done yet"),
      ` · ${patient.time_zone}`,
    ),
    h(
      "dl",
      { class: "summary-list summary-inline" },
      h("dt", {}, gettext("Risk factors")),
      h("dd", {}, risk.length ? risk.join(", ") : gettext("None recorded")),
      h("dt", {}, gettext("Care team")),
      h("dd", {}, patient.care_team.map((m) => (m.is_primary ? interpolate(gettext("%(name)s (primary)"), { name: m.full_name }, true) : m.full_name)).join(", ")),
      h("dt", {}, gettext("Phone")),
      h("dd", {}, patient.phone || "–"),
      h("dt", {}, gettext("Emergency contact")),
      h(
        "dd",
        {},
        patient.emergency_contact_name
          ? interpolate(
              gettext("%(name)s (%(relationship)s) %(phone)s"),
              { name: patient.emergency_contact_name, relationship: patient.emergency_contact_relationship || gettext("contact"), phone: patient.emergency_contact_phone },
              true,
            )
          : "–",
      ),
    ),
    h(
      "p",
      {},
      h("a", { class: "button", href: `/api/v1/patients/${id}/export.csv`, download: "" }, gettext("Download CSV")),
      " ",
      h("a", { class: "button", href: `/api/v1/patients/${id}/report.pdf`, target: "_blank", rel: "noopener" }, gettext("Visit report")),
    ),
  );

  const alertsSection = h("section", { class: "card", "aria-labelledby": "patient-alerts" }, h("h2", { id: "patient-alerts" }, interpolate(gettext("Alerts (%(count)s not resolved)"), { count: formatNumber(openAlerts.length) }, true)));
  alertsSection.append(openAlerts.length ? h("ul", { class: "alert-list" }, openAlerts.map((a) => alertItem(a, { withPatient: false }))) : h("p", {}, gettext("No open alerts.")));
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

  const checkinTable = weekly
    ? dataTable(
        gettext("Weekly check-ins"),
        [gettext("Week from"), gettext("Day"), gettext("Check-ins"), gettext("Back (mean)"), gettext("Leg (mean)"), gettext("Walking (mean min)"), gettext("Standing (mean min)")],
        [...weeks]
          .reverse()
          .map((w) => [
            formatDay(w.start, "short"),
            w.day,
            interpolate(gettext("%(checkins)s of %(days)s"), { checkins: formatNumber(w.checkins), days: formatNumber(w.days) }, true),
            num(w.back_pain.mean),
            num(w.leg_pain.mean),
            num(w.walking_minutes.mean),
            num(w.standing_minutes.mean),
          ]),
      )
    : dataTable(
        gettext("Daily check-ins"),
        [gettext("Date"), gettext("Day"), gettext("Back"), gettext("Leg"), gettext("Walking"), gettext("Standing"), gettext("Steps")],
        [...days].reverse().filter((d) => d.checked_in).map((d) => [formatDay(d.date, "short"), d.day, d.back_pain, d.leg_pain, d.walking_minutes, d.standing_minutes, d.steps]),
      );
  const painXMax = Math.max(xMax, 7);
  ctx.main.append(
    chartSection(
      gettext("Pain against the expected recovery"),
      lineChart({
        title: weekly ? gettext("Back and leg pain by week (weekly means) after the procedure") : gettext("Back and leg pain by day after the procedure"),
        description: interpolate(
          weekly
            ? gettext("NPRS 0-10 per week (weekly means). Thin dashed: the patient's baseline. Dashed points: expected at the trial's visits (%(population)s).")
            : gettext("NPRS 0-10 per day. Thin dashed: the patient's baseline. Dashed points: expected at the trial's visits (%(population)s)."),
          { population: outcomes.reference.population },
          true,
        ),
        width,
        xLabel: gettext("Days after the procedure"),
        yMin: 0,
        yMax: 10,
        xMin: 0,
        xMax: painXMax,
        series: [
          { label: gettext("Back pain"), className: "series-1", points: points("back_pain") },
          { label: gettext("Leg pain"), className: "series-2", points: points("leg_pain") },
          { label: gettext("Expected back pain"), className: "series-1 reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "back_pain").filter((p) => p.x <= painXMax) },
          { label: gettext("Expected leg pain"), className: "series-2 reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "leg_pain").filter((p) => p.x <= painXMax) },
        ],
        baselines: painBaseline
          ? [
              { y: painBaseline.back_pain, className: "series-1" },
              { y: painBaseline.leg_pain, className: "series-2" },
            ]
          : [],
      }),
      [
        { label: weekly ? gettext("Back pain (weekly mean)") : gettext("Back pain"), className: "series-1" },
        { label: weekly ? gettext("Leg pain (weekly mean)") : gettext("Leg pain"), className: "series-2" },
        { label: gettext("Baseline"), className: "baseline", dashed: true },
        referenceKey(outcomes.reference),
      ],
      checkinTable,
      referenceNote(outcomes.reference, [
        ["back_pain", gettext("back pain")],
        ["leg_pain", gettext("leg pain")],
      ]),
    ),
    chartSection(
      gettext("Activity"),
      lineChart({
        title: weekly ? gettext("Walking and standing minutes by week (weekly means) after the procedure") : gettext("Walking and standing minutes by day after the procedure"),
        description: weekly
          ? gettext("Minutes walked and longest standing per week (weekly means). Dashed: baseline tolerance.")
          : gettext("Minutes walked and longest standing per day. Dashed: baseline tolerance."),
        width,
        xLabel: gettext("Days after the procedure"),
        yMin: 0,
        xMin: 0,
        xMax: painXMax,
        series: [
          { label: gettext("Walking"), className: "series-1", points: points("walking_minutes") },
          { label: gettext("Standing"), className: "series-2", points: points("standing_minutes") },
        ],
        baselines: toleranceBaseline
          ? [
              { y: toleranceBaseline.walking_minutes, className: "series-1" },
              { y: toleranceBaseline.standing_minutes, className: "series-2" },
            ]
          : [],
      }),
      [
        { label: weekly ? gettext("Walking (mean min)") : gettext("Walking (min)"), className: "series-1" },
        { label: weekly ? gettext("Standing (mean min)") : gettext("Standing (min)"), className: "series-2" },
        { label: gettext("Baseline"), className: "baseline", dashed: true },
      ],
      null,
    ),
  );

  const odi = outcomes.assessments.filter((a) => a.instrument === "odi" && a.scores.odi_percent !== null);
  // An assessment's timepoint is the key of its progress check: the table names the check as the list below does.
  const checkTitles = new Map(timeline.milestones.map((m) => [m.key, m.title]));
  const zcq = outcomes.assessments.filter((a) => a.instrument === "zcq");
  const zcqPoints = (name) => zcq.filter((a) => a.scores[name] !== null && a.scores[name] !== undefined).map((a) => ({ x: a.day, y: a.scores[name] }));
  ctx.main.append(
    chartSection(
      gettext("Disability (ODI) against the expected recovery"),
      lineChart({
        title: gettext("Oswestry Disability Index by day after the procedure"),
        description: interpolate(
          gettext("ODI percent at each assessment (lower is better) and the expected score at the trial's visits (%(population)s)."),
          { population: outcomes.reference.population },
          true,
        ),
        width,
        xLabel: gettext("Days after the procedure"),
        yMin: 0,
        yMax: 100,
        xMin: Math.min(0, ...odi.map((a) => a.day)),
        xMax: Math.max(outcomeXMax, ...odi.map((a) => a.day)),
        series: [
          { label: gettext("ODI"), className: "series-1", markers: true, points: odi.map((a) => ({ x: a.day, y: a.scores.odi_percent })) },
          { label: gettext("Expected"), className: "reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "odi_percent").filter((p) => p.x <= outcomeXMax) },
        ],
        baselines: [],
      }),
      [{ label: gettext("ODI (%)"), className: "series-1" }, referenceKey(outcomes.reference)],
      dataTable(
        gettext("Assessments"),
        [gettext("Timepoint"), gettext("Measure"), gettext("Date"), gettext("Scores"), gettext("Responder")],
        outcomes.assessments.map((a) => [
          a.timepoint === "baseline" ? gettext("Before the procedure") : checkTitles.get(a.timepoint) || a.timepoint,
          labelOf(INSTRUMENT_LABEL, a.instrument),
          formatDayWithYear(a.local_date),
          Object.entries(a.scores)
            .filter(([, v]) => v !== null)
            .map(([k, v]) => `${labelOf(SCORE_LABEL, k)} ${k === "odi_percent" ? pct(v) : num(v)}`)
            .join(", "),
          a.change_from_baseline
            ? Object.entries(a.change_from_baseline)
                .filter(([, c]) => c.responder !== null)
                .map(([k, c]) => `${labelOf(SCORE_LABEL, k)}: ${c.responder ? gettext("yes") : gettext("no")}`)
                .join(", ") || "–"
            : "–",
        ]),
      ),
      referenceNote(outcomes.reference, [["odi_percent", gettext("ODI (%)")]]),
    ),
    chartSection(
      gettext("Symptoms and function (ZCQ) against the expected recovery"),
      lineChart({
        title: gettext("Zurich Claudication Questionnaire by day after the procedure"),
        description: interpolate(
          gettext("ZCQ symptom severity (1-5) and physical function (1-4) at each assessment (lower is better), and the expected scores at the trial's visits (%(population)s)."),
          { population: outcomes.reference.population },
          true,
        ),
        width,
        xLabel: gettext("Days after the procedure"),
        yMin: 1,
        yMax: 5,
        xMin: Math.min(0, ...zcq.map((a) => a.day)),
        xMax: Math.max(outcomeXMax, ...zcq.map((a) => a.day)),
        series: [
          { label: gettext("Symptom severity"), className: "series-1", markers: true, points: zcqPoints("zcq_symptom_severity") },
          { label: gettext("Physical function"), className: "series-2", markers: true, points: zcqPoints("zcq_physical_function") },
          { label: gettext("Expected symptom severity"), className: "series-1 reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "zcq_symptom_severity").filter((p) => p.x <= outcomeXMax) },
          { label: gettext("Expected physical function"), className: "series-2 reference", dashed: true, markers: true, points: referenceLine(outcomes.reference, "zcq_physical_function").filter((p) => p.x <= outcomeXMax) },
        ],
        baselines: [],
      }),
      [{ label: gettext("Symptom severity"), className: "series-1" }, { label: gettext("Physical function"), className: "series-2" }, referenceKey(outcomes.reference)],
      null,
      referenceNote(outcomes.reference, [
        ["zcq_symptom_severity", gettext("symptom severity")],
        ["zcq_physical_function", gettext("physical function")],
      ]),
    ),
  );

  ctx.main.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "patient-milestones" },
      h("h2", { id: "patient-milestones" }, gettext("Progress checks")),
      h(
        "ul",
        { class: "plain-list" },
        timeline.milestones.map((m) =>
          h(
            "li",
            {},
            h("strong", {}, m.title),
            ` — ${MILESTONE_STATUS[m.status] ? gettext(MILESTONE_STATUS[m.status]) : m.status}`,
            interpolate(gettext(" (%(opens)s to %(closes)s)"), { opens: formatDay(m.opens_on, "short"), closes: formatDay(m.closes_on, "short") }, true),
            m.assessments_done.length
              ? interpolate(gettext(", done: %(assessments)s"), { assessments: formatList(m.assessments_done.map((code) => labelOf(INSTRUMENT_LABEL, code))) }, true)
              : "",
          ),
        ),
      ),
    ),
  );
  await safetySections(ctx, id);
}

// @ts-check
// The recovery curves of one's patients (GET /api/v1/clinician/cohort): per week since the procedure, the median and
// the middle half (25th to 75th percentile) of the patients' weekly mean back pain, leg pain and walking minutes, and
// the share of responders at 6-8 weeks, 6 months and 1 year; the safety rates (adverse events per done procedure, with
// their 95% confidence interval, beside the pivotal trial's reference, and repeat procedures); and, with a split
// (?split=), the same compared between the groups of a screening caution, a risk factor or an age band. A clinic admin
// sees the whole clinic, where cells of fewer patients than the threshold are hidden.

import { api } from "../../api.js";
import { dataTable, legend, lineChart } from "../../charts.js";
import { h, uid } from "../../dom.js";
import { field } from "../../forms.js";
import { formatNumber, gettext, gettext_noop, interpolate, ngettext } from "../../i18n.js";
import { loadFailureShown, num, percent } from "./shared.js";

const RANGES = [
  [13, gettext_noop("First 3 months (13 weeks)")],
  [26, gettext_noop("First 6 months (26 weeks)")],
  [52, gettext_noop("First year (52 weeks)")],
  [105, gettext_noop("Two years (105 weeks)")],
];
/** @type {{metric: string, title: string, description: string, yMax?: number}[]} */
const METRICS = [
  { metric: "leg_pain", title: gettext_noop("Leg pain"), description: gettext_noop("Leg pain (NPRS 0-10), patients' weekly means"), yMax: 10 },
  { metric: "back_pain", title: gettext_noop("Back pain"), description: gettext_noop("Back pain (NPRS 0-10), patients' weekly means"), yMax: 10 },
  { metric: "walking_minutes", title: gettext_noop("Walking"), description: gettext_noop("Longest walk (minutes), patients' weekly means") },
];
const TIMEPOINT_LABEL = { weeks_6_8: gettext_noop("6-8 weeks"), month_6: gettext_noop("6 months"), year_1: gettext_noop("1 year") };
// What the cohort can be compared by: the exact `split` values the API accepts (dashboards/safety.py SPLITS).
/** @type {[string, string][]} */
const SPLITS = [
  ["age_band", gettext_noop("Age at procedure")],
  ["heart_disease", gettext_noop("Screening: severe heart disease")],
  ["uncontrolled_diabetes", gettext_noop("Screening: uncontrolled diabetes")],
  ["diabetes", gettext_noop("Screening: diabetes")],
  ["spinal_instability", gettext_noop("Screening: spinal instability")],
  ["previous_spinal_surgery", gettext_noop("Screening: previous spinal surgery at the level")],
  ["risk_diabetes", gettext_noop("Risk factor: diabetes")],
  ["risk_heart_disease", gettext_noop("Risk factor: heart disease")],
  ["risk_previous_spinal_surgery", gettext_noop("Risk factor: previous spinal surgery")],
];
// A group's value in words: a screening's answer ("unknown" also counts the episodes not screened), a risk factor
// present or not, an age band.
const SCREENING_GROUPS = { yes: gettext_noop("Yes"), no: gettext_noop("No"), unknown: gettext_noop("Unknown or not screened") };
const RISK_GROUPS = { yes: gettext_noop("Yes"), no: gettext_noop("No") };
const AGE_GROUPS = { under_65: gettext_noop("Under 65"), "65_74": gettext_noop("65-74"), "75_over": gettext_noop("75 and over") };

/** The name of a split's group in the active language ("Under 65", "Yes"...); an unknown value as it is. */
function groupLabel(split, value) {
  const names = split === "age_band" ? AGE_GROUPS : split.startsWith("risk_") ? RISK_GROUPS : SCREENING_GROUPS;
  return names[value] ? gettext(names[value]) : value;
}

/** A rate (0-1) with one decimal: "2.1%". */
function ratePercent(value) {
  return value === null || value === undefined ? "–" : formatNumber(value, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/**
 * A safety rate with its interval and counts: "2.1% (95% CI 0.6% to 7.4%), 2 of 95 procedures"; `patients`: counted
 * per patient (repeat procedures). Hidden when the cell is suppressed, and "No procedures yet" over none.
 */
function rateText(rate, total, suppressed, patients = false) {
  if (suppressed || total === null || total === undefined) return gettext("Hidden (too few patients)");
  if (!total) return patients ? gettext("No patients yet") : gettext("No procedures yet");
  const counts = patients
    ? ngettext("%(events)s of %(total)s patient", "%(events)s of %(total)s patients", total)
    : ngettext("%(events)s of %(total)s procedure", "%(events)s of %(total)s procedures", total);
  return interpolate(
    gettext("%(rate)s (%(level)s CI %(low)s to %(high)s), %(counts)s"),
    {
      rate: ratePercent(rate.rate),
      level: formatNumber(0.95, { style: "percent", maximumFractionDigits: 0 }),
      low: ratePercent(rate.ci95_low),
      high: ratePercent(rate.ci95_high),
      counts: interpolate(counts, { events: formatNumber(rate.events), total: formatNumber(total) }, true),
    },
    true,
  );
}

/** A small table in a region that scrolls sideways on its own on a narrow screen (keyboard-focusable). */
function statTable(caption, columns, rows, attributes = {}) {
  return h(
    "div",
    { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
    h(
      "table",
      { class: "stat-table", ...attributes },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows),
    ),
  );
}

/** The safety card: adverse events per done procedure (any, related, serious and related) beside the pivotal
 * trial's reference, and the share of patients with a repeat procedure. */
function safetyCard(safety, scope) {
  const reference = safety.reference;
  const trialWords = interpolate(
    Number(reference.serious_related_rate) === 0
      ? gettext("In the pivotal trial (%(population)s), %(rate)s of patients had an adverse event related to the device or the procedure; none was serious.")
      : gettext("In the pivotal trial (%(population)s), %(rate)s of patients had an adverse event related to the device or the procedure; %(serious)s had a serious one."),
    { population: reference.population, rate: ratePercent(Number(reference.related_rate)), serious: ratePercent(Number(reference.serious_related_rate)) },
    true,
  );
  const notReported = gettext("Not reported");
  const row = (key, label, text, trial) => h("tr", { "data-rate": key }, h("th", { scope: "row" }, label), h("td", {}, text), h("td", {}, trial));
  const repeat = safety.repeat_procedures;
  return h(
    "section",
    { class: "card", "aria-labelledby": "cohort-safety" },
    h("h2", { id: "cohort-safety" }, gettext("Safety")),
    h(
      "p",
      {},
      interpolate(
        gettext("Of the procedures done: how many had an adverse event recorded after them, with the %(level)s confidence interval (Wilson). Drafts and dismissed drafts do not count."),
        { level: formatNumber(0.95, { style: "percent", maximumFractionDigits: 0 }) },
        true,
      ),
    ),
    statTable(
      gettext("Adverse events and repeat procedures"),
      [gettext("What"), scope === "clinic" ? gettext("This clinic") : gettext("Your patients"), gettext("Pivotal trial")],
      [
        row("any", gettext("Any adverse event"), rateText(safety.any, safety.procedures, safety.suppressed), notReported),
        row("related", gettext("Related to the device or the procedure"), rateText(safety.related, safety.procedures, safety.suppressed), ratePercent(Number(reference.related_rate))),
        row(
          "serious_related",
          gettext("Serious and related (Clavien-Dindo grade III or higher)"),
          rateText(safety.serious_related, safety.procedures, safety.suppressed),
          Number(reference.serious_related_rate) === 0 ? gettext("None") : ratePercent(Number(reference.serious_related_rate)),
        ),
        row("repeat_procedures", gettext("Patients with a repeat procedure"), rateText(repeat, repeat.patients, false, true), notReported),
      ],
    ),
    h("p", { class: "trial-reference" }, trialWords),
  );
}

/** The groups of a split side by side: patients, responders at 6-8 weeks (ODI and pain), related adverse events. */
function groupsCard(split, groups) {
  const splitName = SPLITS.find(([key]) => key === split);
  const title = splitName ? gettext(splitName[1]) : split;
  const caption = interpolate(gettext("Groups compared by %(split)s"), { split: title }, true);
  return h(
    "section",
    { class: "card", "aria-labelledby": "cohort-groups" },
    h("h2", { id: "cohort-groups" }, interpolate(gettext("Compared by: %(split)s"), { split: title }, true)),
    h("p", {}, gettext("Responders at 6-8 weeks, and adverse events related to the device or the procedure, in each group.")),
    statTable(
      caption,
      [gettext("Group"), gettext("Patients"), gettext("ODI responders at 6-8 weeks"), gettext("Pain responders at 6-8 weeks"), gettext("Related adverse events")],
      groups.map((group) => {
        const early = group.responders.find((r) => r.timepoint === "weeks_6_8");
        const repeat = group.safety.repeat_procedures;
        return h(
          "tr",
          { "data-group": group.value },
          h("th", { scope: "row" }, groupLabel(split, group.value)),
          h("td", {}, repeat.patients === null || repeat.patients === undefined ? gettext("hidden") : formatNumber(repeat.patients)),
          h("td", {}, early ? share(early.odi) : "–"),
          h("td", {}, early ? share(early.pain) : "–"),
          h("td", {}, rateText(group.safety.related, group.safety.procedures, group.safety.suppressed)),
        );
      }),
      { class: "stat-table groups-table" },
    ),
  );
}

function share(cell) {
  if (cell.suppressed) return gettext("Hidden (too few patients)");
  if (!cell.n) return gettext("No patients yet");
  return interpolate(gettext("%(share)s (%(responders)s of %(patients)s)"), { share: percent(cell.share), responders: formatNumber(cell.responders), patients: formatNumber(cell.n) }, true);
}

export async function cohortCurves(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  const weeks = RANGES.some(([n]) => String(n) === ctx.query.get("weeks")) ? Number(ctx.query.get("weeks")) : 13;
  const split = SPLITS.some(([key]) => key === ctx.query.get("split")) ? String(ctx.query.get("split")) : "";
  const select = h("select", { class: "input", name: "weeks" }, RANGES.map(([n, label]) => h("option", { value: String(n), selected: n === weeks }, gettext(label))));
  const splitSelect = h(
    "select",
    { class: "input", name: "split" },
    h("option", { value: "", selected: !split }, gettext("None")),
    SPLITS.map(([key, label]) => h("option", { value: key, selected: key === split }, gettext(label))),
  );
  const form = h(
    "form",
    { class: "filters", "aria-label": gettext("Choose the weeks and the groups") },
    field(gettext("Weeks since the procedure"), select, { name: "weeks" }),
    field(gettext("Compare groups"), splitSelect, { name: "split" }),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "button button-primary" }, gettext("Show"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams({ weeks: select.value });
    if (splitSelect.value) query.set("split", splitSelect.value);
    ctx.navigate(`/app/clinician/cohort?${query}`);
  });
  ctx.main.append(h("h1", {}, gettext("Recovery curves")), form);
  let body;
  try {
    body = await api.get(`/api/v1/clinician/cohort?weeks=${weeks}${split ? `&split=${split}` : ""}`);
  } catch (error) {
    if (loadFailureShown(ctx, error, [400])) return;
    throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(
    h(
      "p",
      { class: "lead" },
      body.scope === "clinic"
        ? interpolate(
            gettext("All the clinic's patients, week by week after their procedure. Weeks and shares describing fewer than %(threshold)s patients are hidden."),
            { threshold: formatNumber(body.suppression_threshold) },
            true,
          )
        : gettext("Your care teams' patients, week by week after their procedure."),
    ),
  );
  const width = Math.min(ctx.main.clientWidth || 600, 1200) - 40;
  for (const { metric, title: titleId, description: descriptionId, yMax } of METRICS) {
    const title = gettext(titleId);
    const description = gettext(descriptionId);
    const line = (key) => body.weeks.map((w) => ({ x: w.week, y: w[metric].suppressed ? null : w[metric][key] }));
    const id = uid("cohort");
    ctx.main.append(
      h(
        "section",
        { class: "card chart-card", "aria-labelledby": id },
        h("h2", { id }, title),
        lineChart({
          title: interpolate(gettext("%(measure)s: median and middle half by week after the procedure"), { measure: title }, true),
          description: interpolate(gettext("%(description)s. Solid: median. Dashed: 25th and 75th percentiles."), { description }, true),
          width,
          xLabel: gettext("Weeks after the procedure"),
          yMin: 0,
          yMax,
          xMin: 0,
          xMax: Math.max(1, weeks - 1),
          series: [
            { label: gettext("Median"), className: "series-1", points: line("median") },
            { label: gettext("25th percentile"), className: "series-2", dashed: true, points: line("p25") },
            { label: gettext("75th percentile"), className: "series-2", dashed: true, points: line("p75") },
          ],
          baselines: [],
        }),
        legend([
          { label: gettext("Median"), className: "series-1" },
          { label: gettext("25th and 75th percentiles"), className: "series-2", dashed: true },
        ]),
        dataTable(
          interpolate(gettext("%(measure)s by week"), { measure: title }, true),
          [gettext("Week"), gettext("Patients"), gettext("Median"), gettext("25th"), gettext("75th")],
          body.weeks.map((w) => {
            const cell = w[metric];
            return cell.suppressed ? [w.week, gettext("hidden"), "–", "–", "–"] : [w.week, cell.n, num(cell.median), num(cell.p25), num(cell.p75)];
          }),
        ),
      ),
    );
  }
  ctx.main.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "cohort-responders" },
      h("h2", { id: "cohort-responders" }, gettext("Responders")),
      h("p", {}, gettext("Patients whose ODI improved by 10 points or more, or whose leg or back pain improved by 2 points or more, from their baseline.")),
      h(
        "div",
        { class: "table-scroll", tabindex: "0", role: "region", "aria-label": gettext("Responders by timepoint") },
        h(
        "table",
        { class: "stat-table" },
        h("caption", { class: "visually-hidden" }, gettext("Share of responders by timepoint")),
        h("thead", {}, h("tr", {}, [gettext("When"), gettext("ODI responders"), gettext("Pain responders")].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          body.responders.map((r) => h("tr", {}, h("th", { scope: "row" }, TIMEPOINT_LABEL[r.timepoint] ? gettext(TIMEPOINT_LABEL[r.timepoint]) : r.timepoint), h("td", {}, share(r.odi)), h("td", {}, share(r.pain)))),
        ),
      ),
      ),
    ),
  );
  ctx.main.append(safetyCard(body.safety, body.scope));
  if (split && body.groups.length) ctx.main.append(groupsCard(split, body.groups));
}

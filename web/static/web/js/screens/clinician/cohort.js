// @ts-check
// The recovery curves of one's patients (GET /api/v1/clinician/cohort): per week since the procedure, the median and
// the middle half (25th to 75th percentile) of the patients' weekly mean back pain, leg pain and walking minutes, and
// the share of responders at 6-8 weeks, 6 months and 1 year. A clinic admin sees the whole clinic, where cells of
// fewer patients than the threshold are hidden.

import { ApiError, OfflineError, api } from "../../api.js";
import { dataTable, legend, lineChart } from "../../charts.js";
import { h, uid } from "../../dom.js";
import { field } from "../../forms.js";
import { num, offlineNotice } from "./shared.js";

const RANGES = [
  [13, "First 3 months (13 weeks)"],
  [26, "First 6 months (26 weeks)"],
  [52, "First year (52 weeks)"],
  [105, "Two years (105 weeks)"],
];
/** @type {{metric: string, title: string, description: string, yMax?: number}[]} */
const METRICS = [
  { metric: "leg_pain", title: "Leg pain", description: "Leg pain (NPRS 0-10), patients' weekly means", yMax: 10 },
  { metric: "back_pain", title: "Back pain", description: "Back pain (NPRS 0-10), patients' weekly means", yMax: 10 },
  { metric: "walking_minutes", title: "Walking", description: "Longest walk (minutes), patients' weekly means" },
];
const TIMEPOINT_LABEL = { weeks_6_8: "6-8 weeks", month_6: "6 months", year_1: "1 year" };

function share(cell) {
  if (cell.suppressed) return "Hidden (too few patients)";
  if (!cell.n) return "No patients yet";
  return `${Math.round(cell.share * 100)}% (${cell.responders} of ${cell.n})`;
}

export async function cohortCurves(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  const weeks = RANGES.some(([n]) => String(n) === ctx.query.get("weeks")) ? Number(ctx.query.get("weeks")) : 13;
  const select = h("select", { class: "input", name: "weeks" }, RANGES.map(([n, label]) => h("option", { value: String(n), selected: n === weeks }, label)));
  const form = h(
    "form",
    { class: "filters", "aria-label": "Choose the weeks" },
    field("Weeks since the procedure", select, { name: "weeks" }),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "button button-primary" }, "Show")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.navigate(`/app/clinician/cohort?weeks=${select.value}`);
  });
  ctx.main.append(h("h1", {}, "Recovery curves"), form);
  let body;
  try {
    body = await api.get(`/api/v1/clinician/cohort?weeks=${weeks}`);
  } catch (error) {
    if (error instanceof OfflineError) return offlineNotice(ctx);
    if (error instanceof ApiError && error.status === 400) {
      ctx.main.append(h("p", { class: "notice notice-error" }, error.message));
      return;
    }
    throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(
    h(
      "p",
      { class: "lead" },
      body.scope === "clinic"
        ? `All the clinic's patients, week by week after their procedure. Weeks and shares describing fewer than ${body.suppression_threshold} patients are hidden.`
        : "Your care teams' patients, week by week after their procedure.",
    ),
  );
  const width = Math.min(ctx.main.clientWidth || 600, 1200) - 40;
  for (const { metric, title, description, yMax } of METRICS) {
    const line = (key) => body.weeks.map((w) => ({ x: w.week, y: w[metric].suppressed ? null : w[metric][key] }));
    const id = uid("cohort");
    ctx.main.append(
      h(
        "section",
        { class: "card chart-card", "aria-labelledby": id },
        h("h2", { id }, title),
        lineChart({
          title: `${title}: median and middle half by week after the procedure`,
          description: `${description}. Solid: median. Dashed: 25th and 75th percentiles.`,
          width,
          xLabel: "Weeks after the procedure",
          yMin: 0,
          yMax,
          xMin: 0,
          xMax: Math.max(1, weeks - 1),
          series: [
            { label: "Median", className: "series-1", points: line("median") },
            { label: "25th percentile", className: "series-2", dashed: true, points: line("p25") },
            { label: "75th percentile", className: "series-2", dashed: true, points: line("p75") },
          ],
          baselines: [],
        }),
        legend([
          { label: "Median", className: "series-1" },
          { label: "25th and 75th percentiles", className: "series-2", dashed: true },
        ]),
        dataTable(
          `${title} by week`,
          ["Week", "Patients", "Median", "25th", "75th"],
          body.weeks.map((w) => {
            const cell = w[metric];
            return cell.suppressed ? [w.week, "hidden", "–", "–", "–"] : [w.week, cell.n, num(cell.median), num(cell.p25), num(cell.p75)];
          }),
        ),
      ),
    );
  }
  ctx.main.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "cohort-responders" },
      h("h2", { id: "cohort-responders" }, "Responders"),
      h("p", {}, "Patients whose ODI improved by 10 points or more, or whose leg or back pain improved by 2 points or more, from their baseline."),
      h(
        "div",
        { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Responders by timepoint" },
        h(
        "table",
        { class: "stat-table" },
        h("caption", { class: "visually-hidden" }, "Share of responders by timepoint"),
        h("thead", {}, h("tr", {}, ["When", "ODI responders", "Pain responders"].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          body.responders.map((r) => h("tr", {}, h("th", { scope: "row" }, TIMEPOINT_LABEL[r.timepoint] || r.timepoint), h("td", {}, share(r.odi)), h("td", {}, share(r.pain)))),
        ),
      ),
      ),
    ),
  );
}

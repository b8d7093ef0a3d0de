// @ts-check
// The recovery curves of one's patients (GET /api/v1/clinician/cohort): per week since the procedure, the median and
// the middle half (25th to 75th percentile) of the patients' weekly mean back pain, leg pain and walking minutes, and
// the share of responders at 6-8 weeks, 6 months and 1 year. A clinic admin sees the whole clinic, where cells of
// fewer patients than the threshold are hidden.

import { ApiError, OfflineError, api } from "../../api.js";
import { dataTable, legend, lineChart } from "../../charts.js";
import { h, uid } from "../../dom.js";
import { field } from "../../forms.js";
import { formatNumber, gettext, gettext_noop, interpolate } from "../../i18n.js";
import { num, offlineNotice, percent } from "./shared.js";

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

function share(cell) {
  if (cell.suppressed) return gettext("Hidden (too few patients)");
  if (!cell.n) return gettext("No patients yet");
  return interpolate(gettext("%(share)s (%(responders)s of %(patients)s)"), { share: percent(cell.share), responders: formatNumber(cell.responders), patients: formatNumber(cell.n) }, true);
}

export async function cohortCurves(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  const weeks = RANGES.some(([n]) => String(n) === ctx.query.get("weeks")) ? Number(ctx.query.get("weeks")) : 13;
  const select = h("select", { class: "input", name: "weeks" }, RANGES.map(([n, label]) => h("option", { value: String(n), selected: n === weeks }, gettext(label))));
  const form = h(
    "form",
    { class: "filters", "aria-label": gettext("Choose the weeks") },
    field(gettext("Weeks since the procedure"), select, { name: "weeks" }),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "button button-primary" }, gettext("Show"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.navigate(`/app/clinician/cohort?weeks=${select.value}`);
  });
  ctx.main.append(h("h1", {}, gettext("Recovery curves")), form);
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
}

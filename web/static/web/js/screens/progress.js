// @ts-check
// Progress: pain and walking since the procedure in words first ("Your leg pain is 4 points lower than before the
// procedure", worked out on the server from exact values: /api/v1/me/progress), then as charts with the level before
// the procedure (the baseline) drawn across and the weeks when most people feel clearly better shaded. From the
// copies kept on the phone, so it opens offline too.

import { OfflineError } from "../api.js";
import { dataTable, legend, lineChart } from "../charts.js";
import { loadAssessments, loadCheckins, loadProgress, loadRecovery, staleNote } from "../data.js";
import { daysBetween, formatDay, h } from "../dom.js";
import { outboxItems } from "../sync.js";
import { formatNumber, gettext, interpolate, ngettext } from "../i18n.js";

function offlineAsNull(error) {
  if (error instanceof OfflineError) return null;
  throw error;
}

function baselineOf(assessments, procedureId, instrument) {
  const found = (assessments || []).find(
    (a) => a.timepoint === "baseline" && a.instrument === instrument && (!procedureId || a.procedure === procedureId),
  );
  return found ? found.scores : null;
}

function detail(measure) {
  const recent = measure.recent;
  if (!recent.checkins) return null;
  const amount = (value) =>
    measure.unit === "points"
      ? interpolate(gettext("%(value)s out of 10"), { value: formatNumber(value, { maximumFractionDigits: 1 }) }, true)
      : interpolate(ngettext("%(count)s minute", "%(count)s minutes", value), { count: formatNumber(value, { maximumFractionDigits: 1 }) }, true);
  const count = interpolate(ngettext("%(count)s check-in", "%(count)s check-ins", recent.checkins), { count: recent.checkins }, true);
  const before = measure.baseline === null ? "" : " " + interpolate(gettext("Before the procedure: %(amount)s."), { amount: amount(measure.baseline) }, true);
  return h(
    "p",
    { class: "measure-detail" },
    interpolate(gettext("Last 7 days: %(amount)s on average (%(count)s)."), { amount: amount(recent.mean), count }, true) + before,
  );
}

/** The progress sentences, written by the server in the reader's language from exact values (/api/v1/me/progress). */
function measureSentence(m) {
  return m.sentence;
}

function expectedSentence(m) {
  return m.expected.sentence;
}

function courseSentence(progress) {
  return progress.course.sentence;
}

/** The name of the shaded weeks in the charts' key. */
function courseLabel(course) {
  return course.label;
}

/** The progress in words: one short paragraph per measure, and the expected course. */
function inWords(progress) {
  if (!progress || !progress.measures.length) return null;
  return h(
    "section",
    { class: "card progress-words", "aria-labelledby": "progress-words" },
    h("h2", { id: "progress-words" }, gettext("How you are doing")),
    h(
      "ul",
      { class: "plain-list" },
      progress.measures.map((m) =>
        h(
          "li",
          { class: ["measure", m.better === true ? "is-better" : m.better === false ? "is-worse" : null], dataset: { measure: m.key } },
          h("p", { class: "measure-sentence" }, h("strong", {}, measureSentence(m))),
          detail(m),
          m.expected ? h("p", { class: "measure-expected" }, expectedSentence(m)) : null,
        ),
      ),
    ),
    progress.course ? h("p", { class: "course" }, courseSentence(progress)) : null,
  );
}

export async function render(ctx) {
  const [checkinsR, recoveryR, assessmentsR, progressR] = await Promise.all([
    loadCheckins().catch(offlineAsNull),
    loadRecovery().catch(offlineAsNull),
    loadAssessments().catch(offlineAsNull),
    loadProgress().catch(offlineAsNull),
  ]);
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, gettext("Your progress")));
  if (!checkinsR) {
    ctx.main.append(h("p", { class: "notice notice-info" }, gettext("Connect to the internet once so the app can load your check-ins.")));
    return;
  }
  ctx.main.append(staleNote(checkinsR));
  const recovery = recoveryR && recoveryR.data;
  const procedure = recovery && recovery.procedure;
  // Check-ins waiting on this phone count too: they are the patient's own answers.
  const unsent = (await outboxItems()).filter((i) => i.kind === "checkin").map((i) => ({ ...i.body, unsent: true }));
  const byDate = new Map();
  for (const c of [...checkinsR.data, ...unsent]) byDate.set(c.local_date, c);
  const checkins = [...byDate.values()].sort((a, b) => (a.local_date < b.local_date ? -1 : 1));
  if (!checkins.length) {
    ctx.main.append(h("p", {}, gettext("Your charts will appear here after your first check-ins.")));
    return;
  }
  const x = (c) => (procedure ? daysBetween(procedure.procedure_date, c.local_date) : daysBetween(checkins[0].local_date, c.local_date));
  const xLabel = procedure ? gettext("Days after your procedure") : gettext("Days");
  const pain = baselineOf(assessmentsR && assessmentsR.data, procedure && procedure.id, "pain");
  const tolerance = baselineOf(assessmentsR && assessmentsR.data, procedure && procedure.id, "tolerance");
  const latest = checkins[checkins.length - 1];
  // Drawn at the card's inner width (1 unit = 1 pixel), so the labels keep their size.
  const width = Math.min(ctx.main.clientWidth || 360, 720) - 40;

  const progress = progressR && progressR.data;
  const course = progress && progress.course;
  // Until the weeks when most people feel clearly better have passed, the charts run on to them: the road ahead.
  const lastDay = Math.max(...checkins.map(x));
  const xMax = procedure && course ? Math.max(lastDay, course.to_day) : undefined;
  const bands = procedure && course ? [{ from: course.from_day, to: course.to_day, className: "course" }] : [];
  const courseKey = bands.length ? [{ label: courseLabel(course), className: "band" }] : [];

  ctx.main.append(
    h("p", { class: "lead" }, interpolate(ngettext("%(count)s check-in, the latest on %(day)s.", "%(count)s check-ins, the latest on %(day)s.", checkins.length), { count: checkins.length, day: formatDay(latest.local_date) }, true)),
    inWords(progress),
  );

  const painChart = h(
    "section",
    { class: "card chart-card", "aria-labelledby": "chart-pain" },
    h("h2", { id: "chart-pain" }, gettext("Pain")),
    lineChart({
      title: gettext("Back and leg pain by day"),
      xMin: procedure ? 0 : undefined,
      xMax,
      bands,
      description: gettext("Pain from 0 (none) to 10 (worst). Dashed lines: your pain before the procedure.") + (bands.length ? gettext(" Shaded: weeks 6 to 8, when most people feel clearly better.") : ""),
      width,
      xLabel,
      yMin: 0,
      yMax: 10,
      series: [
        { label: gettext("Back pain"), className: "series-1", points: checkins.map((c) => ({ x: x(c), y: c.back_pain })) },
        { label: gettext("Leg pain"), className: "series-2", points: checkins.map((c) => ({ x: x(c), y: c.leg_pain })) },
      ],
      baselines: pain
        ? [
            { label: gettext("Back pain before"), y: pain.back_pain, className: "series-1" },
            { label: gettext("Leg pain before"), y: pain.leg_pain, className: "series-2" },
          ]
        : [],
    }),
    legend([
      { label: gettext("Back pain"), className: "series-1" },
      { label: gettext("Leg pain"), className: "series-2" },
      ...(pain ? [{ label: gettext("Before the procedure"), className: "baseline", dashed: true }] : []),
      ...courseKey,
    ]),
  );
  const walkChart = h(
    "section",
    { class: "card chart-card", "aria-labelledby": "chart-walking" },
    h("h2", { id: "chart-walking" }, gettext("Walking and standing")),
    lineChart({
      title: gettext("Minutes of walking and standing by day"),
      xMin: procedure ? 0 : undefined,
      xMax,
      bands,
      description: gettext("The longest walk and the longest time standing, in minutes. Dashed lines: before the procedure.") + (bands.length ? gettext(" Shaded: weeks 6 to 8, when most people feel clearly better.") : ""),
      width,
      xLabel,
      yMin: 0,
      series: [
        { label: gettext("Walking"), className: "series-1", points: checkins.map((c) => ({ x: x(c), y: c.walking_minutes })) },
        { label: gettext("Standing"), className: "series-2", points: checkins.map((c) => ({ x: x(c), y: c.standing_minutes })) },
      ],
      baselines: tolerance
        ? [
            { label: gettext("Walking before"), y: tolerance.walking_minutes, className: "series-1" },
            { label: gettext("Standing before"), y: tolerance.standing_minutes, className: "series-2" },
          ]
        : [],
    }),
    legend([
      { label: gettext("Walking (minutes)"), className: "series-1" },
      { label: gettext("Standing (minutes)"), className: "series-2" },
      ...(tolerance ? [{ label: gettext("Before the procedure"), className: "baseline", dashed: true }] : []),
      ...courseKey,
    ]),
  );
  ctx.main.append(
    painChart,
    walkChart,
    dataTable(
      gettext("Your check-ins"),
      [gettext("Day"), gettext("Back"), gettext("Leg"), gettext("Walking"), gettext("Standing")],
      [...checkins].reverse().map((c) => [formatDay(c.local_date, "short") + (c.unsent ? " *" : ""), c.back_pain, c.leg_pain, c.walking_minutes, c.standing_minutes]),
    ),
  );
}

// Progress: pain and walking over the days since the procedure, with the level before the procedure (the baseline)
// drawn across each chart. From the check-ins kept on the phone, so it opens offline too.

import { OfflineError } from "../api.js";
import { dataTable, legend, lineChart } from "../charts.js";
import { loadAssessments, loadCheckins, loadRecovery, staleNote } from "../data.js";
import { daysBetween, formatDay, h } from "../dom.js";
import { outboxItems } from "../sync.js";

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

function sentence(label, before, now, unit, lowerIsBetter) {
  if (now === null || now === undefined) return null;
  const nowText = `${now}${unit}`;
  if (before === null || before === undefined) return h("li", {}, `${label}: ${nowText} in your latest check-in.`);
  const better = lowerIsBetter ? now < before : now > before;
  const same = now === before;
  return h(
    "li",
    {},
    `${label}: ${before}${unit} before your procedure, ${nowText} in your latest check-in`,
    same ? "." : better ? h("strong", {}, " — better.") : ".",
  );
}

export async function render(ctx) {
  const [checkinsR, recoveryR, assessmentsR] = await Promise.all([
    loadCheckins().catch(offlineAsNull),
    loadRecovery().catch(offlineAsNull),
    loadAssessments().catch(offlineAsNull),
  ]);
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, "Your progress"));
  if (!checkinsR) {
    ctx.main.append(h("p", { class: "notice notice-info" }, "Connect to the internet once so the app can load your check-ins."));
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
    ctx.main.append(h("p", {}, "Your charts will appear here after your first check-ins."));
    return;
  }
  const x = (c) => (procedure ? daysBetween(procedure.procedure_date, c.local_date) : daysBetween(checkins[0].local_date, c.local_date));
  const xLabel = procedure ? "Days after your procedure" : "Days";
  const pain = baselineOf(assessmentsR && assessmentsR.data, procedure && procedure.id, "pain");
  const tolerance = baselineOf(assessmentsR && assessmentsR.data, procedure && procedure.id, "tolerance");
  const latest = checkins[checkins.length - 1];
  // Drawn at the card's inner width (1 unit = 1 pixel), so the labels keep their size.
  const width = Math.min(ctx.main.clientWidth || 360, 720) - 40;

  ctx.main.append(
    h("p", { class: "lead" }, `${checkins.length} check-ins, the latest on ${formatDay(latest.local_date)}.`),
    h(
      "ul",
      { class: "plain-list summary" },
      sentence("Back pain", pain && pain.back_pain, latest.back_pain, "", true),
      sentence("Leg pain", pain && pain.leg_pain, latest.leg_pain, "", true),
      sentence("Walking", tolerance && tolerance.walking_minutes, latest.walking_minutes, " minutes", false),
    ),
  );

  const painChart = h(
    "section",
    { class: "card chart-card", "aria-labelledby": "chart-pain" },
    h("h2", { id: "chart-pain" }, "Pain"),
    lineChart({
      title: "Back and leg pain by day",
      xMin: procedure ? 0 : undefined,
      description: "Pain from 0 (none) to 10 (worst). Dashed lines: your pain before the procedure.",
      width,
      xLabel,
      yMin: 0,
      yMax: 10,
      series: [
        { label: "Back pain", className: "series-1", points: checkins.map((c) => ({ x: x(c), y: c.back_pain })) },
        { label: "Leg pain", className: "series-2", points: checkins.map((c) => ({ x: x(c), y: c.leg_pain })) },
      ],
      baselines: pain
        ? [
            { label: "Back pain before", y: pain.back_pain, className: "series-1" },
            { label: "Leg pain before", y: pain.leg_pain, className: "series-2" },
          ]
        : [],
    }),
    legend([
      { label: "Back pain", className: "series-1" },
      { label: "Leg pain", className: "series-2" },
      ...(pain ? [{ label: "Before the procedure", className: "baseline", dashed: true }] : []),
    ]),
  );
  const walkChart = h(
    "section",
    { class: "card chart-card", "aria-labelledby": "chart-walking" },
    h("h2", { id: "chart-walking" }, "Walking and standing"),
    lineChart({
      title: "Minutes of walking and standing by day",
      xMin: procedure ? 0 : undefined,
      description: "The longest walk and the longest time standing, in minutes. Dashed lines: before the procedure.",
      width,
      xLabel,
      yMin: 0,
      series: [
        { label: "Walking", className: "series-1", points: checkins.map((c) => ({ x: x(c), y: c.walking_minutes })) },
        { label: "Standing", className: "series-2", points: checkins.map((c) => ({ x: x(c), y: c.standing_minutes })) },
      ],
      baselines: tolerance
        ? [
            { label: "Walking before", y: tolerance.walking_minutes, className: "series-1" },
            { label: "Standing before", y: tolerance.standing_minutes, className: "series-2" },
          ]
        : [],
    }),
    legend([
      { label: "Walking (minutes)", className: "series-1" },
      { label: "Standing (minutes)", className: "series-2" },
      ...(tolerance ? [{ label: "Before the procedure", className: "baseline", dashed: true }] : []),
    ]),
  );
  ctx.main.append(
    painChart,
    walkChart,
    dataTable(
      "Your check-ins",
      ["Day", "Back", "Leg", "Walking", "Standing"],
      [...checkins].reverse().map((c) => [formatDay(c.local_date, "short") + (c.unsent ? " *" : ""), c.back_pain, c.leg_pain, c.walking_minutes, c.standing_minutes]),
    ),
  );
}

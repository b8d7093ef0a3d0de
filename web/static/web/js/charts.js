// @ts-check
// Line charts drawn as SVG, sized in real pixels (the width of their container) so the labels stay readable.
// Every chart has a text title and description for screen readers, and a table of the same numbers beside it.

import { h, svg } from "./dom.js";
import { formatNumber, gettext } from "./i18n.js";

const MARGIN = { top: 16, right: 16, bottom: 44, left: 48 };

function niceStep(range, ticks) {
  const raw = range / Math.max(1, ticks);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

function segments(points) {
  // Days without a value break the line: a gap is shown as a gap, not bridged.
  const out = [];
  let current = [];
  for (const point of points) {
    if (point.y === null || point.y === undefined) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(point);
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * lineChart({title, description, width, height, xLabel, yLabel, yMin, yMax, xMin, xMax,
 *            series: [{label, points: [{x, y}], className, dashed, markers}],
 *            baselines: [{label, y, className}], bands: [{from, to, className}]})
 * A band shades the days from `from` to `to` (e.g. when most people feel clearly better), behind the lines.
 */
export function lineChart(options) {
  const width = Math.max(280, Math.round(options.width || 360));
  const height = options.height || Math.round(Math.min(320, Math.max(220, width * 0.6)));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const allPoints = options.series.flatMap((s) => s.points.filter((p) => p.y !== null && p.y !== undefined));
  const xs = options.series.flatMap((s) => s.points.map((p) => p.x));
  const xMin = options.xMin ?? (xs.length ? Math.min(...xs) : 0);
  const xMax = options.xMax ?? (xs.length ? Math.max(...xs) : 1);
  const ys = [...allPoints.map((p) => p.y), ...(options.baselines || []).map((b) => b.y)];
  const yMin = options.yMin ?? Math.min(0, ...ys);
  let yMax = options.yMax ?? Math.max(1, ...ys);
  const yStep = niceStep(yMax - yMin, 5);
  if (options.yMax === undefined) yMax = Math.ceil(yMax / yStep) * yStep;
  const sx = (x) => MARGIN.left + (xMax === xMin ? plotW / 2 : ((x - xMin) / (xMax - xMin)) * plotW);
  const sy = (y) => MARGIN.top + plotH - ((y - yMin) / (yMax - yMin || 1)) * plotH;

  const titleId = `chart-title-${Math.random().toString(36).slice(2)}`;
  const descId = `${titleId}-desc`;
  const root = svg("svg", {
    class: "chart",
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-labelledby": `${titleId} ${descId}`,
  });
  root.append(svg("title", { id: titleId }, options.title), svg("desc", { id: descId }, options.description || ""));

  const grid = svg("g", { class: "chart-grid", "aria-hidden": "true" });
  for (let y = yMin; y <= yMax + 1e-9; y += yStep) {
    grid.append(
      svg("line", { x1: MARGIN.left, x2: width - MARGIN.right, y1: sy(y), y2: sy(y) }),
      svg("text", { x: MARGIN.left - 8, y: sy(y) + 5, class: "chart-tick", "text-anchor": "end" }, formatTick(y)),
    );
  }
  const xStep = niceStep(xMax - xMin || 1, Math.max(2, Math.floor(plotW / 70)));
  for (let x = Math.ceil(xMin / xStep) * xStep; x <= xMax + 1e-9; x += xStep) {
    grid.append(
      svg("text", { x: sx(x), y: height - MARGIN.bottom + 22, class: "chart-tick", "text-anchor": "middle" }, formatTick(x)),
    );
  }
  grid.append(
    svg("text", { x: MARGIN.left + plotW / 2, y: height - 6, class: "chart-axis-label", "text-anchor": "middle" }, options.xLabel || ""),
  );
  root.append(grid);

  for (const band of options.bands || []) {
    const from = Math.max(xMin, band.from);
    const to = Math.min(xMax, band.to);
    if (to < from) continue;
    root.append(
      svg("rect", {
        class: `chart-band ${band.className || ""}`,
        x: sx(from),
        y: MARGIN.top,
        width: Math.max(2, sx(to) - sx(from)),
        height: plotH,
        "aria-hidden": "true",
      }),
    );
  }

  for (const baseline of options.baselines || []) {
    if (baseline.y === null || baseline.y === undefined) continue;
    root.append(
      svg("line", {
        class: `chart-baseline ${baseline.className || ""}`,
        x1: MARGIN.left,
        x2: width - MARGIN.right,
        y1: sy(baseline.y),
        y2: sy(baseline.y),
      }),
    );
  }

  for (const series of options.series) {
    const group = svg("g", { class: `chart-series ${series.className || ""}${series.dashed ? " is-dashed" : ""}` });
    for (const part of segments(series.points)) {
      if (part.length === 1 || series.markers) {
        for (const p of part) group.append(svg("circle", { cx: sx(p.x), cy: sy(p.y), r: 4 }));
      }
      if (part.length > 1) {
        group.append(svg("polyline", { points: part.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ") }));
      }
    }
    root.append(group);
  }
  return root;
}

function formatTick(value) {
  return formatNumber(value, { maximumFractionDigits: 1 });
}

/** The chart's key: a list naming each line with its colour and style. */
export function legend(items) {
  return h(
    "ul",
    { class: "legend" },
    items.map((item) =>
      h("li", {}, h("span", { class: `swatch ${item.className || ""}${item.dashed ? " is-dashed" : ""}`, "aria-hidden": "true" }), item.label),
    ),
  );
}

/** The numbers behind a chart, in a table inside a <details> (closed by default). */
export function dataTable(caption, columns, rows) {
  return h(
    "details",
    { class: "chart-data" },
    h("summary", {}, gettext("Show the numbers")),
    // A wide table scrolls inside its box on a phone: the box takes keyboard focus so it can be scrolled without a mouse.
    h(
      "div",
      { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
      h(
        "table",
        {},
        h("caption", { class: "visually-hidden" }, caption),
        h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, rows.map((row) => h("tr", {}, row.map((cell) => h("td", {}, cell === null || cell === undefined ? "-" : typeof cell === "number" ? formatNumber(cell, { maximumFractionDigits: 1 }) : String(cell)))))),
      ),
    ),
  );
}

/**
 * The points of one metric of a series answer (GET /patients/{id}/series), whichever its bucket: `days` gives one
 * point per day, `weeks` (long recoveries) one per week at the week's middle day with the week's mean. x is the day
 * after the procedure; points without a day (no procedure) are left out. A day or week without a value is a gap.
 * @param {{bucket?: string, days?: any[] | null, weeks?: any[] | null}} series
 * @param {string} metric
 * @returns {{x: number, y: number | null}[]}
 */
export function seriesPoints(series, metric) {
  if (series.bucket === "week" || (!series.days && series.weeks)) {
    return (series.weeks || [])
      .filter((w) => w.day !== null && w.day !== undefined)
      .map((w) => ({ x: w.day + (w.days - 1) / 2, y: w[metric] ? w[metric].mean : null }));
  }
  return (series.days || []).filter((d) => d.day !== null && d.day !== undefined).map((d) => ({ x: d.day, y: d[metric] }));
}

/**
 * The last day after the procedure the series covers (its "today"), or null without a procedure.
 * @param {{bucket?: string, days?: any[] | null, weeks?: any[] | null}} series
 * @returns {number | null}
 */
export function seriesLastDay(series) {
  const weeks = series.weeks || [];
  const days = series.days || [];
  if (weeks.length && !days.length) {
    const last = weeks[weeks.length - 1];
    return last.day === null || last.day === undefined ? null : last.day + last.days - 1;
  }
  const last = days[days.length - 1];
  return last && last.day !== null && last.day !== undefined ? last.day : null;
}

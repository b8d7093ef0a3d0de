// @ts-check
// How quickly the clinic acknowledges alerts: per tier, over the last 30 days, the median and 90th percentile of the
// time from an alert being raised to a clinician acknowledging it (GET /api/v1/clinician/alert-response).

import { api } from "../../api.js";
import { formatDateTime, h } from "../../dom.js";
import { formatNumber, gettext, interpolate, ngettext } from "../../i18n.js";
import { loadFailureShown, tierBadge } from "./shared.js";

/** Minutes as a person reads them: "45 min", "3 h 20 min", "2 days 4 h". */
export function duration(minutes) {
  if (minutes === null || minutes === undefined) return "–";
  const total = Math.round(minutes);
  const n = (value) => formatNumber(value);
  if (total < 60) return interpolate(gettext("%(minutes)s min"), { minutes: n(total) }, true);
  const hours = Math.floor(total / 60);
  if (hours < 24) {
    return total % 60
      ? interpolate(gettext("%(hours)s h %(minutes)s min"), { hours: n(hours), minutes: n(total % 60) }, true)
      : interpolate(gettext("%(hours)s h"), { hours: n(hours) }, true);
  }
  const days = Math.floor(hours / 24);
  return hours % 24
    ? interpolate(ngettext("%(days)s day %(hours)s h", "%(days)s days %(hours)s h", days), { days: n(days), hours: n(hours % 24) }, true)
    : interpolate(ngettext("%(days)s day", "%(days)s days", days), { days: n(days) }, true);
}

export async function alertResponse(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  ctx.main.append(h("h1", {}, gettext("Response times")));
  let body;
  try {
    body = await api.get("/api/v1/clinician/alert-response");
  } catch (error) {
    if (loadFailureShown(ctx, error, [403, 404])) return;
    throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(
    h(
      "p",
      { class: "lead" },
      interpolate(
        ngettext(
          "How long the clinic took to acknowledge alerts raised in the last %(days)s day (%(since)s to %(until)s). Alerts still waiting are counted apart, not in the times.",
          "How long the clinic took to acknowledge alerts raised in the last %(days)s days (%(since)s to %(until)s). Alerts still waiting are counted apart, not in the times.",
          body.window_days,
        ),
        { days: formatNumber(body.window_days), since: formatDateTime(body.since), until: formatDateTime(body.until) },
        true,
      ),
    ),
    h(
      "div",
      { class: "card table-scroll", tabindex: "0", role: "region", "aria-label": gettext("Time to acknowledge per tier") },
      h(
        "table",
        { class: "stat-table response-table" },
        h("caption", { class: "visually-hidden" }, interpolate(gettext("Time to acknowledge per tier, last %(days)s days"), { days: formatNumber(body.window_days) }, true)),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [gettext("Tier"), gettext("Raised"), gettext("Acknowledged"), gettext("Waiting"), gettext("Median"), gettext("90th percentile")].map((c) => h("th", { scope: "col" }, c)),
          ),
        ),
        h(
          "tbody",
          {},
          body.tiers.map((t) =>
            h(
              "tr",
              { dataset: { tier: t.tier } },
              h("th", { scope: "row" }, tierBadge(t.tier)),
              h("td", { class: "number" }, formatNumber(t.raised)),
              h("td", { class: "number" }, formatNumber(t.acknowledged)),
              h("td", { class: ["number", t.waiting ? "warn" : ""] }, formatNumber(t.waiting)),
              h("td", { class: "number" }, duration(t.median_minutes)),
              h("td", { class: "number" }, duration(t.p90_minutes)),
            ),
          ),
        ),
      ),
    ),
    h(
      "p",
      { class: "hint" },
      gettext(
        "Emergency and urgent alerts go to the primary clinician at once and to the rest of the care team and the clinic admins when not acknowledged in time (30 minutes emergency, 4 hours urgent). Watch alerts come in the morning digest.",
      ),
    ),
  );
}

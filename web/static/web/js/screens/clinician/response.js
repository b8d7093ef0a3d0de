// @ts-check
// How quickly the clinic acknowledges alerts: per tier, over the last 30 days, the median and 90th percentile of the
// time from an alert being raised to a clinician acknowledging it (GET /api/v1/clinician/alert-response).

import { ApiError, OfflineError, api } from "../../api.js";
import { formatDateTime, h } from "../../dom.js";
import { offlineNotice, tierBadge } from "./shared.js";

/** Minutes as a person reads them: "45 min", "3 h 20 min", "2 days 4 h". */
export function duration(minutes) {
  if (minutes === null || minutes === undefined) return "–";
  const total = Math.round(minutes);
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  if (hours < 24) return total % 60 ? `${hours} h ${total % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? "day" : "days"}${hours % 24 ? ` ${hours % 24} h` : ""}`;
}

export async function alertResponse(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  ctx.main.append(h("h1", {}, "Response times"));
  let body;
  try {
    body = await api.get("/api/v1/clinician/alert-response");
  } catch (error) {
    if (error instanceof OfflineError) return offlineNotice(ctx);
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
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
      `How long the clinic took to acknowledge alerts raised in the last ${body.window_days} days (${formatDateTime(body.since)} to ${formatDateTime(body.until)}). Alerts still waiting are counted apart, not in the times.`,
    ),
    h(
      "div",
      { class: "card table-scroll", tabindex: "0", role: "region", "aria-label": "Time to acknowledge per tier" },
      h(
        "table",
        { class: "stat-table response-table" },
        h("caption", { class: "visually-hidden" }, "Time to acknowledge per tier, last 30 days"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Tier", "Raised", "Acknowledged", "Waiting", "Median", "90th percentile"].map((c) => h("th", { scope: "col" }, c)),
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
              h("td", { class: "number" }, String(t.raised)),
              h("td", { class: "number" }, String(t.acknowledged)),
              h("td", { class: ["number", t.waiting ? "warn" : ""] }, String(t.waiting)),
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
      "Emergency and urgent alerts go to the primary clinician at once and to the rest of the care team and the clinic admins when not acknowledged in time (30 minutes emergency, 4 hours urgent). Watch alerts come in the morning digest.",
    ),
  );
}

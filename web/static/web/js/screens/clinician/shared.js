// @ts-check
// What the clinician screens share: alert tiers and states, the offline notice, number formats, folding filters.

import { h } from "../../dom.js";

export const TIERS = ["emergency", "urgent", "watch"];
export const TIER_LABEL = { emergency: "Emergency", urgent: "Urgent", watch: "Watch" };
export const SCREENING_LABEL = {
  none: "Not screened",
  candidate: "Candidate",
  needs_review: "Needs review",
  not_candidate: "Not a candidate",
  override: "Done by override",
};
export const STATE_LABEL = { open: "Open", acknowledged: "Acknowledged", resolved: "Resolved" };

export function offlineNotice(ctx) {
  ctx.main.append(h("p", { class: "notice notice-info" }, "You are offline. Connect to the internet to see patients' data."));
}

export function tierBadge(tier, count) {
  return h("span", { class: `badge badge-${tier}` }, count !== undefined ? `${count} ${TIER_LABEL[tier].toLowerCase()}` : TIER_LABEL[tier]);
}

export function num(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** Filters fold away on a phone (unless some are in use), and stay open on a tablet or desktop. */
export function collapsible(title, content, inUse) {
  return h("details", { class: "filters-box", open: inUse || window.matchMedia("(min-width: 48rem)").matches }, h("summary", {}, title), content);
}

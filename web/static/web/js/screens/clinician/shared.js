// @ts-check
// What the clinician screens share: alert tiers and states, the offline notice, number formats, folding filters.
// Every text is marked for the catalog (gettext_noop where a table is built before a language loads, translated where
// it is shown), and numbers go through Intl, so another language for the clinician screens is only a catalog.

import { ApiError, OfflineError } from "../../api.js";
import { h } from "../../dom.js";
import { formatNumber, gettext, gettext_noop, interpolate, ngettext } from "../../i18n.js";

export const TIERS = ["emergency", "urgent", "watch"];
const TIER_NAMES = { emergency: gettext_noop("Emergency"), urgent: gettext_noop("Urgent"), watch: gettext_noop("Watch") };
const SCREENING_NAMES = {
  none: gettext_noop("Not screened"),
  candidate: gettext_noop("Candidate"),
  needs_review: gettext_noop("Needs review"),
  not_candidate: gettext_noop("Not a candidate"),
  override: gettext_noop("Done by override"),
};
const STATE_NAMES = { open: gettext_noop("Open"), acknowledged: gettext_noop("Acknowledged"), resolved: gettext_noop("Resolved") };

/** A label of one of the tables above in the active language; an unknown key is shown as it is. */
function labelled(names, key) {
  return names[key] ? gettext(names[key]) : key;
}

/** "Emergency", "Urgent", "Watch". */
export const tierLabel = (tier) => labelled(TIER_NAMES, tier);
/** A screening's status or outcome: "Candidate", "Needs review"... */
export const screeningLabel = (status) => labelled(SCREENING_NAMES, status);
/** An alert's state: "Open", "Acknowledged", "Resolved". */
export const stateLabel = (state) => labelled(STATE_NAMES, state);

export function offlineNotice(ctx) {
  ctx.main.append(h("p", { class: "notice notice-info" }, gettext("You are offline. Connect to the internet to see patients' data.")));
}

/**
 * Say why a screen's data did not load: the offline notice, or the server's own message for an answer whose status is
 * one of `statuses`. False for any other error, which the screen rethrows.
 * @param {any} ctx
 * @param {unknown} error
 * @param {number[]} statuses
 */
export function loadFailureShown(ctx, error, statuses) {
  if (error instanceof OfflineError) {
    offlineNotice(ctx);
    return true;
  }
  if (error instanceof ApiError && statuses.includes(error.status)) {
    ctx.main.append(h("p", { class: "notice notice-error" }, error.message));
    return true;
  }
  return false;
}

/** How many alerts of a tier are open: "2 urgent" (a whole phrase per tier, so each language can agree it). */
function tierCount(tier, count) {
  const forms = {
    emergency: ngettext("%(count)s emergency", "%(count)s emergency", count),
    urgent: ngettext("%(count)s urgent", "%(count)s urgent", count),
    watch: ngettext("%(count)s watch", "%(count)s watch", count),
  };
  return interpolate(forms[tier] || `%(count)s ${tier}`, { count: formatNumber(count) }, true);
}

export function tierBadge(tier, count) {
  return h("span", { class: `badge badge-${tier}` }, count !== undefined ? tierCount(tier, count) : tierLabel(tier));
}

/** A number as the screens show it: whole numbers as they are, others with `digits` decimals, in the active language. */
export function num(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  if (Number.isInteger(value)) return formatNumber(value, { useGrouping: false });
  return formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
}

/** A share (0-1) as a whole percentage: "42%". */
export function percent(value) {
  return value === null || value === undefined ? "–" : formatNumber(value, { style: "percent", maximumFractionDigits: 0 });
}

/** A score that is itself a percentage (ODI, 0-100) with its sign: "54%", "42.5%". */
export function pct(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  const places = Number.isInteger(value) ? 0 : digits;
  return formatNumber(value / 100, { style: "percent", minimumFractionDigits: places, maximumFractionDigits: places, useGrouping: false });
}

/** Filters fold away on a phone (unless some are in use), and stay open on a tablet or desktop. */
export function collapsible(title, content, inUse) {
  return h("details", { class: "filters-box", open: inUse || window.matchMedia("(min-width: 48rem)").matches }, h("summary", {}, title), content);
}

// @ts-check
// The clinic's clinical content, version by version: the recovery protocol, the preparation checklist and the
// education library. Each version says when it was saved, by whom, which version it came from and why (its change
// note), and which one is in use now. Read from GET /api/v1/protocols, /preparation-checklists and
// /education-libraries (clinic staff); a clinic admin makes new versions through those endpoints' copy and revisions.

import { api } from "../../api.js";
import { formatInstantDayWithYear, h } from "../../dom.js";
import { formatNumber, gettext, interpolate, ngettext } from "../../i18n.js";
import { loadFailureShown } from "./shared.js";

/**
 * @typedef {{ id: string, clinic: string | null, name: string, version: number, based_on: string | null,
 *   change_note: string, created_at: string, created_by: { id: string, full_name: string } | null }} Version
 */

/** The version in use: the clinic's newest own version, or the shipped default's newest while it has none. */
export function inUse(/** @type {Version[]} */ versions) {
  const own = versions.filter((v) => v.clinic !== null);
  const pool = own.length ? own : versions;
  return pool.reduce((best, v) => (best === null || v.version > best.version ? v : best), /** @type {Version | null} */ (null));
}

function versionLabel(/** @type {Version} */ version) {
  return version.clinic === null
    ? interpolate(gettext("Shipped version %(number)s"), { number: formatNumber(version.version) }, true)
    : interpolate(gettext("Version %(number)s"), { number: formatNumber(version.version) }, true);
}

function basedOn(/** @type {Version} */ version, /** @type {Map<string, Version>} */ byId) {
  if (!version.based_on) return "–";
  const source = byId.get(version.based_on);
  return source ? versionLabel(source) : gettext("An earlier version");
}

/**
 * @param {string} id
 * @param {string} title
 * @param {string} tableLabel
 * @param {string} explained
 * @param {Version[]} versions
 * @param {(version: any) => string} size
 */
function contentSection(id, title, tableLabel, explained, versions, size) {
  const byId = new Map(versions.map((v) => [v.id, v]));
  const current = inUse(versions);
  const newestFirst = [...versions].sort((a, b) => Number(a.clinic === null) - Number(b.clinic === null) || b.version - a.version);
  return h(
    "section",
    { "aria-labelledby": id, class: "content-versions", dataset: { content: id } },
    h("h2", { id }, title),
    h("p", { class: "hint" }, explained),
    h(
      "div",
      { class: "card table-scroll", tabindex: "0", role: "region", "aria-label": tableLabel },
      h(
        "table",
        { class: "stat-table content-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [gettext("Version"), gettext("Name"), gettext("Contents"), gettext("Saved"), gettext("Saved by"), gettext("Copied or revised from"), gettext("Change note")].map((c) =>
              h("th", { scope: "col" }, c),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          newestFirst.map((v) =>
            h(
              "tr",
              { dataset: { version: v.id } },
              h("th", { scope: "row" }, versionLabel(v), v === current ? h("span", { class: "badge badge-new" }, gettext("In use")) : null),
              h("td", {}, v.name),
              h("td", {}, size(v)),
              h("td", {}, formatInstantDayWithYear(v.created_at)),
              h("td", {}, v.created_by ? v.created_by.full_name : gettext("Shipped with the app")),
              h("td", {}, basedOn(v, byId)),
              h("td", { class: "change-note" }, v.change_note || "–"),
            ),
          ),
        ),
      ),
    ),
  );
}

export async function clinicalContent(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  ctx.main.append(h("h1", {}, gettext("Clinical content")));
  let protocols, checklists, libraries;
  try {
    [protocols, checklists, libraries] = await Promise.all([
      api.get("/api/v1/protocols"),
      api.get("/api/v1/preparation-checklists"),
      api.get("/api/v1/education-libraries"),
    ]);
  } catch (error) {
    if (loadFailureShown(ctx, error, [403, 404])) return;
    throw error;
  }
  if (!ctx.isCurrent()) return;
  const counted = (/** @type {string} */ phrase, /** @type {number} */ n) => interpolate(phrase, { count: formatNumber(n) }, true);
  ctx.main.append(
    h(
      "p",
      { class: "lead" },
      gettext("Every version of what your patients are given. A change is always a new version: the old ones stay as they were."),
    ),
    contentSection(
      "content-protocol",
      gettext("Recovery protocol"),
      gettext("Every version of the recovery protocol"),
      gettext("A new procedure follows the version in use; a procedure keeps the version it started on."),
      protocols,
      (v) =>
        `${counted(ngettext("%(count)s phase", "%(count)s phases", v.phases.length), v.phases.length)}, ` +
        counted(ngettext("%(count)s milestone", "%(count)s milestones", v.milestones.length), v.milestones.length),
    ),
    contentSection(
      "content-checklist",
      gettext("Preparation checklist"),
      gettext("Every version of the preparation checklist"),
      gettext("Procedures whose preparation has not begun follow the version in use; the others keep theirs."),
      checklists,
      (v) => counted(ngettext("%(count)s item", "%(count)s items", v.items.length), v.items.length),
    ),
    contentSection(
      "content-library",
      gettext("Education library"),
      gettext("Every version of the education library"),
      gettext("Patients are offered the version in use. An article they read keeps counting as read while its text is unchanged."),
      libraries,
      (v) => counted(ngettext("%(count)s article", "%(count)s articles", v.articles.length), v.articles.length),
    ),
  );
}

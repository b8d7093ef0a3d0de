// @ts-check
// The clinician's roster (tablet and desktop first): every patient of their care teams with alert badges, filters
// and sorting. The phases of the phase filter are the clinic's protocol's, from /api/v1/recovery/forms.

import { OfflineError, getAll } from "../../api.js";
import { loadForms, staleNote } from "../../data.js";
import { formatDay, h, uid } from "../../dom.js";
import { field, input } from "../../forms.js";
import { load } from "../../store.js";
import { formatNumber, gettext, gettext_noop, interpolate, ngettext } from "../../i18n.js";
import { TIERS, collapsible, loadFailureShown, num, pct, percent, screeningLabel, tierBadge, tierLabel } from "./shared.js";

const RISK_LABEL = { diabetes: gettext_noop("Diabetes"), heart_disease: gettext_noop("Heart disease"), previous_spinal_surgery: gettext_noop("Previous spinal surgery") };

function alertBadges(open) {
  const badges = TIERS.filter((tier) => open[tier] > 0).map((tier) => tierBadge(tier, open[tier]));
  return badges.length ? h("span", { class: "badges" }, badges) : h("span", { class: "muted" }, gettext("None"));
}

function signed(value) {
  if (value === null || value === undefined) return "–";
  return `${value > 0 ? "+" : value < 0 ? "−" : ""}${num(Math.abs(value))}`;
}

/** Back and leg pain in one layout: the 7-day mean large, then the latest and the baseline (NPRS 0-10). */
function painCell(pain) {
  return [
    h("span", { class: "pain-mean" }, pain.mean_7d === null ? "–" : interpolate(gettext("%(score)s/10"), { score: num(pain.mean_7d) }, true)),
    h("span", { class: "muted block" }, interpolate(gettext("latest %(latest)s · before %(baseline)s"), { latest: num(pain.latest), baseline: num(pain.baseline) }, true)),
  ];
}

/** ODI change in percentage points with where it went from and to: "−12.0 points (54% to 42%)"; lower is better. */
function odiCell(odi) {
  if (odi.change_from_baseline === null) return odi.baseline === null ? "–" : interpolate(gettext("Baseline %(odi)s"), { odi: pct(odi.baseline) }, true);
  return [
    h("span", {}, interpolate(ngettext("%(change)s point", "%(change)s points", Math.abs(odi.change_from_baseline)), { change: signed(odi.change_from_baseline) }, true)),
    h("span", { class: "muted block" }, interpolate(gettext("%(before)s to %(after)s"), { before: pct(odi.baseline), after: pct(odi.latest) }, true)),
  ];
}

/** Days without a check-in: a warning only while daily check-ins are asked for (up to day 90 after the procedure). */
function silenceCell(p) {
  if (!p.last_checkin_on) return { warn: p.daily_checkins_expected, content: gettext("Never") };
  const warn = p.daily_checkins_expected && p.days_without_checkin >= 3;
  const n = p.days_without_checkin;
  const days = n === 0 ? gettext("Today") : interpolate(ngettext("%(count)s day ago", "%(count)s days ago", n), { count: formatNumber(n) }, true);
  return {
    warn,
    content: [days, p.daily_checkins_expected ? null : h("span", { class: "muted block" }, gettext("No daily check-ins after day 90"))],
  };
}

/** "1 patient", "12 patients". */
function patientCount(count) {
  return interpolate(ngettext("%(count)s patient", "%(count)s patients", count), { count: formatNumber(count) }, true);
}

const SORTS = {
  triage: { label: gettext_noop("Needs attention"), key: null },
  name: { label: gettext_noop("Name"), key: (p) => p.full_name.toLowerCase() },
  day: { label: gettext_noop("Day"), key: (p) => (p.day === null ? -1 : p.day) },
  silence: { label: gettext_noop("Last check-in"), key: (p) => p.days_without_checkin },
  pain: { label: gettext_noop("Leg pain (7-day mean)"), key: (p) => (p.leg_pain.mean_7d === null ? -1 : p.leg_pain.mean_7d) },
};

/** @param {{key: string, title: string}[]} phases the protocol's phases, for the phase filter */
function rosterFilters(ctx, phases) {
  const q = ctx.query;
  const search = input({ type: "search", name: "search", value: q.get("search") || "" });
  const tier = h(
    "select",
    { class: "input", name: "alert_tier" },
    h("option", { value: "" }, gettext("Any")),
    TIERS.map((t) => h("option", { value: t, selected: q.get("alert_tier") === t }, interpolate(gettext("%(tier)s alerts open"), { tier: tierLabel(t) }, true))),
  );
  const phase = h(
    "select",
    { class: "input", name: "phase" },
    h("option", { value: "" }, gettext("Any")),
    phases.map(({ key, title }) => h("option", { value: key, selected: q.get("phase") === key }, title)),
  );
  const silence = h(
    "select",
    { class: "input", name: "no_checkin_days" },
    h("option", { value: "" }, gettext("Any")),
    [2, 3, 7, 14].map((n) => h("option", { value: String(n), selected: q.get("no_checkin_days") === String(n) }, interpolate(gettext("%(count)s+ days"), { count: formatNumber(n) }, true))),
  );
  const overdueId = uid("overdue");
  const overdue = h(
    "label",
    { class: "choice", for: overdueId },
    h("input", { type: "checkbox", id: overdueId, name: "overdue_milestone", value: "true", checked: q.get("overdue_milestone") === "true" }),
    h("span", {}, gettext("Overdue progress check")),
  );
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": gettext("Filter patients") },
    field(gettext("Name"), search, { name: "search" }),
    field(gettext("Alerts"), tier, { name: "alert_tier" }),
    field(gettext("Phase"), phase, { name: "phase" }),
    field(gettext("No check-in for"), silence, { name: "no_checkin_days" }),
    h("div", { class: "field-check" }, overdue),
    h(
      "div",
      { class: "filter-actions" },
      h("button", { type: "submit", class: "button button-primary" }, gettext("Filter")),
      h("a", { class: "button", href: "/app/clinician/patients" }, gettext("Clear")),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (value) params.set(key, String(value));
    if (q.get("sort")) params.set("sort", q.get("sort"));
    ctx.navigate(`/app/clinician/patients${params.toString() ? `?${params}` : ""}`);
  });
  return collapsible(gettext("Filter and search"), form, [...q.keys()].some((k) => k !== "sort" && k !== "dir"));
}


export async function roster(ctx) {
  ctx.main.classList.add("wide");
  ctx.onLeave(() => ctx.main.classList.remove("wide"));
  ctx.main.append(h("h1", {}, gettext("Patients")));
  const params = new URLSearchParams();
  for (const key of ["search", "alert_tier", "phase", "no_checkin_days", "overdue_milestone"]) {
    if (ctx.query.get(key)) params.set(key, ctx.query.get(key));
  }
  // The last roster seen (per filter) stays readable offline, marked with the time it was loaded.
  const loadingPatients = load(`clinician-roster?${params}`, () => getAll(`/api/v1/clinician/patients${params.toString() ? `?${params}` : ""}`, 1000));
  loadingPatients.catch(() => null); // its failure is handled below, after the filters are drawn
  // The phases of the filter are the clinic's protocol's (remembered, so the filters draw offline too).
  let phases = [];
  try {
    phases = (await loadForms()).data.phases || [];
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(rosterFilters(ctx, phases));
  let loaded;
  try {
    loaded = await loadingPatients;
  } catch (error) {
    if (loadFailureShown(ctx, error, [400])) return;
    throw error;
  }
  if (!ctx.isCurrent()) return;
  /** @type {any[]} */
  const patients = loaded.data;
  const sortName = SORTS[ctx.query.get("sort")] ? ctx.query.get("sort") : "triage";
  const direction = ctx.query.get("dir") === "desc" ? -1 : 1;
  const sorted = [...patients];
  if (SORTS[sortName].key) {
    const key = SORTS[sortName].key;
    sorted.sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0));
  }
  const sortLink = (name) => {
    const next = new URLSearchParams(ctx.query);
    const same = sortName === name;
    next.set("sort", name);
    next.set("dir", same && direction === 1 && name !== "triage" ? "desc" : "asc");
    return h("a", { href: `/app/clinician/patients?${next}`, class: "sort-link" }, gettext(SORTS[name].label));
  };
  const ariaSort = (name) => (sortName === name ? (direction === 1 ? "ascending" : "descending") : undefined);
  const alertCount = patients.reduce((n, p) => n + p.open_alerts.emergency + p.open_alerts.urgent, 0);
  ctx.main.append(
    staleNote(loaded),
    h(
      "p",
      { class: "lead", role: "status" },
      alertCount
        ? interpolate(
            ngettext("%(patients)s, %(count)s with emergency or urgent alerts open.", "%(patients)s, %(count)s with emergency or urgent alerts open.", alertCount),
            { patients: patientCount(patients.length), count: formatNumber(alertCount) },
            true,
          )
        : interpolate(gettext("%(patients)s."), { patients: patientCount(patients.length) }, true),
    ),
    h("p", { class: "hint" }, gettext("Sorted by who needs attention first (emergency, urgent, then watch alerts, then days without a check-in). Choose a column to sort by it; \"More\" shows the rest of a row.")),
  );
  if (!patients.length) {
    ctx.main.append(h("p", {}, gettext("No patients match.")));
    return;
  }
  // Priority columns always; the rest ("col-more") as columns on a wide screen, else in a detail row under each
  // patient (the "More" button). On a phone each patient is a card.
  const more = (label) => ({ class: "col-more", dataset: { label } });
  const table = h(
    "table",
    { class: "roster" },
    h("caption", { class: "visually-hidden" }, gettext("Your patients")),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col", "aria-sort": ariaSort("name") }, sortLink("name")),
        h("th", { scope: "col", "aria-sort": ariaSort("triage") }, sortLink("triage")),
        h("th", { scope: "col", "aria-sort": ariaSort("day") }, sortLink("day")),
        h("th", { scope: "col", "aria-sort": ariaSort("silence") }, sortLink("silence")),
        h("th", { scope: "col", "aria-sort": ariaSort("pain") }, sortLink("pain")),
        h("th", { scope: "col", class: "col-more" }, gettext("Back pain (7-day mean)")),
        h("th", { scope: "col", class: "col-more" }, gettext("ODI change")),
        h("th", { scope: "col", class: "col-more" }, gettext("Check-ins (14 days)")),
        h("th", { scope: "col", class: "col-more" }, gettext("Exercise this week")),
        h("th", { scope: "col", class: "col-more" }, gettext("Next progress check")),
        h("th", { scope: "col", class: "col-more" }, gettext("Screening")),
        h("th", { scope: "col", class: "col-more" }, gettext("Before the procedure")),
        h("th", { scope: "col", class: "col-toggle" }, h("span", { class: "visually-hidden" }, gettext("More"))),
      ),
    ),
    sorted.map((p) => {
      const silence = silenceCell(p);
      const detailsId = uid("more");
      // Built twice (a node lives in one place): the wide screen's columns and the row's detail.
      /** @returns {[string, any][]} */
      const secondary = () => [
        [gettext("Back pain (7-day mean)"), painCell(p.back_pain)],
        [gettext("ODI change"), odiCell(p.odi)],
        [gettext("Check-ins (14 days)"), percent(p.checkin_adherence_14d.adherence)],
        [gettext("Exercise this week"), p.exercise_adherence_week ? percent(p.exercise_adherence_week.adherence) : "–"],
        [gettext("Next progress check"), p.milestone ? [p.milestone.title, h("span", { class: `muted block status-${p.milestone.status}` }, milestoneState(p.milestone))] : "–"],
        [gettext("Screening"), screeningCell(p.screening)],
        [gettext("Before the procedure"), preparationCell(p.preparation)],
      ];
      const detail = h(
        "tr",
        { class: "row-detail", id: detailsId, hidden: true },
        h("td", { colspan: 13 }, h("dl", { class: "row-detail-list" }, secondary().map(([label, value]) => h("div", {}, h("dt", {}, label), h("dd", {}, value))))),
      );
      const toggle = h("button", { type: "button", class: "button button-small", "aria-expanded": "false", "aria-controls": detailsId }, gettext("More"), h("span", { class: "visually-hidden" }, interpolate(gettext(" about %(name)s"), { name: p.full_name }, true)));
      toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        detail.hidden = !open;
      });
      return h(
        "tbody",
        { dataset: { patient: p.id } },
        h(
          "tr",
          { class: p.open_alerts.emergency ? "row-emergency" : p.open_alerts.urgent ? "row-urgent" : null },
          h(
            "th",
            { scope: "row" },
            h("a", { href: `/app/clinician/patients/${p.id}` }, p.full_name),
            h(
              "span",
              { class: "muted block" },
              interpolate(ngettext("%(count)s year", "%(count)s years", p.age), { count: formatNumber(p.age) }, true),
              p.risk_factors.length ? ` · ${p.risk_factors.map((r) => (RISK_LABEL[r] ? gettext(RISK_LABEL[r]) : r)).join(", ")}` : "",
            ),
          ),
          h("td", { dataset: { label: gettext("Alerts") } }, alertBadges(p.open_alerts)),
          h("td", { dataset: { label: gettext("Day") } }, p.day === null ? gettext("No procedure yet") : interpolate(gettext("Day %(day)s"), { day: formatNumber(p.day) }, true), p.phase ? h("span", { class: "muted block" }, p.phase.title) : null),
          h("td", { class: silence.warn ? "warn" : null, dataset: { label: gettext("Last check-in") } }, silence.content),
          h("td", { dataset: { label: gettext("Leg pain (7-day mean)") } }, painCell(p.leg_pain)),
          secondary().map(([label, value]) => h("td", more(label), value)),
          h("td", { class: "col-toggle" }, toggle),
        ),
        detail,
      );
    }),
  );
  ctx.main.append(table);
}

/** The latest screening of the patient's latest procedure episode, flagged when it does not allow the procedure. */
function screeningCell(screening) {
  if (!screening) return gettext("No procedure");
  const label = screeningLabel(screening.status);
  const flagged = screening.procedure_status === "scheduled" && screening.status !== "candidate";
  return flagged ? h("span", { class: "flag-text" }, label) : label;
}

/** Before a scheduled procedure: checklist items not done, and a missing baseline flagged. */
function preparationCell(preparation) {
  if (!preparation) return "–";
  return [
    interpolate(
      ngettext("%(open)s of %(total)s checklist items not done", "%(open)s of %(total)s checklist items not done", preparation.items_total),
      { open: formatNumber(preparation.items_open), total: formatNumber(preparation.items_total) },
      true,
    ),
    preparation.baseline_missing ? h("span", { class: "block flag-text" }, gettext("Baseline missing")) : h("span", { class: "muted block" }, gettext("Baseline done")),
  ];
}

function milestoneState(milestone) {
  if (milestone.status === "overdue") return interpolate(gettext("Overdue since %(date)s"), { date: formatDay(milestone.closes_on, "short") }, true);
  if (milestone.status === "open") return interpolate(gettext("Open until %(date)s"), { date: formatDay(milestone.closes_on, "short") }, true);
  return interpolate(gettext("Opens %(date)s"), { date: formatDay(milestone.opens_on, "short") }, true);
}

// @ts-check
// Today: day N after the procedure, what to do and avoid in this phase, today's check-in, exercises and the next
// check-up. Opens offline from the last copy on the phone.

import { OfflineError } from "../api.js";
import { loadExercisesToday, loadRecovery, patientToday, patientZone, staleNote } from "../data.js";
import { formatDay, formatDayWithYear, h } from "../dom.js";
import { whatToDoCard } from "../redflags.js";
import { session } from "../session.js";
import { onOutboxChange, outboxItems } from "../sync.js";
import { preparationCard } from "./prepare.js";
import { gettext, interpolate } from "../i18n.js";

function firstName() {
  const name = (session.me && session.me.full_name) || "";
  return name.split(" ")[0];
}

function greeting() {
  const hour = new Date().getHours();
  return hour < 12 ? gettext("Good morning") : hour < 18 ? gettext("Good afternoon") : gettext("Good evening");
}

function checkinCard(recovery, today, pending) {
  const queued = pending.find((item) => item.kind === "checkin" && item.body.local_date === today);
  const done = recovery && recovery.today === today && recovery.checkin_today.done;
  let status;
  let action;
  if (queued) {
    status = h("p", { class: "status status-saved" }, h("strong", {}, gettext("Saved on this phone")), gettext(" — will send when you're online."));
    action = h("a", { class: "button", href: `/app/checkin?date=${today}` }, gettext("Change today's check-in"));
  } else if (done) {
    status = h("p", { class: "status status-done" }, gettext("Done for today. Thank you!"));
    action = h("a", { class: "button", href: `/app/checkin?date=${today}` }, gettext("See or change it"));
  } else {
    status = h("p", { class: "status" }, gettext("Not done yet. It takes about 2 minutes."));
    action = h("a", { class: "button button-primary button-wide", href: "/app/checkin" }, gettext("Start today's check-in"));
  }
  return h("section", { class: "card", "aria-labelledby": "card-checkin" }, h("h2", { id: "card-checkin" }, gettext("Daily check-in")), status, action);
}

function sessionsByTime(sessions) {
  const groups = new Map();
  for (const s of sessions) groups.set(s.local_time, [...(groups.get(s.local_time) || []), s.exercise.name]);
  return [...groups.entries()];
}

function exercisesCard(exercises, today, pending) {
  const sessions = exercises && exercises.today === today ? exercises.sessions : [];
  const card = h("section", { class: "card", "aria-labelledby": "card-exercises" }, h("h2", { id: "card-exercises" }, gettext("Exercises")));
  if (exercises && exercises.today === today && exercises.paused) {
    card.append(h("p", {}, exercises.paused.reason));
    return card;
  }
  if (!sessions.length) {
    card.append(h("p", {}, exercises ? gettext("No exercises today. Rest and keep gently moving.") : gettext("Your exercises will show here.")));
    return card;
  }
  const recorded = sessions.filter(
    (s) => s.state !== "not_recorded" || pending.some((item) => item.kind === "exercise" && item.sessionKey === s.key),
  ).length;
  card.append(
    h("p", { class: "big-number" }, interpolate(gettext("%(done)s of %(total)s"), { done: recorded, total: sessions.length }, true), h("span", {}, gettext(" recorded today"))),
    h("ul", { class: "plain-list" }, sessionsByTime(sessions).map(([time, names]) => h("li", {}, h("strong", {}, time), ` ${names.join(", ")}`))),
    h("a", { class: "button", href: "/app/exercises" }, recorded < sessions.length ? gettext("Do today's exercises") : gettext("See today's exercises")),
  );
  return card;
}

function milestoneCard(recovery) {
  const milestone = recovery && recovery.next_milestone;
  if (!milestone) return null;
  const open = milestone.status === "open" || milestone.status === "overdue";
  return h(
    "section",
    { class: ["card", open ? "card-highlight" : null], "aria-labelledby": "card-milestone" },
    h("h2", { id: "card-milestone" }, open ? gettext("Your progress check is ready") : gettext("Next progress check")),
    h("p", {}, milestone.title),
    open
      ? [
          h("p", {}, interpolate(gettext("Please fill it in by %(day)s."), { day: formatDay(milestone.closes_on) }, true)),
          h("a", { class: "button button-primary button-wide", href: "/app/assessments" }, gettext("Fill it in now")),
        ]
      : h("p", {}, interpolate(gettext("Opens on %(day)s."), { day: formatDayWithYear(milestone.opens_on) }, true)),
  );
}

function phaseCard(recovery) {
  const phase = recovery && recovery.phase;
  if (!phase) return null;
  return h(
    "section",
    { class: "card", "aria-labelledby": "card-phase" },
    h("h2", { id: "card-phase" }, phase.title),
    h("p", {}, phase.summary),
    h("details", { open: true }, h("summary", {}, gettext("What to do")), h("ul", { class: "tick-list" }, phase.instructions.map((t) => h("li", {}, t)))),
    h("details", {}, h("summary", {}, gettext("What to avoid")), h("ul", { class: "cross-list" }, phase.avoid.map((t) => h("li", {}, t)))),
  );
}

export async function render(ctx) {
  const today = patientToday();
  const [recoveryResult, exercisesResult, preparation] = await Promise.all([
    loadRecovery().catch((e) => (e instanceof OfflineError ? null : Promise.reject(e))),
    loadExercisesToday().catch((e) => (e instanceof OfflineError ? null : Promise.reject(e))),
    preparationCard(ctx),
  ]);
  if (!ctx.isCurrent()) return;
  const recovery = recoveryResult && recoveryResult.data;
  const exercises = exercisesResult && exercisesResult.data;
  const pending = (await outboxItems()).filter((item) => item.state === "pending");

  const dayLine =
    recovery && recovery.day !== null && recovery.day !== undefined && recovery.today === today
      ? recovery.day === 0
        ? gettext("Today is the day of your procedure.")
        : interpolate(gettext("Day %(day)s after your procedure"), { day: recovery.day }, true)
      : recovery && recovery.upcoming_procedure
        ? interpolate(gettext("Your procedure is on %(day)s."), { day: formatDayWithYear(recovery.upcoming_procedure.procedure_date) }, true)
        : null;

  const cards = h("div", { class: "cards" });
  const draw = (items) => {
    cards.replaceChildren(
      ...[checkinCard(recovery, today, items), exercisesCard(exercises, today, items), milestoneCard(recovery), phaseCard(recovery)].filter(Boolean),
    );
  };
  draw(pending);
  ctx.onLeave(onOutboxChange((items) => draw(items.filter((item) => item.state === "pending"))));

  ctx.main.append(
    h("h1", {}, interpolate(gettext("%(greeting)s, %(name)s"), { greeting: greeting(), name: firstName() }, true)),
    h("p", { class: "lead" }, formatDay(today), dayLine ? h("br") : null, dayLine ? h("strong", { class: "day-line" }, dayLine) : null),
    recovery ? whatToDoCard(recovery.open_alerts, patientZone()) : null,
    staleNote(recoveryResult),
    preparation,
    !recovery ? h("p", { class: "notice notice-info" }, gettext("Connect to the internet once so the app can load your recovery plan.")) : null,
    recovery && recovery.streak_days > 1 ? h("p", { class: "streak" }, interpolate(gettext("You have checked in %(count)s days in a row."), { count: recovery.streak_days }, true)) : null,
    cards,
    h("p", {}, h("a", { class: "button button-wide", href: "/app/education" }, gettext("Learn about your procedure"))),
  );
}

// @ts-check
// Before the procedure: the countdown ("Your procedure is in 6 days") and the clinic's preparation checklist, shown on
// Today while a procedure is scheduled. Ticking an item is a PUT addressed by the item's key, sent through the
// outbox: offline it waits on the phone, and sending it twice changes nothing.

import { OfflineError } from "../api.js";
import { loadPreparation } from "../data.js";
import { formatDay, h, hhmm } from "../dom.js";
import { recall, remember } from "../store.js";
import { onOutboxChange, outboxItems, submit } from "../sync.js";
import { gettext, interpolate } from "../i18n.js";

const itemId = (procedureId, key) => `preparation:${procedureId}:${key}`;

async function rememberTick(key, doneAt) {
  const copy = await recall("preparation");
  if (!copy || !copy.value.items) return;
  const items = copy.value.items.map((item) => (item.key === key ? { ...item, done_at: doneAt } : item));
  await remember("preparation", { ...copy.value, items, open: items.filter((item) => !item.done_at).length });
}

function statusOf(item, pending) {
  if (pending) return h("span", { class: "status status-saved", dataset: { state: "queued" } }, gettext("Saved on this phone — will send when you're online."));
  if (item.done_at) return h("span", { class: "status status-done", dataset: { state: "done" } }, gettext("Done"));
  return h("span", { class: "status", dataset: { state: "open" } }, interpolate(gettext("By %(day)s"), { day: formatDay(item.due_on) }, true));
}

function itemRow(ctx, preparation, item, pendingItem) {
  const id = `prep-${item.key.replace(/[^a-z0-9]/gi, "")}`;
  const checked = pendingItem ? pendingItem.body.done : Boolean(item.done_at);
  const box = h("input", { type: "checkbox", id, checked, class: "prep-box" });
  const status = h("span", {}, statusOf(item, pendingItem));
  box.addEventListener("change", async () => {
    const done = /** @type {HTMLInputElement} */ (box).checked;
    const outboxItem = {
      id: itemId(preparation.procedure.id, item.key),
      kind: "preparation",
      itemKey: item.key,
      method: "PUT",
      url: `/api/v1/me/preparation/items/${encodeURIComponent(item.key)}`,
      body: { done },
      label: item.title,
      reviewPath: "/app/",
    };
    const result = await submit(outboxItem);
    if (result.outcome === "sent" || result.outcome === "duplicate") {
      const doneAt = result.data ? result.data.done_at : null;
      await rememberTick(item.key, doneAt);
      status.replaceChildren(statusOf({ ...item, done_at: doneAt }, null));
    } else if (result.outcome === "queued") {
      status.replaceChildren(statusOf(item, outboxItem));
    } else if (result.outcome === "rejected") {
      status.replaceChildren(h("span", { class: "status" }, gettext("This item is no longer on your list.")));
    }
  });
  ctx.onLeave(
    onOutboxChange((items, report) => {
      const sent = report && report.sent.find((entry) => entry.item.id === itemId(preparation.procedure.id, item.key));
      if (sent) {
        rememberTick(item.key, sent.data.done_at);
        status.replaceChildren(statusOf({ ...item, done_at: sent.data.done_at }, null));
      }
    }),
  );
  return h(
    "li",
    { class: "prep-item", dataset: { key: item.key } },
    h("div", { class: "prep-check" }, box, h("label", { for: id }, h("strong", {}, item.title))),
    status,
    h("details", {}, h("summary", {}, gettext("What to do")), h("p", {}, item.text)),
  );
}

/** The countdown and checklist card, or null when no procedure is scheduled (or nothing was ever loaded). */
export async function preparationCard(ctx) {
  /** @type {import("../store.js").Loaded | null} */
  let result = null;
  try {
    result = await loadPreparation();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  const preparation = result && result.data;
  if (!preparation || !preparation.procedure) return null;
  const pending = (await outboxItems()).filter((item) => item.kind === "preparation" && item.state === "pending");
  const procedure = preparation.procedure;
  const baseline = preparation.baseline;
  return h(
    "section",
    { class: "card card-highlight preparation", "aria-labelledby": "card-preparation" },
    h("h2", { id: "card-preparation" }, preparation.countdown),
    h(
      "p",
      {},
      procedure.arrival_time
        ? interpolate(gettext("On %(day)s. Please arrive at %(time)s."), { day: formatDay(procedure.procedure_date), time: hhmm(procedure.arrival_time) }, true)
        : interpolate(gettext("On %(day)s."), { day: formatDay(procedure.procedure_date) }, true),
    ),
    baseline && baseline.missing.length
      ? h(
          "p",
          {},
          gettext("Before your procedure, please answer a few questions about how you are now. "),
          h("a", { href: "/app/assessments" }, gettext("Answer the questions")),
        )
      : null,
    h("h3", {}, gettext("Getting ready")),
    h(
      "ul",
      { class: "prep-list" },
      preparation.items.map((item) =>
        itemRow(ctx, preparation, item, pending.find((p) => p.id === itemId(procedure.id, item.key))),
      ),
    ),
  );
}

// @ts-check
// The inbox: reminders and messages, unread first. Opening one marks it read and goes to the screen it is about.

import { OfflineError, api } from "../api.js";
import { isPatient } from "../session.js";
import { loadInbox, loadRecovery, patientZone, staleNote } from "../data.js";
import { whatToDoCard } from "../redflags.js";
import { announce, formatDateTime, h } from "../dom.js";
import { refreshUnread, setUnread } from "../unread.js";
import { gettext, interpolate, ngettext } from "../i18n.js";

function appPath(url) {
  try {
    const parsed = new URL(url, location.origin);
    return parsed.pathname.startsWith("/app/") ? parsed.pathname + parsed.search : null;
  } catch (error) {
    return null;
  }
}

export async function render(ctx) {
  /** @type {import("../store.js").Loaded | null} */
  let result = null;
  try {
    result = await loadInbox();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  // A patient's open emergency and urgent alerts stay pinned here too, from the last copy when offline.
  const recovery = isPatient() ? await loadRecovery().catch(() => null) : null;
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, gettext("Inbox")), recovery ? whatToDoCard(recovery.data.open_alerts, patientZone()) : null);
  if (!result) {
    ctx.main.append(h("p", { class: "notice notice-info" }, gettext("Connect to the internet to see your messages.")));
    return;
  }
  const messages = result.data.results;
  ctx.main.append(staleNote(result));
  if (!messages.length) {
    ctx.main.append(h("p", {}, gettext("No messages yet. Reminders and news from your clinic will appear here.")));
    return;
  }
  const unread = messages.filter((m) => !m.read).length;
  const markAll = h("button", { type: "button", class: "button", hidden: unread === 0 }, gettext("Mark all as read"));
  markAll.addEventListener("click", async () => {
    try {
      await api.post("/api/v1/me/inbox/read-all");
      for (const el of ctx.main.querySelectorAll(".message.is-unread")) el.classList.remove("is-unread");
      for (const el of ctx.main.querySelectorAll(".message .badge-new")) el.remove();
      markAll.hidden = true;
      setUnread(0);
      announce(gettext("All messages are marked as read."));
    } catch (error) {
      announce(/** @type {Error} */ (error).message);
    }
  });
  ctx.main.append(
    h("p", { class: "lead" }, unread ? interpolate(ngettext("%(count)s new message", "%(count)s new messages", unread), { count: unread }, true) : gettext("No new messages.")),
    markAll,
    h(
      "ul",
      { class: "messages" },
      messages.map((m) => {
        const path = appPath(m.url);
        const open = async (event) => {
          event.preventDefault();
          const item = event.currentTarget.closest(".message");
          if (!m.read) await api.post(`/api/v1/me/inbox/${m.id}/read`).catch(() => null);
          if (path) ctx.navigate(path);
          else {
            item.classList.remove("is-unread");
            refreshUnread();
          }
        };
        return h(
          "li",
          { class: ["message", m.read ? null : "is-unread"] },
          h(
            "a",
            { href: path || "/app/inbox", class: "message-link", onclick: open },
            h("span", { class: "message-title" }, m.title, m.read ? null : h("span", { class: "badge badge-new" }, gettext("New"))),
            // A caregiver's message says whom it is about (they may help more than one person).
            m.about ? h("span", { class: "message-time message-about" }, interpolate(gettext("About %(name)s"), { name: m.about.name }, true)) : null,
            h("span", { class: "message-body" }, m.body),
            h("span", { class: "message-time" }, formatDateTime(m.created_at)),
          ),
        );
      }),
    ),
  );
}

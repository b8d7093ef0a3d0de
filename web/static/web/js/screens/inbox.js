// The inbox: reminders and messages, unread first. Opening one marks it read and goes to the screen it is about.

import { OfflineError, api } from "../api.js";
import { loadInbox, staleNote } from "../data.js";
import { announce, formatDateTime, h } from "../dom.js";

function appPath(url) {
  try {
    const parsed = new URL(url, location.origin);
    return parsed.pathname.startsWith("/app/") ? parsed.pathname + parsed.search : null;
  } catch (error) {
    return null;
  }
}

export async function render(ctx) {
  let result = null;
  try {
    result = await loadInbox();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, "Inbox"));
  if (!result) {
    ctx.main.append(h("p", { class: "notice notice-info" }, "Connect to the internet to see your messages."));
    return;
  }
  const messages = result.data.results;
  ctx.main.append(staleNote(result));
  if (!messages.length) {
    ctx.main.append(h("p", {}, "No messages yet. Reminders and news from your clinic will appear here."));
    return;
  }
  const unread = messages.filter((m) => !m.read).length;
  const markAll = h("button", { type: "button", class: "button", hidden: unread === 0 }, "Mark all as read");
  markAll.addEventListener("click", async () => {
    try {
      await api.post("/api/v1/me/inbox/read-all");
      for (const el of ctx.main.querySelectorAll(".message.is-unread")) el.classList.remove("is-unread");
      for (const el of ctx.main.querySelectorAll(".message .badge-new")) el.remove();
      markAll.hidden = true;
      announce("All messages are marked as read.");
    } catch (error) {
      announce(error.message);
    }
  });
  ctx.main.append(
    h("p", { class: "lead" }, unread ? `${unread} new` : "No new messages."),
    markAll,
    h(
      "ul",
      { class: "messages" },
      messages.map((m) => {
        const path = appPath(m.url);
        const open = async (event) => {
          event.preventDefault();
          if (!m.read) await api.post(`/api/v1/me/inbox/${m.id}/read`).catch(() => null);
          if (path) ctx.navigate(path);
          else event.currentTarget.closest(".message").classList.remove("is-unread");
        };
        return h(
          "li",
          { class: ["message", m.read ? null : "is-unread"] },
          h(
            "a",
            { href: path || "/app/inbox", class: "message-link", onclick: open },
            h("span", { class: "message-title" }, m.title, m.read ? null : h("span", { class: "badge badge-new" }, "New")),
            h("span", { class: "message-body" }, m.body),
            h("span", { class: "message-time" }, formatDateTime(m.created_at)),
          ),
        );
      }),
    ),
  );
}

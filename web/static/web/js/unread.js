// @ts-check
// The number of unread inbox messages, shown on the Inbox tab (patients) or link (staff) as a badge that screen readers
// read as part of the link's name ("Inbox 2 unread"). Asked from the server after each screen and when the app comes back into
// view; offline the last number stays.

import { api, isOnline } from "./api.js";
import { h } from "./dom.js";
import { session } from "./session.js";
import { gettext } from "./i18n.js";

let unread = 0;
// Each question to the server gets the next number. An answer is shown only if it is newer than what is shown: the
// inbox screen sets 0 after "Mark all as read" while the count asked when that screen opened may still be on its way,
// and of two counts asked one after the other the earlier may arrive last.
let asked = 0;
let shown = 0;

function inboxLinks() {
  return /** @type {HTMLAnchorElement[]} */ ([...document.querySelectorAll('#tabbar a[data-href="/app/inbox"], #topnav a[data-href="/app/inbox"]')]);
}

/** Draw the badge on the inbox links with the last known number: "Inbox 2 unread" to a screen reader. */
export function drawUnread() {
  for (const link of inboxLinks()) {
    for (const old of link.querySelectorAll(".unread")) old.remove();
    if (unread > 0) {
      link.append(
        h(
          "span",
          { class: "unread" },
          h("span", { class: "unread-badge" }, unread > 99 ? "99+" : String(unread)),
          h("span", { class: "visually-hidden" }, gettext(" unread")),
        ),
      );
    }
    link.dataset.unread = String(unread);
  }
}

/** Set the number (the inbox screen knows it after marking messages read) and redraw. */
export function setUnread(count) {
  shown = asked; // every answer still on its way was asked before this change
  show(count);
}

function show(count) {
  unread = Math.max(0, count);
  drawUnread();
}

/** Ask the server for the number; keeps the last one offline or on an error. */
export async function refreshUnread() {
  if (!session.me || !isOnline()) return drawUnread();
  asked += 1;
  const question = asked;
  try {
    const body = await api.get("/api/v1/me/inbox/unread-count");
    if (question > shown) {
      shown = question;
      show(Number(body.unread) || 0);
    } else drawUnread();
  } catch (error) {
    drawUnread();
  }
}

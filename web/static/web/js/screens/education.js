// @ts-check
// Learn: the clinic's short articles, those for where the patient is in the journey first. The whole library comes
// in one answer and is kept on the phone, so every article opens offline. Opening an article records that it was
// read (a PUT through the outbox: sent once, whenever the phone is back online).

import { OfflineError } from "../api.js";
import { loadEducation, staleNote } from "../data.js";
import { h } from "../dom.js";
import { recall, remember } from "../store.js";
import { submit } from "../sync.js";
import { gettext, interpolate } from "../i18n.js";

async function loaded() {
  try {
    return await loadEducation();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    return null;
  }
}

function articleLink(article) {
  return h(
    "li",
    { class: "article-link" },
    h("a", { href: `/app/education/${encodeURIComponent(article.key)}` }, h("strong", {}, article.title)),
    h("p", {}, article.summary),
    article.read_at
      ? h("span", { class: "status status-done" }, gettext("Read"))
      : article.earlier_version_read_at
        ? h("span", { class: "status" }, gettext("Updated since you read it"))
        : null,
  );
}

export async function library(ctx) {
  const result = await loaded();
  if (!ctx.isCurrent()) return;
  ctx.main.append(h("h1", {}, gettext("Learn about your procedure")));
  if (!result) {
    ctx.main.append(h("p", { class: "notice notice-info" }, gettext("Connect to the internet once so the app can keep these articles on your phone.")));
    return;
  }
  const data = result.data;
  ctx.main.append(
    staleNote(result),
    h("section", { "aria-labelledby": "due-now" }, h("h2", { id: "due-now" }, gettext("For you now")), h("ul", { class: "article-list" }, data.due.map(articleLink))),
    data.other.length
      ? h("section", { "aria-labelledby": "more" }, h("h2", { id: "more" }, gettext("More to read")), h("ul", { class: "article-list" }, data.other.map(articleLink)))
      : null,
  );
}

async function rememberRead(key, readAt) {
  const copy = await recall("education");
  if (!copy) return;
  const mark = (list) => list.map((a) => (a.key === key && !a.read_at ? { ...a, read_at: readAt } : a));
  await remember("education", { ...copy.value, due: mark(copy.value.due), other: mark(copy.value.other) });
}

export async function article(ctx) {
  const result = await loaded();
  if (!ctx.isCurrent()) return;
  const data = result && result.data;
  const found = data && [...data.due, ...data.other].find((a) => a.key === ctx.params.key);
  if (!found) {
    ctx.main.append(
      h("h1", {}, gettext("Article not found")),
      h("p", {}, data ? gettext("This article is not in your clinic's library.") : gettext("Connect to the internet once so the app can load the articles.")),
      h("p", {}, h("a", { class: "button", href: "/app/education" }, gettext("All articles"))),
    );
    return;
  }
  ctx.main.append(
    h("h1", {}, found.title),
    h("p", { class: "lead" }, found.summary),
    found.body.map((paragraph) => h("p", {}, paragraph)),
    h("p", {}, h("a", { class: "button", href: "/app/education" }, gettext("All articles"))),
  );
  if (!found.read_at) {
    const outcome = await submit({
      id: `article-read:${found.key}`,
      kind: "article-read",
      method: "PUT",
      url: `/api/v1/me/education/${encodeURIComponent(found.key)}/read`,
      body: {},
      label: interpolate(gettext("Read: %(title)s"), { title: found.title }, true),
      reviewPath: "/app/education",
    });
    await rememberRead(found.key, outcome.outcome === "sent" ? outcome.data.read_at : new Date().toISOString());
  }
}

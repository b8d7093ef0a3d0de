// @ts-check
// The app's languages. Texts are written in English and marked with gettext/ngettext (the names Django's
// `makemessages -d djangojs` extracts); the other languages come from Django's JSON catalog of the web app
// (/app/i18n/<code>.json, kept by the service worker for offline use). Dates, times and numbers go through Intl in the
// active language: no month or day names are written here.

/** The languages the app is offered in (settings.LANGUAGES), each named in its own language. */
export const LANGUAGES = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
];
const DEFAULT = "en";
// The locale Intl formats with: English as the app always wrote dates (day before month), neutral Latin-American
// Spanish.
const INTL_LOCALES = { en: "en-GB", es: "es-419" };

let active = DEFAULT;
/** @type {Record<string, string | string[]>} */
let catalog = {};
/** @type {((code: string) => void | Promise<void>)[]} */
const listeners = [];

export function isOffered(code) {
  return LANGUAGES.some((language) => language.code === code);
}

/** The active language's code ("en", "es"). */
export function language() {
  return active;
}

/** The BCP 47 locale for Intl (dates, times, numbers, plural rules). */
export function intlLocale() {
  return INTL_LOCALES[active] || active;
}

/** The first offered language among the browser's (navigator.languages), else English. */
export function browserLanguage() {
  const wanted = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""])
    .map((tag) => String(tag).toLowerCase().split("-")[0]);
  return wanted.find(isOffered) || DEFAULT;
}

/** The index of the plural form for `count` (Django's catalogs: English 2 forms, Spanish 2 or 3). */
function pluralIndex(count, forms) {
  const n = Math.abs(Number(count));
  if (active === "es" && forms === 3) return n === 1 ? 0 : n !== 0 && n % 1000000 === 0 ? 1 : 2;
  return n === 1 ? 0 : 1;
}

export function gettext(msgid) {
  const value = catalog[msgid];
  if (value === undefined || value === "") return msgid;
  return typeof value === "string" ? value : value[0];
}

/** A text that is translated where it is shown, not where it is written (constants built before a language loads). */
export function gettext_noop(msgid) {
  return msgid;
}

export function ngettext(singular, plural, count) {
  const value = catalog[singular];
  if (Array.isArray(value) && value.length) {
    const form = value[Math.min(pluralIndex(count, value.length), value.length - 1)];
    if (form) return form;
  }
  return Number(count) === 1 ? singular : plural;
}

export function pgettext(context, msgid) {
  const value = catalog[`${context}\u0004${msgid}`];
  if (value === undefined || value === "") return msgid;
  return typeof value === "string" ? value : value[0];
}

/**
 * Fill a translated text: interpolate("%(count)s days", {count: 3}, true) or interpolate("%s of %s", [1, 2]), as in
 * Django's JavaScript catalog.
 */
export function interpolate(format, values, named = false) {
  if (named) return format.replace(/%\(([a-z_0-9]+)\)s/gi, (_, name) => String(values[name]));
  let index = 0;
  return format.replace(/%s/g, () => String(values[index++]));
}

/** Called after the language changed (the shell draws the navigation and the screen again). */
export function onLanguageChange(fn) {
  listeners.push(fn);
}

async function fetchCatalog(code) {
  const response = await fetch(`/app/i18n/${code}.json`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`The ${code} catalog answered ${response.status}.`);
  const body = await response.json();
  return body.catalog || {};
}

/**
 * Switch the app to a language: load its catalog (from the network or the service worker's copy), set <html lang>,
 * and draw everything again. English needs no catalog: the texts are written in it. Resolves to the code in use.
 */
export async function setLanguage(code, { rerender = true } = {}) {
  const wanted = isOffered(code) ? code : DEFAULT;
  let next = {};
  if (wanted !== DEFAULT) {
    try {
      next = await fetchCatalog(wanted);
    } catch (error) {
      console.warn("The app's texts could not be loaded:", error);
      if (wanted !== active) return active;
      next = catalog;
    }
  }
  const changed = wanted !== active;
  active = wanted;
  catalog = next;
  document.documentElement.lang = wanted;
  tellServiceWorker(wanted);
  if (changed && rerender) for (const fn of listeners) await fn(wanted);
  return active;
}

/** The service worker writes notifications that come without words of their own in the same language. */
function tellServiceWorker(code) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.active && registration.active.postMessage({ type: "language", code }))
    .catch(() => null);
}

// --- Numbers, dates and times in the active language -------------------------------------------------------------

/** @param {number} value @param {Intl.NumberFormatOptions} [options] */
export function formatNumber(value, options) {
  return new Intl.NumberFormat(intlLocale(), options).format(value);
}

/** @param {Date} date @param {Intl.DateTimeFormatOptions} options */
export function formatDate(date, options) {
  return new Intl.DateTimeFormat(intlLocale(), options).format(date);
}

/** "Monday, 1 December" / "lunes, 1 de diciembre": the weekday with a capital letter only where the language has one. */
export function capitalize(text) {
  return active === "en" ? text : text.charAt(0).toLocaleUpperCase(intlLocale()) + text.slice(1);
}

/** A list in words: "walking, standing and sleep" / "caminar, estar de pie y dormir". */
export function formatList(items) {
  try {
    return new Intl.ListFormat(intlLocale(), { style: "long", type: "conjunction" }).format(items);
  } catch (error) {
    return items.join(", ");
  }
}

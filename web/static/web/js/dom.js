// @ts-check
// Small DOM helpers. Everything is built with createElement and textContent: no HTML strings, so nothing a server or
// a person typed can ever run as code, and the Content-Security-Policy needs no inline scripts.

import { capitalize, intlLocale } from "./i18n.js";

const SVG_NS = "http://www.w3.org/2000/svg";

function applyAttributes(el, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    else if (name === "text") el.textContent = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "value" && "value" in el) el.value = value;
    else if (name === "checked" && "checked" in el) el.checked = Boolean(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** h("p", {class: "lead"}, "text", otherNode): an element with attributes, listeners (onclick: fn) and children. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttributes(el, attrs);
  append(el, children);
  return el;
}

/** The same for SVG elements. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttributes(el, attrs);
  append(el, children);
  return el;
}

/** Replace an element's children, skipping the optional (null) ones. */
export function fill(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Tell screen-reader users about something that happened without moving their focus. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after a tick makes screen readers read it again even when the text repeats.
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

let idCounter = 0;
export function uid(prefix) {
  idCounter += 1;
  return `${prefix || "id"}-${idCounter}`;
}

// --- Dates and times ------------------------------------------------------------------------------------------------
// Dates from the API are calendar days ("2026-11-24") in the patient's own time zone: they are shown as they are,
// never shifted through the phone's zone.

function dayParts(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d, 12));
}

export function formatDay(iso, style) {
  if (!iso) return "";
  /** @type {Intl.DateTimeFormatOptions} */
  const options =
    style === "short"
      ? { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }
      : { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" };
  return capitalize(new Intl.DateTimeFormat(intlLocale(), options).format(dayParts(iso)));
}

export function formatDayWithYear(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(intlLocale(), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    dayParts(iso),
  );
}

/** The day of an instant, with its year, in the reader's time zone: "2 December 2026". */
export function formatInstantDayWithYear(isoInstant) {
  if (!isoInstant) return "";
  return new Intl.DateTimeFormat(intlLocale(), { day: "numeric", month: "long", year: "numeric" }).format(new Date(isoInstant));
}

export function formatDateTime(isoInstant, timeZone) {
  if (!isoInstant) return "";
  /** @type {Intl.DateTimeFormatOptions} */
  const options = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  if (timeZone) options.timeZone = timeZone;
  try {
    return new Intl.DateTimeFormat(intlLocale(), options).format(new Date(isoInstant));
  } catch (error) {
    return new Date(isoInstant).toLocaleString(intlLocale());
  }
}

/** Today's calendar day ("YYYY-MM-DD") in an IANA time zone, computed on the phone (works offline). */
export function todayIn(timeZone) {
  const now = new Date();
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch (error) {
    return now.toISOString().slice(0, 10);
  }
}

export function addDays(iso, days) {
  const date = dayParts(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function daysBetween(fromIso, toIso) {
  return Math.round((dayParts(toIso).getTime() - dayParts(fromIso).getTime()) / 86400000);
}

export function hhmm(time) {
  return time ? time.slice(0, 5) : "";
}

/** The calendar day of an instant in an IANA time zone. */
export function dayIn(isoInstant, timeZone) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      new Date(isoInstant),
    );
  } catch (error) {
    return String(isoInstant).slice(0, 10);
  }
}

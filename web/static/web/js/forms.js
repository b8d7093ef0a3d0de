// @ts-check
// Form building blocks with labels, hints and error messages wired for screen readers, sized for fingers (48px+).

import { h, uid } from "./dom.js";
import { gettext, interpolate } from "./i18n.js";

/**
 * A labelled control: <div class="field"><label/>hint<control/>error</div>.
 * @param {string} labelText
 * @param {HTMLElement & {name?: string}} control
 * @param {{hint?: string, name?: string}} [options]
 */
export function field(labelText, control, { hint, name } = {}) {
  const id = control.id || uid("f");
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  const wrapper = h(
    "div",
    { class: "field", dataset: { field: name || control.name || "" } },
    h("label", { for: id }, labelText),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    control,
    h("p", { class: "field-error", id: errorId, hidden: true }),
  );
  return wrapper;
}

export function input(attrs) {
  return h("input", { class: "input", ...attrs });
}

/** A group of radio buttons in a fieldset, each a large tappable row. */
/**
 * @param {{name: string, legend: string, options: {value: string, label: string}[], value?: any, hint?: string,
 *   required?: boolean, className?: string}} args
 */
export function radioGroup({ name, legend, options, value, hint, required, className }) {
  const hintId = hint ? uid("hint") : null;
  const set = h(
    "fieldset",
    { class: ["choices", className], dataset: { field: name }, "aria-describedby": hintId },
    h("legend", {}, legend),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
  );
  const list = h("div", { class: "choice-list" });
  for (const option of options) {
    const id = uid(name);
    list.append(
      h(
        "label",
        { class: "choice", for: id },
        h("input", {
          type: "radio",
          id,
          name,
          value: String(option.value),
          checked: value !== undefined && value !== null && String(value) === String(option.value),
          required: required || false,
        }),
        h("span", {}, option.label),
      ),
    );
  }
  set.append(list, h("p", { class: "field-error", hidden: true }));
  return set;
}

export function checkboxGroup({ name, legend, options, values = [], hint }) {
  const set = h("fieldset", { class: "choices", dataset: { field: name } }, h("legend", {}, legend));
  if (hint) set.append(h("p", { class: "hint" }, hint));
  const list = h("div", { class: "choice-list" });
  for (const option of options) {
    const id = uid(name);
    list.append(
      h(
        "label",
        { class: "choice", for: id },
        h("input", { type: "checkbox", id, name, value: option.value, checked: values.includes(option.value) }),
        h("span", {}, option.label),
      ),
    );
  }
  set.append(list, h("p", { class: "field-error", hidden: true }));
  return set;
}

/** A yes/no question: two big buttons side by side. onChange(answer) with "yes" or "no". */
export function yesNo({ name, question, help, value, onChange }) {
  const set = radioGroup({
    name,
    legend: question,
    hint: help || undefined,
    options: [
      { value: "no", label: gettext("No") },
      { value: "yes", label: gettext("Yes") },
    ],
    value,
    className: "yes-no",
  });
  if (onChange) set.addEventListener("change", (event) => onChange(event.target.value));
  return set;
}

/**
 * A 0-10 scale: a slider with the chosen number shown large, and - / + buttons for unsteady hands. It starts unset
 * ("Not chosen yet", no handle on the slider) so a rating is never sent that nobody chose; on an unset scale minus
 * chooses the lowest number and plus the one above it. Screen readers hear the value: the slider's aria-valuetext,
 * and a polite announcement after a tap on - or +. Returns {element, value(), set(n)}.
 * @param {{name: string, label: string, hint?: string, value?: number | null, min?: number, max?: number,
 *   lowLabel: string, highLabel: string, onChange?: (value: number | null) => void}} args
 */
export function scale({ name, label, hint, value, min = 0, max = 10, lowLabel, highLabel, onChange }) {
  const id = uid(name);
  const output = h("output", { class: "scale-value", for: id, "aria-hidden": "true" });
  const spoken = h("span", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  const range = h("input", {
    type: "range",
    class: "scale-range",
    id,
    name,
    min,
    max,
    step: 1,
    value: value ?? min,
  });
  let chosen = value !== undefined && value !== null;
  const said = () => (chosen ? interpolate(gettext("%(value)s out of %(max)s"), { value: range.value, max }, true) : gettext("Not chosen yet"));
  const update = ({ announce = false } = {}) => {
    output.textContent = chosen ? range.value : "?";
    range.setAttribute("aria-valuetext", said());
    wrapper.classList.toggle("is-unset", !chosen);
    if (announce) spoken.textContent = `${label}: ${said()}`;
    if (onChange && chosen) onChange(Number(range.value));
  };
  const step = (delta) => {
    const next = chosen ? Number(range.value) + delta : delta > 0 ? min + 1 : min;
    range.value = String(Math.min(max, Math.max(min, next)));
    chosen = true;
    update({ announce: true });
  };
  range.addEventListener("input", () => {
    chosen = true;
    update();
  });
  range.addEventListener("change", () => {
    chosen = true;
    update();
  });
  // A tap on the slider's track where the value already is (the hidden handle's place) fires no input event.
  range.addEventListener("pointerup", () => {
    if (!chosen) {
      chosen = true;
      update();
    }
  });
  const hintId = `${id}-hint`;
  range.setAttribute("aria-describedby", `${hintId} ${id}-error`);
  const wrapper = h(
    "div",
    { class: "field scale", dataset: { field: name } },
    h("div", { class: "scale-head" }, h("label", { for: id }, label), output),
    h("p", { class: "hint", id: hintId }, hint || gettext("Tap the line, or tap − and +.")),
    h(
      "div",
      { class: "scale-row" },
      h("button", { type: "button", class: "button button-round", "aria-label": interpolate(gettext("%(label)s: lower"), { label }, true), onclick: () => step(-1) }, "−"),
      range,
      h("button", { type: "button", class: "button button-round", "aria-label": interpolate(gettext("%(label)s: higher"), { label }, true), onclick: () => step(1) }, "+"),
    ),
    h("div", { class: "scale-ends", "aria-hidden": "true" }, h("span", {}, `${min} ${lowLabel || ""}`), h("span", {}, `${max} ${highLabel || ""}`)),
    spoken,
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
  update();
  return {
    element: wrapper,
    value: () => (chosen ? Number(range.value) : null),
    set: (n) => {
      range.value = String(n);
      chosen = true;
      update();
    },
  };
}

/** Show the server's per-field messages next to the fields, and a summary at the top of the form. */
export function showErrors(form, error, summaryText) {
  clearErrors(form);
  const fields = (error && error.fields) || {};
  const summary = form.querySelector(".form-errors");
  const unplaced = [];
  for (const [name, messages] of Object.entries(fields)) {
    const holder = form.querySelector(`[data-field="${CSS.escape(name)}"]`) || form.querySelector(`[data-field="${CSS.escape(name.split(".")[0])}"]`);
    const target = holder && holder.querySelector(".field-error");
    if (target) {
      target.textContent = messages.join(" ");
      target.hidden = false;
      const control = holder.querySelector("input, select, textarea");
      if (control) control.setAttribute("aria-invalid", "true");
    } else unplaced.push(...messages);
  }
  if (summary) {
    const text = summaryText || (Object.keys(fields).length ? gettext("Please check the answers marked below.") : error.message);
    summary.textContent = [text, ...unplaced].filter(Boolean).join(" ");
    summary.hidden = false;
    summary.focus();
  }
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const summary = form.querySelector(".form-errors");
  if (summary) {
    summary.hidden = true;
    summary.textContent = "";
  }
}

export function errorSummary() {
  return h("div", { class: "form-errors notice notice-error", role: "alert", tabindex: "-1", hidden: true });
}

export function submitButton(text) {
  return h("button", { type: "submit", class: "button button-primary button-wide" }, text);
}

/** Disable a form's submit button while `work` runs, with a busy label. */
export async function busy(form, text, work) {
  const button = form.querySelector("button[type=submit]");
  const before = button ? button.textContent : "";
  if (button) {
    button.disabled = true;
    button.textContent = text;
  }
  try {
    return await work();
  } finally {
    if (button) {
      button.disabled = false;
      button.textContent = before;
    }
  }
}

export function checkedValue(form, name) {
  const checked = form.querySelector(`input[name="${CSS.escape(name)}"]:checked`);
  return checked ? checked.value : null;
}

export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`)].map((el) => el.value);
}

// @ts-check
// Signing in, accepting an invitation (choose a password), and resetting a forgotten password.

import { ApiError, OfflineError, api } from "../api.js";
import { h } from "../dom.js";
import { busy, clearErrors, errorSummary, field, input, showErrors, submitButton } from "../forms.js";
import { authenticateMfa, requestPasswordReset, resetPassword as resetWithKey, signIn as signInWith } from "../session.js";
import { startSignedIn } from "../shell.js";
import { gettext } from "../i18n.js";

const offlineMessage = () => gettext("You are offline. Please connect to the internet to sign in.");

function safeNext(query) {
  const next = query.get("next") || "/app/";
  return next.startsWith("/app/") && !next.startsWith("/app/signin") ? next : "/app/";
}

function passwordToggle(...inputs) {
  const id = `show-${inputs[0].id}`;
  return h(
    "label",
    { class: "check-inline", for: id },
    h("input", {
      type: "checkbox",
      id,
      onchange: (event) => {
        for (const el of inputs) el.type = event.target.checked ? "text" : "password";
      },
    }),
    h("span", {}, gettext("Show password")),
  );
}

function handleError(form, error) {
  if (error instanceof OfflineError) showErrors(form, { fields: {}, message: offlineMessage() });
  else if (error instanceof ApiError) showErrors(form, error, error.message);
  else throw error;
}

export function signIn(ctx) {
  const email = input({ type: "email", name: "email", autocomplete: "username", required: true, inputmode: "email" });
  const password = input({ type: "password", name: "password", autocomplete: "current-password", required: true });
  email.id = "signin-email";
  password.id = "signin-password";
  const form = h(
    "form",
    { class: "form", novalidate: true },
    errorSummary(),
    field(gettext("Email address"), email, { name: "email" }),
    field(gettext("Password"), password, { name: "password" }),
    passwordToggle(password),
    submitButton(gettext("Sign in")),
  );
  const next = safeNext(ctx.query);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!email.value.trim() || !password.value) {
      showErrors(form, { fields: {}, message: gettext("Please enter your email address and your password.") });
      return;
    }
    await busy(form, gettext("Signing in…"), async () => {
      try {
        const result = await signInWith(email.value.trim(), password.value);
        if (result === "mfa") {
          mfaStep(ctx, next);
          return;
        }
        await startSignedIn();
        await ctx.navigate(next, { replace: true });
      } catch (error) {
        handleError(form, error);
      }
    });
  });
  ctx.main.append(
    h("h1", {}, gettext("Sign in")),
    h("p", { class: "lead" }, gettext("Sign in to check in, see your exercises and follow your recovery.")),
    form,
    h("p", {}, h("a", { href: "/app/reset-password" }, gettext("Forgot your password?"))),
    h("p", { class: "hint" }, gettext("New here? Use the link in the invitation email from your clinic to choose a password.")),
  );
}

function mfaStep(ctx, next) {
  const code = input({ type: "text", name: "code", inputmode: "numeric", autocomplete: "one-time-code", required: true });
  code.id = "mfa-code";
  const form = h(
    "form",
    { class: "form", novalidate: true },
    errorSummary(),
    field(gettext("Code from your authenticator app"), code, { name: "code", hint: gettext("6 digits") }),
    submitButton(gettext("Continue")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    await busy(form, gettext("Checking…"), async () => {
      try {
        await authenticateMfa(code.value.trim());
        await startSignedIn();
        await ctx.navigate(next, { replace: true });
      } catch (error) {
        handleError(form, error);
      }
    });
  });
  ctx.main.replaceChildren(h("h1", { tabindex: "-1" }, gettext("Enter your code")), form);
  ctx.main.querySelector("h1").focus();
}

function newPasswordFields(prefix) {
  const password = input({ type: "password", name: "password", autocomplete: "new-password", required: true, minlength: 10 });
  const again = input({ type: "password", name: "password_again", autocomplete: "new-password", required: true });
  password.id = `${prefix}-password`;
  again.id = `${prefix}-password-again`;
  return {
    password,
    again,
    elements: [
      field(gettext("Choose a password"), password, {
        name: "password",
        hint: gettext("At least 10 characters. A few words you can remember works well."),
      }),
      field(gettext("Type the password again"), again, { name: "password_again" }),
      passwordToggle(password, again),
    ],
  };
}

function passwordsProblem(password, again) {
  if (password.value.length < 10) return { password: [gettext("Please use at least 10 characters.")] };
  if (password.value !== again.value) return { password_again: [gettext("The two passwords are not the same.")] };
  return null;
}

export function acceptInvitation(ctx) {
  const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";
  ctx.main.append(h("h1", {}, gettext("Welcome")));
  if (!token) {
    ctx.main.append(
      h("p", { class: "notice notice-error" }, gettext("This link is not complete. Please open the link in your invitation email again.")),
    );
    return;
  }
  const fields = newPasswordFields("invite");
  const form = h("form", { class: "form", novalidate: true }, errorSummary(), ...fields.elements, submitButton(gettext("Save my password")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const problem = passwordsProblem(fields.password, fields.again);
    if (problem) {
      showErrors(form, { fields: problem });
      return;
    }
    await busy(form, gettext("Saving…"), async () => {
      try {
        const result = await api.post("/api/v1/invitations/accept", { token, password: fields.password.value });
        // The fragment held the token: drop it now it is used.
        history.replaceState(null, "", "/app/invitation");
        await signInWith(result.email, fields.password.value);
        await startSignedIn();
        await ctx.navigate("/app/", { replace: true });
      } catch (error) {
        if (error instanceof ApiError && error.fields.token) {
          showErrors(form, error, error.fields.token.join(" "));
        } else handleError(form, error);
      }
    });
  });
  ctx.main.append(
    h("p", { class: "lead" }, gettext("Your clinic has invited you to follow your recovery with this app. First, choose a password.")),
    form,
  );
}

export function requestReset(ctx) {
  const email = input({ type: "email", name: "email", autocomplete: "username", required: true });
  email.id = "reset-email";
  const form = h("form", { class: "form", novalidate: true }, errorSummary(), field(gettext("Email address"), email, { name: "email" }), submitButton(gettext("Send me a link")));
  const done = h("p", { class: "notice notice-success", role: "status", hidden: true });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    await busy(form, gettext("Sending…"), async () => {
      try {
        await requestPasswordReset(email.value.trim());
        done.textContent = gettext("If this address has an account, we have sent it an email with a link to choose a new password.");
        done.hidden = false;
      } catch (error) {
        handleError(form, error);
      }
    });
  });
  ctx.main.append(
    h("h1", {}, gettext("Forgot your password?")),
    h("p", { class: "lead" }, gettext("We will email you a link to choose a new one.")),
    form,
    done,
    h("p", {}, h("a", { href: "/app/signin" }, gettext("Back to sign in"))),
  );
}

// The emailed link: /app/reset-password#key=...; without a key, the screen that asks for a link.
export function passwordReset(ctx) {
  const key = new URLSearchParams(location.hash.slice(1)).get("key");
  return key ? resetPassword(ctx, key) : requestReset(ctx);
}

function resetPassword(ctx, key) {
  const fields = newPasswordFields("reset");
  const form = h("form", { class: "form", novalidate: true }, errorSummary(), ...fields.elements, submitButton(gettext("Save my new password")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const problem = passwordsProblem(fields.password, fields.again);
    if (problem) {
      showErrors(form, { fields: problem });
      return;
    }
    await busy(form, gettext("Saving…"), async () => {
      try {
        await resetWithKey(key, fields.password.value);
        // The fragment held the key: drop it now it is used.
        history.replaceState(null, "", "/app/reset-password");
        form.replaceWith(
          h("p", { class: "notice notice-success", role: "status" }, gettext("Your new password is saved. "), h("a", { href: "/app/signin" }, gettext("Sign in"))),
        );
      } catch (error) {
        if (error instanceof ApiError && error.fields.key) showErrors(form, error, gettext("This link has expired or was already used. Please ask for a new one."));
        else handleError(form, error);
      }
    });
  });
  ctx.main.append(h("h1", {}, gettext("Choose a new password")), form);
}

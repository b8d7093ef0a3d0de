// @ts-check
// The MILD Recovery app: starts the shell and declares the screens. Loaded as an ES module (no build step).

import { route } from "./js/router.js";
import * as clinicianAlerts from "./js/screens/clinician/alerts.js";
import * as clinicianCohort from "./js/screens/clinician/cohort.js";
import * as clinicianContent from "./js/screens/clinician/content.js";
import * as clinicianPatient from "./js/screens/clinician/patient.js";
import * as clinicianResponse from "./js/screens/clinician/response.js";
import * as clinicianRoster from "./js/screens/clinician/roster.js";
import * as checkin from "./js/screens/checkin.js";
import * as exercises from "./js/screens/exercises.js";
import * as education from "./js/screens/education.js";
import * as help from "./js/screens/help.js";
import * as assessments from "./js/screens/assessments.js";
import * as progress from "./js/screens/progress.js";
import * as inbox from "./js/screens/inbox.js";
import * as settings from "./js/screens/settings.js";
import * as auth from "./js/screens/auth.js";
import * as caregivers from "./js/screens/caregivers.js";
import * as today from "./js/screens/today.js";
import { boot } from "./js/shell.js";
import { stylesReady } from "./js/styles.js";

route("/app/signin", auth.signIn, { public: true, signedOutOnly: true });
route("/app/invitation", auth.acceptInvitation, { public: true });
// The reset link carries its key in the fragment (#key=...), which browsers never send to a server or its logs.
route("/app/reset-password", auth.passwordReset, { public: true });

route("/app/", today.render, { role: "patient", refreshOnSync: true });
route("/app/today", today.render, { role: "patient", refreshOnSync: true });
route("/app/checkin", checkin.render, { role: "patient" });
route("/app/exercises", exercises.render, { role: "patient" });
route("/app/assessments", assessments.render, { role: "patient" });
route("/app/education", education.library, { role: "patient" });
route("/app/education/:key", education.article, { role: "patient" });
route("/app/progress", progress.render, { role: "patient", refreshOnSync: true });
route("/app/inbox", inbox.render, {});
route("/app/settings", settings.render, {});
// Caregivers: whom a caregiver is helping; a patient's own list of the people who help her.
route("/app/helping", caregivers.chooser, { role: "caregiver" });
route("/app/settings/caregivers", caregivers.settings, { role: "patient-only" });
// When to get help: one tap from every screen (the header link), offline from the cached forms.
route("/app/help", help.render, {});

route("/app/clinician/patients", clinicianRoster.roster, { role: "staff" });
route("/app/clinician/patients/:id", clinicianPatient.patientDetail, { role: "staff" });
route("/app/clinician/alerts", clinicianAlerts.alertQueue, { role: "staff" });
route("/app/clinician/alerts/:id", clinicianAlerts.alertDetail, { role: "staff" });
route("/app/clinician/cohort", clinicianCohort.cohortCurves, { role: "staff" });
route("/app/clinician/response-times", clinicianResponse.alertResponse, { role: "staff" });
route("/app/clinician/content", clinicianContent.clinicalContent, { role: "staff" });

await stylesReady();
boot();

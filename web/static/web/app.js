// The MILD Recovery app: starts the shell and declares the screens. Loaded as an ES module (no build step).

import { route } from "./js/router.js";
import * as clinician from "./js/screens/clinician.js";
import * as checkin from "./js/screens/checkin.js";
import * as exercises from "./js/screens/exercises.js";
import * as assessments from "./js/screens/assessments.js";
import * as progress from "./js/screens/progress.js";
import * as inbox from "./js/screens/inbox.js";
import * as settings from "./js/screens/settings.js";
import * as auth from "./js/screens/auth.js";
import * as today from "./js/screens/today.js";
import { boot } from "./js/shell.js";

route("/app/signin", auth.signIn, { public: true, signedOutOnly: true });
route("/app/invitation", auth.acceptInvitation, { public: true });
route("/app/reset-password", auth.requestReset, { public: true });
route("/app/reset-password/:key", auth.resetPassword, { public: true });

route("/app/", today.render, { role: "patient", refreshOnSync: true });
route("/app/today", today.render, { role: "patient", refreshOnSync: true });
route("/app/checkin", checkin.render, { role: "patient" });
route("/app/exercises", exercises.render, { role: "patient" });
route("/app/assessments", assessments.render, { role: "patient" });
route("/app/progress", progress.render, { role: "patient", refreshOnSync: true });
route("/app/inbox", inbox.render, {});
route("/app/settings", settings.render, {});

route("/app/clinician/patients", clinician.roster, { role: "staff" });
route("/app/clinician/patients/:id", clinician.patientDetail, { role: "staff" });
route("/app/clinician/alerts", clinician.alertQueue, { role: "staff" });
route("/app/clinician/alerts/:id", clinician.alertDetail, { role: "staff" });

boot();

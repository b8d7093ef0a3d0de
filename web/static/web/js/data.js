// @ts-check
// The patient's data, each piece fetched from the API and remembered on the phone for offline use (store.load).

import { api, getAll, isOnline } from "./api.js";
import { addDays, formatDateTime, h, todayIn } from "./dom.js";
import { session } from "./session.js";
import { load, recall, remember } from "./store.js";
import { gettext, interpolate } from "./i18n.js";

export function patientZone() {
  const me = session.me;
  const helped = session.helping && session.helping.time_zone;
  return (me && me.patient && me.patient.time_zone) || helped || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Today in the patient's own time zone, from the phone's clock: right offline too. */
export function patientToday() {
  return todayIn(patientZone());
}

/** Said above a screen drawn from the copy on the phone (store.load's result came from the cache). */
export function staleNote(result) {
  if (!result || !result.fromCache) return null;
  return h("p", { class: "notice notice-info" }, interpolate(gettext("Showing what the app last saw, on %(when)s."), { when: formatDateTime(result.savedAt) }, true));
}

export const loadForms = () => load("forms", () => api.get("/api/v1/recovery/forms"));
export const loadRecovery = () => load("recovery", () => api.get("/api/v1/me/recovery"));
export const loadExercisesToday = () => load("exercises-today", () => api.get("/api/v1/me/exercises/today"));
export const loadMilestones = () => load("milestones", () => api.get("/api/v1/me/milestones"));
export const loadProgress = () => load("progress", () => api.get("/api/v1/me/progress"));
export const loadAssessments = () => load("assessments", () => api.get("/api/v1/me/assessments"));
export const loadPreferences = () => load("preferences", () => api.get("/api/v1/me/notification-preferences"));
export const loadInbox = () => load("inbox", () => api.get("/api/v1/me/inbox?page_size=100"));
export const loadPreparation = () => load("preparation", () => api.get("/api/v1/me/preparation"));
export const loadEducation = () => load("education", () => api.get("/api/v1/me/education"));

/** Check-ins since the procedure (at most two years back), newest first. */
export async function loadCheckins() {
  return load("checkins", async () => {
    const recovery = await api.get("/api/v1/me/recovery");
    const today = recovery.today;
    const since = recovery.procedure ? recovery.procedure.procedure_date : addDays(today, -90);
    const from = since < addDays(today, -730) ? addDays(today, -730) : since;
    // Missed days can be added for the last week: make sure those are always in the list.
    const start = from < addDays(today, -8) ? from : addDays(today, -8);
    return getAll(`/api/v1/me/checkins?date_from=${start}&date_to=${today}`);
  });
}

/** Put a check-in the server confirmed into the remembered list and today's summary, so screens agree offline. */
export async function rememberCheckin(checkin) {
  const list = await recall("checkins");
  const items = list ? list.value.filter((c) => c.id !== checkin.id && c.local_date !== checkin.local_date) : [];
  items.push(checkin);
  items.sort((a, b) => (a.local_date < b.local_date ? 1 : -1));
  await remember("checkins", items);
}

/** Fill the phone's copy of what the patient screens need, so they open offline later. */
export async function warmPatientCache() {
  if (!isOnline()) return;
  await Promise.allSettled([
    loadForms(),
    loadRecovery(),
    loadExercisesToday(),
    loadMilestones(),
    loadAssessments(),
    loadCheckins(),
    loadProgress(),
    loadPreparation(),
    loadEducation(),
  ]);
}

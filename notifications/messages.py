"""What each kind of notification says, on each channel, in the recipient's language.

Push payloads and emails carry no health details (no symptoms, scores or patient names): a lock screen or a mailbox
is not private. The in-app inbox, behind sign-in, may say more.

Every text is rendered at send time in the language of the person who receives it (`build(..., language=...)`), so a
person who changes their language between planning and sending gets the new one. Dates use Django's locale formats
in that language ("June 3" / "3 de junio").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from journey.selectors import clock_time
from notifications.models import Delivery, Kind, Topic
from recovery.wording import instruction_out, text_of


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str
    # Web Push: how long the push service may hold it for an offline device, and how eagerly to wake the device.
    ttl_seconds: int
    urgency: str
    # The inbox text may name the patient and the alert; push and email use title/body only.
    inbox_body: str | None = None
    # The email's subject line (EMAIL_SUBJECTS, in the same language as the rest).
    subject: str = ""


TOPIC_OF_KIND = {
    Kind.CHECKIN_REMINDER: Topic.CHECKIN,
    Kind.CHECKIN_NUDGE: Topic.CHECKIN,
    Kind.EXERCISE_REMINDER: Topic.EXERCISE,
    Kind.MILESTONE_OPENED: Topic.MILESTONE,
    Kind.MILESTONE_CLOSING: Topic.MILESTONE,
    Kind.BASELINE_REMINDER: Topic.MILESTONE,
    Kind.PREPARATION_REMINDER: Topic.MILESTONE,
    Kind.MEDICINE_STOP: Topic.MILESTONE,
    Kind.MEDICINE_RESTART: Topic.MILESTONE,
    Kind.PROCEDURE_EVE: Topic.MILESTONE,
    Kind.ALERT_DIGEST: Topic.ALERT_DIGEST,
}

# Lazy: each is rendered in the language active when it is read (the recipient's, inside `build`).
EMAIL_SUBJECTS = {
    Kind.CHECKIN_REMINDER: gettext_lazy("Time for today's check-in"),
    Kind.CHECKIN_NUDGE: gettext_lazy("We have not heard from you for a few days"),
    Kind.EXERCISE_REMINDER: gettext_lazy("Time for your exercises"),
    Kind.MILESTONE_OPENED: gettext_lazy("Your recovery check-up is open"),
    Kind.MILESTONE_CLOSING: gettext_lazy("Your recovery check-up closes soon"),
    Kind.BASELINE_REMINDER: gettext_lazy("Before your procedure: a few questions"),
    Kind.PREPARATION_REMINDER: gettext_lazy("Getting ready for your procedure"),
    Kind.MEDICINE_STOP: gettext_lazy("About your medicine today"),
    Kind.MEDICINE_RESTART: gettext_lazy("About your medicine today"),
    Kind.PROCEDURE_EVE: gettext_lazy("Getting ready for your procedure"),
    Kind.ALERT: gettext_lazy("A patient needs attention"),
    Kind.ALERT_ESCALATION: gettext_lazy("An alert is waiting for someone to respond"),
    Kind.ALERT_DIGEST: gettext_lazy("Today's watch list"),
}

# What the one-click unsubscribe page calls each topic, in plain words.
TOPIC_NAMES = {
    Topic.CHECKIN: gettext_lazy("the daily check-in"),
    Topic.EXERCISE: gettext_lazy("your exercises"),
    Topic.MILESTONE: gettext_lazy("your recovery check-ups"),
    Topic.ALERT_EMERGENCY: gettext_lazy("emergency alerts"),
    Topic.ALERT_URGENT: gettext_lazy("urgent alerts"),
    Topic.ALERT_DIGEST: gettext_lazy("the daily digest of watch alerts"),
}

HOUR = 60 * 60


def day_month(value: dt.date) -> str:
    """ "June 3" / "3 de junio": the locale's month-and-day format in the active language."""
    return date_format(value, "MONTH_DAY_FORMAT")


def weekday_day_month(value: dt.date) -> str:
    """ "Wednesday, June 3" / "miércoles, 3 de junio"."""
    return pgettext("weekday, then day and month", "%(weekday)s, %(day_month)s") % {
        "weekday": date_format(value, "l"),
        "day_month": day_month(value),
    }


def build(delivery: Delivery, context: Mapping[str, Any] | None = None, *, language: str | None = None) -> Message:
    """The message for one delivery, in `language` (the recipient's; the default language when not given).

    `context` carries the few names and dates the inbox text uses (looked up in batch); dates are `datetime.date`
    values, formatted here in that language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        message = _build(delivery, context or {})
        subject = EMAIL_SUBJECTS.get(Kind(delivery.kind))
        return replace(message, subject=str(subject) if subject else message.title)


def _date(context: Mapping[str, Any], key: str, *, weekday: bool = False) -> str:
    """A date of the context in the active language's format, or "" when the context has none."""
    value = context.get(key)
    if isinstance(value, dt.date):
        return weekday_day_month(value) if weekday else day_month(value)
    return ""


def _time(context: Mapping[str, Any], key: str) -> str:
    """A time of day of the context in the active language's format ("07:30"), or "" when the context has none."""
    value = context.get(key)
    return clock_time(value) if isinstance(value, dt.time) else ""


def _milestone(context: Mapping[str, Any], default: str) -> str:
    """The milestone's title in the active language (the context holds the patient's milestone row)."""
    value = context.get("milestone")
    if value is None:
        return default
    return str(text_of(value, "title")) if hasattr(value, "translations") else str(value)


def _build(delivery: Delivery, context: Mapping[str, Any]) -> Message:
    app = settings.APP_URL
    kind = delivery.kind
    milestone = _milestone(context, _("Your check-up"))
    closes_on = _date(context, "closes_on")
    procedure_on = _date(context, "procedure_on", weekday=True)
    item = str(context.get("item") or _("an item on your checklist"))
    medicine = str(context.get("medicine") or _("your blood thinner"))
    if kind == Kind.CHECKIN_REMINDER:
        return Message(_("Time for today's check-in"), _("It takes a minute. Tell us how you are today."),
                       f"{app}/app/checkin", 12 * HOUR, "normal")  # fmt: skip
    if kind == Kind.CHECKIN_NUDGE:
        return Message(
            _("We have not heard from you for a few days"),
            _("A quick check-in helps your care team see how you are doing."),
            f"{app}/app/checkin", 12 * HOUR, "normal",
        )  # fmt: skip
    if kind == Kind.EXERCISE_REMINDER:
        return Message(_("Time for your exercises"), _("Your exercises for now are ready in the app."),
                       f"{app}/app/exercises", 2 * HOUR, "normal")  # fmt: skip
    if kind == Kind.MILESTONE_OPENED:
        return Message(
            _("Your recovery check-up is open"),
            _("A few questions about how you are doing. It helps your care team see your progress."),
            f"{app}/app/assessments", 3 * 24 * HOUR, "low",
            inbox_body=_("%(milestone)s is open until %(date)s.") % {"milestone": milestone, "date": closes_on}
            if closes_on else _("%(milestone)s is open now.") % {"milestone": milestone},
        )  # fmt: skip
    if kind == Kind.MILESTONE_CLOSING:
        return Message(
            _("Your recovery check-up closes soon"),
            _("Please answer the check-up questions in the next few days."),
            f"{app}/app/assessments", 24 * HOUR, "normal",
            inbox_body=_("%(milestone)s closes on %(date)s.") % {"milestone": milestone, "date": closes_on}
            if closes_on else _("%(milestone)s closes soon.") % {"milestone": milestone},
        )  # fmt: skip
    if kind == Kind.BASELINE_REMINDER:
        return Message(
            _("Before your procedure: a few questions"),
            _("Please answer a few questions about how you are now. They help your care team see how much you "
              "improve."),
            f"{app}/app/assessments", 24 * HOUR, "normal",
            inbox_body=_("Your procedure is on %(date)s. Please answer the questions about how you are before then.")
            % {"date": procedure_on}
            if procedure_on else _("Please answer the questions about how you are before your procedure."),
        )  # fmt: skip
    if kind == Kind.PREPARATION_REMINDER:
        # Push and email do not name the item (blood sugar would tell a lock screen about diabetes).
        return Message(
            _("Getting ready for your procedure"),
            _("Something on your checklist is due today. Please open the app to see it."),
            f"{app}/app/today", 24 * HOUR, "normal",
            inbox_body=_("Please do this today: %(item)s. Then tick it on your checklist.") % {"item": item},
        )  # fmt: skip
    if kind == Kind.MEDICINE_STOP:
        return Message(
            _("About your medicine today"),
            _("Your clinic asked you to change one of your medicines. Please open the app to see it."),
            f"{app}/app/today", 24 * HOUR, "normal",
            inbox_body=_("Today is your first day without %(medicine)s, as your clinic asked. If you are not sure, "
                         "call your clinic.") % {"medicine": medicine},
        )  # fmt: skip
    if kind == Kind.MEDICINE_RESTART:
        return Message(
            _("About your medicine today"),
            _("Your clinic asked you to change one of your medicines. Please open the app to see it."),
            f"{app}/app/today", 24 * HOUR, "normal",
            inbox_body=_("Your clinic says you may start %(medicine)s again today. If you are not sure, call your "
                         "clinic.") % {"medicine": medicine},
        )  # fmt: skip
    if kind == Kind.PROCEDURE_EVE:
        # Push and email name no item (fasting would tell a lock screen about sedation).
        eve = {"items": str(context.get("items") or _("what is on your checklist for the day")),
               "time": _time(context, "arrival")}  # fmt: skip
        return Message(
            _("Getting ready for your procedure"),
            _("Your procedure is tomorrow. Please open the app to see what to remember."),
            f"{app}/app/today", 24 * HOUR, "normal",
            inbox_body=_("Your procedure is tomorrow. Please remember: %(items)s. Please arrive at %(time)s.") % eve
            if eve["time"] else _("Your procedure is tomorrow. Please remember: %(items)s.") % eve,
        )  # fmt: skip
    if kind in (Kind.ALERT, Kind.ALERT_ESCALATION):
        tier = str(context.get("tier", ""))
        escalated = kind == Kind.ALERT_ESCALATION
        titles = {
            (True, "emergency"): _("Emergency alert: not yet acknowledged"),
            (False, "emergency"): _("Emergency alert"),
            (True, "urgent"): _("Urgent alert: not yet acknowledged"),
            (False, "urgent"): _("Urgent alert"),
        }
        fallback = _("Alert: not yet acknowledged") if escalated else _("Alert")
        return Message(
            titles.get((escalated, tier), fallback),
            _("A patient needs attention. Open the alert queue."),
            f"{app}/app/clinician/alerts/{delivery.subject_id}",
            HOUR if tier == "emergency" else 4 * HOUR,
            "high",
            inbox_body=_("%(patient)s: %(alert)s.")
            % {
                "patient": context.get("patient") or _("A patient"),
                "alert": context.get("alert") or _("red flag reported"),
            },
        )
    if kind == Kind.ALERT_DIGEST:
        return Message(
            _("Today's watch list"),
            _("Some of your patients have new watch-tier alerts to review."),
            f"{app}/app/clinician/alerts?tier=watch",
            12 * HOUR,
            "low",
            inbox_body=_("Some new watch-tier alerts since yesterday."),
        )
    raise ValueError(f"Unknown kind {kind}")


# --- For caregivers -----------------------------------------------------------------------------------------------
# A caregiver with a patient's "reminders" grant gets a copy of each of the patient's reminders, and what to do now
# when the patient reports an emergency or urgent warning sign (Kind.CAREGIVER_ALERT). Push and email say neither
# the patient's name nor anything about their health; the inbox item, behind sign-in, names the patient and, for a
# warning sign, gives the same advice the patient was shown (with the numbers to call), never the warning sign itself.


@dataclass(frozen=True)
class CaregiverMessage(Message):
    # The inbox item's title, which names the patient (push and email use `title`).
    inbox_title: str | None = None


def build_for_caregiver(
    delivery: Delivery, context: Mapping[str, Any] | None = None, *, language: str | None = None
) -> CaregiverMessage:
    """A caregiver's copy of a patient's reminder, or what to do now after a warning sign, in `language` (the
    caregiver's). `context` names the patient (`patient_first`) and, for a warning sign, holds the rule set's
    instruction and the clinic, rendered here in that language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        message = _build_for_caregiver(delivery, context or {})
        if delivery.kind == Kind.CAREGIVER_ALERT:
            return replace(message, subject=_("Someone you help needs you: please open the app"))
        return replace(message, subject=message.title)


def _build_for_caregiver(delivery: Delivery, context: Mapping[str, Any]) -> CaregiverMessage:
    app = settings.APP_URL
    kind = delivery.kind
    names = {"who": context.get("patient_first") or _("the person you help")}
    milestone = _milestone(context, _("The check-up"))
    closes_on = _date(context, "closes_on") or _("soon")
    procedure_on = _date(context, "procedure_on", weekday=True)

    def reminder(inbox_title: str, inbox_body: str, path: str, ttl: int, urgency: str = "normal") -> CaregiverMessage:
        return CaregiverMessage(
            _("A reminder for someone you help"), _("Please open the app to see it."), f"{app}{path}", ttl, urgency,
            inbox_body=inbox_body, inbox_title=inbox_title,
        )  # fmt: skip

    if kind == Kind.CHECKIN_REMINDER:
        return reminder(
            _("%(who)s's check-in for today") % names,
            _("It is time for %(who)s's daily check-in. It takes a minute. Please remind %(who)s, or help with it.")
            % names,
            "/app/checkin", 12 * HOUR,
        )  # fmt: skip
    if kind == Kind.CHECKIN_NUDGE:
        return reminder(
            _("%(who)s has not checked in for a few days") % names,
            _(
                "A quick check-in helps %(who)s's care team see how things are going. Please remind %(who)s, or "
                "help with it."
            ) % names,
            "/app/checkin", 12 * HOUR,
        )  # fmt: skip
    if kind == Kind.EXERCISE_REMINDER:
        return reminder(
            _("%(who)s's exercises") % names,
            _("It is time for %(who)s's exercises. They are ready in the app.") % names,
            "/app/exercises", 2 * HOUR,
        )  # fmt: skip
    if kind == Kind.MILESTONE_OPENED:
        return reminder(
            _("%(who)s's recovery check-up is open") % names,
            _("%(milestone)s is open until %(date)s. It is a few questions about how %(who)s is doing.")
            % {**names, "milestone": milestone, "date": closes_on},
            "/app/assessments", 3 * 24 * HOUR, "low",
        )  # fmt: skip
    if kind == Kind.MILESTONE_CLOSING:
        return reminder(
            _("%(who)s's recovery check-up closes soon") % names,
            _("%(milestone)s closes on %(date)s. Please remind %(who)s to answer the questions.")
            % {**names, "milestone": milestone, "date": closes_on},
            "/app/assessments", 24 * HOUR,
        )  # fmt: skip
    if kind == Kind.BASELINE_REMINDER:
        body = (
            _(
                "%(who)s's procedure is on %(date)s. Please remind %(who)s to answer the questions about how things "
                "are now, before that day."
            )
            % {**names, "date": procedure_on}
            if procedure_on
            else _("Please remind %(who)s to answer the questions about how things are now, before the procedure.")
            % names
        )
        return reminder(
            _("%(who)s: a few questions before the procedure") % names, body, "/app/assessments", 24 * HOUR
        )  # fmt: skip
    if kind == Kind.PREPARATION_REMINDER:
        item = str(context.get("item") or _("an item on the checklist"))
        return reminder(
            _("%(who)s: getting ready for the procedure") % names,
            _("This is due today on %(who)s's checklist: %(item)s. Please remind %(who)s, or help with it.")
            % {**names, "item": item},
            "/app/today", 24 * HOUR,
        )  # fmt: skip
    if kind in (Kind.MEDICINE_STOP, Kind.MEDICINE_RESTART):
        medicine = {**names, "medicine": context.get("medicine") or _("the blood thinner")}
        body = (
            _("Today is %(who)s's first day without %(medicine)s, as the clinic asked. Please remind %(who)s.")
            if kind == Kind.MEDICINE_STOP
            else _("The clinic says %(who)s may start %(medicine)s again today. Please remind %(who)s.")
        )
        return reminder(_("%(who)s: about a medicine today") % names, body % medicine, "/app/today", 24 * HOUR)
    if kind == Kind.PROCEDURE_EVE:
        eve = {**names, "items": str(context.get("items") or _("what is on the checklist for the day")),
               "time": _time(context, "arrival")}  # fmt: skip
        body = (
            _("%(who)s's procedure is tomorrow. Please help %(who)s remember: %(items)s. %(who)s should arrive at "
              "%(time)s.")
            if eve["time"]
            else _("%(who)s's procedure is tomorrow. Please help %(who)s remember: %(items)s.")
        )  # fmt: skip
        return reminder(_("%(who)s: getting ready for the procedure") % names, body % eve, "/app/today", 24 * HOUR)
    if kind == Kind.CAREGIVER_ALERT:
        emergency = context.get("tier") == "emergency"
        instruction = context.get("instruction")
        advice = instruction_out(instruction, context.get("clinic")) if instruction is not None else None
        title = advice["title"] if advice else _("What to do now")
        return CaregiverMessage(
            _("Please open the app now") if emergency else _("Please open the app today"),
            _("Someone you help needs you. Open the app to see what to do."),
            f"{app}/app/inbox", HOUR if emergency else 4 * HOUR, "high",
            inbox_title=_("%(who)s: %(title)s") % {**names, "title": title},
            inbox_body=_("%(who)s told us about a warning sign and was given this advice: %(advice)s")
            % {**names, "advice": advice["text"] if advice else _("Please call their clinic.")},
        )  # fmt: skip
    raise ValueError(f"No caregiver message for kind {kind}")

"""The visit report laid out as a PDF with ReportLab: US Letter, embedded Vera fonts, black and greys only.

The report is a list of sections (SECTIONS), each a function from the gathered VisitReport to flowables; a section
with nothing to say returns an empty list. Adding one is one function here, its data in VisitReport
(interop.report.content), and one line in SECTIONS. Sections are kept whole on a page
where they fit; the content limits the long lists (ALERTS_LISTED, EXERCISE_WEEKS_LISTED) so the report stays within
three pages.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from interop.report.charts import PAIN_LINES, TOLERANCE_LINES, Reference, line_chart
from interop.report.content import OutcomeRow, VisitReport
from interop.report.fonts import BODY_FONT, BOLD_FONT

MARGIN = 16 * mm
WIDTH = LETTER[0] - 2 * MARGIN
LIGHT = colors.Color(0.9, 0.9, 0.9)
MUTED = colors.Color(0.35, 0.35, 0.35)

TITLE = ParagraphStyle("title", fontName=BOLD_FONT, fontSize=15, leading=19, spaceAfter=2)
HEADING = ParagraphStyle("heading", fontName=BOLD_FONT, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", fontName=BODY_FONT, fontSize=8.5, leading=11, alignment=TA_LEFT)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5, textColor=MUTED)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7.5, leading=9.5)

Section = Callable[[VisitReport], list[Flowable]]


def render_pdf(report: VisitReport) -> bytes:
    """The report as PDF bytes."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"Visit report: {report.patient_name}",
        author=report.clinic or "MILD Recovery",
        subject=report.visit,
        creator="MILD Recovery",
    )
    story: list[Flowable] = []
    for section in SECTIONS:
        story += section(report)
    footer = f"{report.patient_name}, born {report.date_of_birth:%d %b %Y}. Visit report made {_made(report)}."
    document.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


# --- Sections ---------------------------------------------------------------------------------------------------------


def patient_and_procedure(report: VisitReport) -> list[Flowable]:
    procedure = report.procedure
    day = f"Day {report.day} after the procedure" if report.day is not None else "Procedure not done yet"
    people = [
        ("Patient", report.patient_name),
        ("Born", f"{report.date_of_birth:%d %b %Y} (age {report.age})"),
        ("Clinic", report.clinic or "-"),
        ("Primary clinician", report.primary_clinician or "-"),
    ]
    episode = [
        ("Visit", report.visit),
        ("Procedure", f"MILD, {procedure.procedure_date:%d %b %Y}" if procedure else "None recorded"),
        ("Levels and side", _levels(report) if procedure else "-"),
        ("Day", day if procedure else "-"),
    ]
    rows = [[_label(a), _cell(b), _label(c), _cell(d)] for (a, b), (c, d) in zip(people, episode, strict=True)]
    table = Table(rows, colWidths=[28 * mm, WIDTH / 2 - 28 * mm, 26 * mm, WIDTH / 2 - 26 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [
        Paragraph("Visit report: recovery after MILD", TITLE),
        Paragraph(f"{escape(report.visit)}. {escape(day)}. Data up to {_as_of(report)}.", BODY),
        Spacer(1, 4),
        table,
    ]


def charts(report: VisitReport) -> list[Flowable]:
    if report.procedure is None:
        return []
    step = 1 if report.bucket == "day" else 7
    what = "each day's check-in" if report.bucket == "day" else "weekly means of the check-ins"
    references: list[Reference] = []
    if report.baseline_pain is not None:
        back, leg = report.baseline_pain
        references += [Reference(v, f"baseline {n} {_num(v)}") for n, v in (("back", back), ("leg", leg)) if v]
    pain = line_chart(
        report.points, PAIN_LINES, title="Pain since the baseline (0 = none, 10 = worst)", y_label="NPRS",
        y_max=10, step=step, references=references, width=WIDTH,
    )  # fmt: skip
    walking = line_chart(
        report.points, TOLERANCE_LINES, title="Walking and standing since the baseline", y_label="minutes",
        step=step, width=WIDTH,
    )  # fmt: skip
    return [
        KeepTogether(
            [
                Paragraph("Pain, walking and standing", HEADING),
                Paragraph(f"From {what}; a gap is a day without a value.", SMALL),
                pain,
                walking,
            ]
        )
    ]


def outcome_measures(report: VisitReport) -> list[Flowable]:
    if report.procedure is None:
        return []
    heading = Paragraph("Outcome measures: change from baseline", HEADING)
    if not report.outcome_rows:
        return [heading, Paragraph("No outcome measures recorded for this procedure.", BODY)]
    rows = [[_label(h) for h in ("Measure", "At", "Baseline", "Now", "Change", "Responder (MCID)")]]
    rows += [
        [
            _cell(r.label),
            _cell(r.timepoint if r.day is None else f"{r.timepoint} (day {r.day})"),
            _cell(_num(r.baseline)),
            _cell(_num(r.current)),
            _cell(_signed(r.change)),
            _cell(f"{_responder(r.responder)} ({r.mcid})"),
        ]
        for r in report.outcome_rows
    ]
    table = Table(rows, colWidths=[48 * mm, 34 * mm, 18 * mm, 16 * mm, 18 * mm, WIDTH - 134 * mm], repeatRows=1)
    table.setStyle(_grid())
    summary = _odi_summary(report.outcome_rows)
    return [
        KeepTogether([heading, *([Paragraph(escape(summary), BODY), Spacer(1, 3)] if summary else []), table]),
        Spacer(1, 2),
        Paragraph(
            "Change is now minus baseline; lower is better for every measure listed. A responder improved by at least "
            "the minimal clinically important difference (MCID), judged on exact scores; ODI 10 points is the "
            "MiDAS ENCORE responder definition.",
            SMALL,
        ),
    ]


def exercise_adherence(report: VisitReport) -> list[Flowable]:
    if report.procedure is None:
        return []
    heading = Paragraph("Exercise adherence", HEADING)
    if report.exercise_overall is None:
        return [heading, Paragraph("No exercise plan for this procedure.", BODY)]
    rows = [[_label(h) for h in ("Week", "Sessions due", "Completed", "Adherence")]]
    for week in (*report.exercise_weeks, report.exercise_overall):
        rows.append([_cell(week.week), _cell(str(week.scheduled)), _cell(_num(week.completed)), _cell(_pct(week))])
    table = Table(rows, colWidths=[50 * mm, 30 * mm, 30 * mm, 30 * mm])
    table.setStyle(_grid(total_row=True))
    note = "Sessions already due; a session partly done counts as half."
    return [KeepTogether([heading, table, Spacer(1, 2), Paragraph(note, SMALL)])]


def alerts(report: VisitReport) -> list[Flowable]:
    if report.procedure is None:
        return []
    heading = Paragraph("Alerts and how they were handled", HEADING)
    if not report.alerts:
        return [heading, Paragraph("No alerts were raised in this period.", BODY)]
    rows = [[_label(h) for h in ("Raised", "Tier", "Alert", "State", "Acknowledged", "Resolved and note")]]
    for alert in report.alerts:
        resolved = alert.resolved + (f": {alert.note}" if alert.note else "")
        rows.append(
            [
                _cell(f"{alert.raised_at:%d %b %H:%M}" + (f" (day {alert.day})" if alert.day is not None else "")),
                _cell(alert.tier),
                _cell(alert.title),
                _cell(alert.state),
                _cell(alert.acknowledged or "not yet"),
                _cell(resolved or "not yet"),
            ]
        )
    table = Table(rows, colWidths=[27 * mm, 17 * mm, 42 * mm, 22 * mm, 32 * mm, WIDTH - 140 * mm], repeatRows=1)
    table.setStyle(_grid())
    more = []
    if report.alerts_not_listed:
        more = [Paragraph(f"{report.alerts_not_listed} earlier alerts are not listed here.", SMALL)]
    times = Paragraph(f"Times in the patient's time zone ({escape(report.time_zone)}).", SMALL)
    return [heading, table, *more, times]


def adverse_events(report: VisitReport) -> list[Flowable]:
    if report.procedure is None:
        return []
    heading = Paragraph("Adverse events", HEADING)
    if not report.adverse_events:
        return [heading, Paragraph("No adverse event has been recorded for this procedure.", BODY)]
    rows = [[_label(h) for h in ("Onset", "What", "Grade", "Related to", "Care needed", "Outcome")]]
    for event in report.adverse_events:
        what = event.kind_other if event.kind == "other" and event.kind_other else event.get_kind_display()
        care = [
            name
            for name, used in (
                ("emergency visit", event.emergency_visit),
                ("hospital stay", event.hospital_admission),
                ("further surgery", event.further_surgery),
            )
            if used
        ]
        rows.append(
            [
                _cell(f"{event.onset_date:%d %b %Y}" if event.onset_date else "not given"),
                _cell(what or "not given"),
                _cell(event.grade or "not graded"),
                _cell(event.get_relatedness_display() or "not given"),
                _cell(", ".join(care) or "none"),
                _cell(event.get_outcome_display() or "not given"),
            ]
        )
    table = Table(rows, colWidths=[24 * mm, 38 * mm, 18 * mm, 30 * mm, 34 * mm, WIDTH - 144 * mm], repeatRows=1)
    table.setStyle(_grid())
    grades = Paragraph("Grades are Clavien-Dindo (Dindo, Demartines, Clavien, Ann Surg 2004).", SMALL)
    return [heading, table, grades]


def trial_reference(report: VisitReport) -> list[Flowable]:
    reference = report.reference
    labels = {
        "odi_percent": "ODI",
        "back_pain": "Back pain",
        "leg_pain": "Leg pain",
        "zcq_symptom_severity": "ZCQ symptom severity",
        "zcq_physical_function": "ZCQ physical function",
    }
    rows = [[_label(h) for h in ("Score", "Trial: mean improvement at 2 years", "This patient: expected at 2 years")]]
    for score, label in labels.items():
        at_two_years = reference["series"][score][-1]
        rows.append(
            [
                _cell(label),
                _cell(_num(at_two_years["expected_improvement"])),
                _cell(_num(at_two_years["expected_score"]) if at_two_years["expected_score"] is not None else "-"),
            ]
        )
    table = Table(rows, colWidths=[50 * mm, 60 * mm, 60 * mm])
    table.setStyle(_grid())
    return [
        KeepTogether(
            [
                Paragraph(f"Trial reference: {escape(reference['population'])}", HEADING),
                table,
                Spacer(1, 2),
                Paragraph(escape(reference["source"]), SMALL),
                Paragraph(escape(reference["method"]), SMALL),
            ]
        )
    ]


SECTIONS: Sequence[Section] = (
    patient_and_procedure,
    charts,
    outcome_measures,
    exercise_adherence,
    alerts,
    adverse_events,
    trial_reference,
)


# --- Pieces -----------------------------------------------------------------------------------------------------------


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that writes "page N of M" and the footer on every page (M is known once every page is laid out)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Without this every page would start in Helvetica, a font that is not embedded.
            super().__init__(*args, **{**kwargs, "initialFontName": BODY_FONT})
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(BODY_FONT, 7)
                self.setFillColor(MUTED)
                self.drawString(MARGIN, MARGIN - 2 * mm, footer)
                self.drawRightString(
                    LETTER[0] - MARGIN, MARGIN - 2 * mm, f"Page {self._pageNumber} of {len(self._pages)}"
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def _grid(*, total_row: bool = False) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),  # a table sets each cell's font, Paragraph or not: no Helvetica
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, MUTED),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_row:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.black))
    return TableStyle(commands)


def _label(text: str) -> Paragraph:
    return Paragraph(f"<b>{escape(text)}</b>", CELL)


def _cell(text: str) -> Paragraph:
    return Paragraph(escape(text), CELL)


def _levels(report: VisitReport) -> str:
    procedure = report.procedure
    assert procedure is not None  # noqa: S101 (callers check)
    levels = ", ".join(procedure.levels) or "not recorded"
    return f"{levels}; {procedure.get_side_display().lower()}"


def _as_of(report: VisitReport) -> str:
    end = report.episode_end or report.today
    return f"{end:%d %b %Y}"


def _made(report: VisitReport) -> str:
    return f"{report.generated_at:%d %b %Y %H:%M} UTC"


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _signed(value: float | None) -> str:
    if value is None:
        return "-"
    return f"+{_num(value)}" if value > 0 else _num(value)


def _pct(week: Any) -> str:
    return "-" if week.adherence is None else f"{_num(round(week.adherence * 100, 1))}%"


def _responder(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "-"}[value]


def _odi_summary(rows: Sequence[OutcomeRow]) -> str:
    """One sentence on the latest ODI against baseline: the trial's primary responder measure."""
    odi = [r for r in rows if r.label.startswith("ODI") and r.change is not None]
    if not odi:
        return ""
    latest = odi[-1]
    status = "a responder" if latest.responder else "not a responder"
    return (
        f"ODI {_num(latest.baseline)} at baseline, {_num(latest.current)} at {latest.timepoint}: change "
        f"{_signed(latest.change)} points, {status} (an improvement of 10 points or more makes a responder)."
    )

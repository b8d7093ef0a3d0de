"""The visit report: one to three printable pages a clinician files in the hospital's record after a recovery visit
(2-3 weeks, 6-8 weeks and later), and the patient's own copy. `content` gathers what it says through the other apps'
selectors, `charts` draws the charts as vector graphics, `pdf` lays the pages out with ReportLab."""

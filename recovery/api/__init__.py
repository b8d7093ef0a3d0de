"""Recovery over HTTP: `patients` (the patient's own timeline and check-ins, their care team's view), `alerts`
(triage and every alert action), `protocols` (the clinic's protocol)."""

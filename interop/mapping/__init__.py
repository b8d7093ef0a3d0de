"""From our records to FHIR R4 resources (plain dicts, JSON-ready). Pure functions of rows already loaded."""

"""Patient, Practitioner, Organization and CareTeam: no more than the record holds (no gender, no address: we have
none)."""

from __future__ import annotations

from typing import Any

from interop.mapping.common import ref
from interop.sources import CareTeamMember, Clinic, PatientProfile, User


def patient(profile: PatientProfile, care_team: list[CareTeamMember]) -> dict[str, Any]:
    user = profile.user
    telecom = [{"system": "email", "value": user.email}]
    if profile.phone:
        telecom.append({"system": "phone", "value": profile.phone, "use": "mobile"})
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(user.pk),
        "active": user.is_active,
        "name": [{"text": user.full_name}],
        "telecom": telecom,
        "birthDate": profile.date_of_birth.isoformat(),
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": profile.user.language}]}}],
    }
    if profile.emergency_contact_name or profile.emergency_contact_phone:
        contact: dict[str, Any] = {}
        if profile.emergency_contact_relationship:
            contact["relationship"] = [{"text": profile.emergency_contact_relationship}]
        if profile.emergency_contact_name:
            contact["name"] = {"text": profile.emergency_contact_name}
        if profile.emergency_contact_phone:
            contact["telecom"] = [{"system": "phone", "value": profile.emergency_contact_phone}]
        resource["contact"] = [contact]
    primary = [m for m in care_team if m.is_primary]
    if primary:
        resource["generalPractitioner"] = [ref("Practitioner", primary[0].clinician_id)]
    if user.clinic_id:
        resource["managingOrganization"] = ref("Organization", user.clinic_id)
    return resource


def practitioner(user: User) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": str(user.pk),
        "active": user.is_active,
        "name": [{"text": user.full_name}],
        "telecom": [{"system": "email", "value": user.email, "use": "work"}],
    }


def organization(clinic: Clinic) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": str(clinic.pk),
        "active": True,
        "type": [{"text": "Spine clinic"}],
        "name": clinic.name,
        "telecom": [{"system": "phone", "value": clinic.phone, "use": "work"}],
    }


def care_team(profile: PatientProfile, members: list[CareTeamMember]) -> dict[str, Any]:
    """A patient's care team; its id is the patient's (each patient has exactly one)."""
    resource: dict[str, Any] = {
        "resourceType": "CareTeam",
        "id": str(profile.pk),
        "status": "active",
        "name": f"Care team of {profile.user.full_name}",
        "subject": ref("Patient", profile.pk),
        "participant": [
            {
                "role": [{"text": "Primary clinician" if m.is_primary else "Clinician"}],
                "member": ref("Practitioner", m.clinician_id, m.clinician.full_name),
                "period": {"start": m.added_at.date().isoformat()},
            }
            for m in members
        ],
    }
    if profile.user.clinic_id:
        resource["managingOrganization"] = [ref("Organization", profile.user.clinic_id)]
    return resource

"""Recovery models: the recovery timeline (protocol, procedures, milestones, check-ins, assessments, alerts), the
candidate screening and adverse events."""

from recovery.models.core import *  # noqa: F403
from recovery.models.core import __all__ as _core_all
from recovery.models.safety import *  # noqa: F403
from recovery.models.safety import __all__ as _safety_all

__all__ = [*_core_all, *_safety_all]

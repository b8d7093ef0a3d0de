"""Recovery models, split by subject: the recovery timeline (core) and physical therapy (exercises)."""

from recovery.models.core import *  # noqa: F403
from recovery.models.core import __all__ as _core_all
from recovery.models.exercises import *  # noqa: F403
from recovery.models.exercises import __all__ as _exercises_all

__all__ = [*_core_all, *_exercises_all]

"""actlib: activation functions for deep learning, in NumPy, written to be taught.

The flat functional API (``actlib.sigmoid``, ``actlib.elu_grad``, ...) lives in
:mod:`actlib.functional`; the activation records in :mod:`actlib.registry`.
Teaching helpers are submodules imported on demand: ``actlib.plotting``,
``actlib.explore``, ``actlib.nn`` and ``actlib.exercises``.
"""

from . import functional, registry
from .functional import *  # noqa: F403
from .functional import __all__ as _functional_all

__version__ = "0.1.0"
__all__ = ["functional", "registry", *_functional_all]

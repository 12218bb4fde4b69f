"""Column roles, French identifier validators and the normalized view.

``detect_roles`` gives each working-copy column a role (docs/contracts.md §3) from header and
content evidence; ``normalize`` builds the normalized view (§5) every analysis reads.
"""

from __future__ import annotations

from dumpscope.roles.detect import detect_roles
from dumpscope.roles.headers import ROLES
from dumpscope.roles.mapping import load_mapping
from dumpscope.roles.normalize import normalize  # the function shadows the submodule name

__all__ = ["ROLES", "detect_roles", "load_mapping", "normalize"]

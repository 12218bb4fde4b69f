"""``python -m dumpscope.synth --rows N --seed S --out PATH``."""

from __future__ import annotations

import sys

from dumpscope.synth.cli import main

sys.exit(main())

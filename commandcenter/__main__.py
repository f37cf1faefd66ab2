"""`python -m commandcenter` runs the same CLI as the `commandcenter` script."""

from __future__ import annotations

import sys

from commandcenter.cli import main

sys.exit(main())

"""`python -m coach ...` entry point."""

import sys

from coach.cli import main

sys.exit(main())

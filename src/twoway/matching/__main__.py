"""`python -m twoway.matching INPUT ...` (the same as `twoway match INPUT ...`)."""

import sys

from twoway.matching.cli import main

sys.exit(main())

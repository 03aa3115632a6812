"""Run the `twoway` command the way a user does: in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys

# Variables of the developer's shell or of other tests that must not steer the command.
_INHERITED_NOT = {"DATABASE_URL", "SECRET_KEY", "TWOWAY_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_twoway(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _INHERITED_NOT}
    return subprocess.run(
        [sys.executable, "-m", "twoway.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )

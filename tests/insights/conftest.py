"""The health tests run at a fixed moment (`frozen_clock`), so that the fixed cast's
pairing (started 30 days before "now") is as old in every run, whatever the real date.

Not autouse: other insights tests keep the real clock unless they ask for it.
"""

import pytest
import time_machine

from tests.insights.health_helpers import NOW


@pytest.fixture
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield

"""Every insights test runs at a fixed moment, so that the fixed cast's pairing (started
30 days before "now") is as old in every run, whatever the real date."""

import pytest
import time_machine

from tests.insights.health_helpers import NOW


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield

import pytest
from django.utils import timezone

from tests.scheduling.helpers import NOW


@pytest.fixture
def at_nine(monkeypatch):
    """The clock stands at 09:00 today (Asia/Shanghai), whenever the tests run."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)

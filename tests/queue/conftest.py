import pytest

from yiyun.booking import facts, gate


@pytest.fixture(autouse=True)
def _fresh_booking_caches():
    facts.forget_all()
    gate.forget_local()
    yield
    facts.forget_all()
    gate.forget_local()

"""Triage tests run on the engine alone: no database, no Django settings needed."""

import pytest

from yiyun.triage import get_engine


@pytest.fixture(scope="session")
def engine():
    return get_engine()

import pytest

from yiyun.core import ticker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_by_path(monkeypatch):
    from django.utils.module_loading import import_string

    monkeypatch.setattr(ticker, "task_named", import_string)


def test_each_periodic_task_runs_when_due(settings):
    calls = []
    settings.PERIODIC_TASKS = {"tests.core.test_ticker.task_a": 30, "tests.core.test_ticker.task_b": 60}
    globals()["_calls"] = calls
    last: dict[str, float] = {}
    assert ticker.run_due(last, 1000.0) == ["tests.core.test_ticker.task_a", "tests.core.test_ticker.task_b"]
    assert ticker.run_due(last, 1020.0) == []
    assert ticker.run_due(last, 1031.0) == ["tests.core.test_ticker.task_a"]
    assert calls == ["a", "b", "a"]


def test_a_failing_task_does_not_stop_the_others(settings):
    settings.PERIODIC_TASKS = {"tests.core.test_ticker.task_boom": 1, "tests.core.test_ticker.task_a": 1}
    globals()["_calls"] = []
    assert ticker.run_due({}, 5.0) == ["tests.core.test_ticker.task_a"]


def test_configured_tasks_exist(monkeypatch):
    from django.conf import settings as real

    monkeypatch.undo()
    for name in real.PERIODIC_TASKS:
        assert callable(ticker.task_named(name))


def task_a():
    globals()["_calls"].append("a")


def task_b():
    globals()["_calls"].append("b")


def task_boom():
    raise RuntimeError("boom")

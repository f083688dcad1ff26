import pytest


@pytest.fixture(autouse=True)
def _tasks_run_at_once(tasks_at_once):
    """These tests are about what the tasks do (tests/conftest.py ``tasks_at_once``); tests/contact/test_delivery.py's
    broker tests use a broker of their own."""

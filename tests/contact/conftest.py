import pytest


@pytest.fixture(autouse=True)
def _tasks_run_at_once():
    """The project's tasks run in the test's process, as without a broker, even where CELERY_BROKER_URL is set (CI):
    these tests are about what the tasks do; tests/contact/test_delivery.py's broker tests use a broker of their own."""
    from perhekeskus.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager

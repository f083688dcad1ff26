"""The link check job against a local server of the tests' own: results, retries on schedule, no overlap."""

import datetime as dt

import psycopg
import pytest
import time_machine
from django.db import connection

from organisations.models import LinkCheck
from perhekeskus.linkcheck import checker, job
from perhekeskus.tasks import check_links_task
from tests.factories import MeetingPlaceFactory, OrganisationFactory, ServiceFactory, WebLinkFactory

from .server import local_server

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 2, 3, 20, tzinfo=dt.UTC)


@pytest.fixture
def server(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True  # the tests' own server is on loopback
    settings.LINK_CHECK_TIMEOUT = 0.5
    with local_server() as running:
        yield running


def options(**overrides):
    return checker.Options(
        **{"user_agent": "PerhekeskusLinkCheck/test", "timeout": 0.5, "allow_loopback": True, **overrides}
    )


def test_each_kind_of_answer(server):
    paths = ["/ok", "/missing", "/error", "/loop", "/moved", "/no-head", "/slow", "/to-metadata", "/to-file"]
    results = {
        # 1 s: under a loaded CI machine 0.5 s could expire on the local server's quick answers too (then the
        # redirect to link-local was never read); /slow still sleeps twice as long.
        r.url.removeprefix(server.base): r
        for r in checker.check_urls([server.base + p for p in paths], options(timeout=1.0))
    }
    assert (results["/ok"].outcome, results["/ok"].status) == (checker.OK, 200)
    assert (results["/missing"].outcome, results["/missing"].status) == (checker.BROKEN, 404)
    assert "404" in results["/missing"].error
    assert (results["/error"].outcome, results["/error"].status) == (checker.BROKEN, 500)
    assert results["/loop"].outcome == checker.BROKEN
    assert results["/loop"].error == "more than 3 redirects"
    assert (results["/moved"].outcome, results["/moved"].final_url) == (checker.OK, server.base + "/ok")
    assert (results["/no-head"].outcome, results["/no-head"].status) == (checker.OK, 200)
    assert results["/slow"].outcome == checker.UNREACHABLE
    assert results["/slow"].error == "no answer in time"
    assert results["/to-metadata"].outcome == checker.REFUSED  # loopback allowed for the test, link-local never
    assert results["/to-file"].outcome == checker.REFUSED
    # HEAD first; GET only where HEAD gave an error page; every request names the project.
    seen = server.seen
    assert ("HEAD", "/ok") in [(m, p) for m, p, _ua in seen]
    assert ("GET", "/ok") not in [(m, p) for m, p, _ua in seen]
    assert [m for m, p, _ua in seen if p == "/no-head"] == ["HEAD", "GET"]
    assert [m for m, p, _ua in seen if p == "/missing"] == ["HEAD", "GET"]
    assert [m for m, p, _ua in seen if p == "/loop"] == ["HEAD"] * (checker.MAX_REDIRECTS + 1)
    assert {ua for _m, _p, ua in seen} == {"PerhekeskusLinkCheck/test"}


def test_without_the_test_setting_the_local_server_is_refused(server, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    OrganisationFactory(website=server.base + "/ok")
    job.check_links()
    row = LinkCheck.objects.get()
    assert row.outcome == "refused"
    assert row.error == f"port {server.server_address[1]} is not a web port"
    assert row.broken_since is not None
    assert server.seen == []


@pytest.mark.parametrize(("concurrency", "per_host"), [(2, 5), (10, 2), (1, 2)])
def test_concurrency_is_bounded(server, concurrency, per_host):
    urls = [f"{server.base}/wait?{n}" for n in range(8)]
    results = checker.check_urls(urls, options(timeout=5, concurrency=concurrency, per_host=per_host))
    assert {r.outcome for r in results} == {checker.OK}
    assert server.max_active == min(concurrency, per_host)


def make_links(base):
    service = ServiceFactory(published=True)
    WebLinkFactory(service=service, url_fi=base + "/ok", url_sv=base + "/missing", url_en="")
    OrganisationFactory(website=base + "/error")
    MeetingPlaceFactory(published=True, website=base + "/moved")
    archived = ServiceFactory(state="archived")
    WebLinkFactory(service=archived, url_fi=base + "/loop")  # archived services are not checked


def test_the_job_stores_results_and_flags_broken_links(server):
    make_links(server.base)
    with time_machine.travel(START, tick=True):
        summary = job.check_links()
    assert summary.checked == 4
    assert summary.outcomes == {"ok": 2, "broken": 2}
    rows = {row.url.removeprefix(server.base): row for row in LinkCheck.objects.all()}
    assert set(rows) == {"/ok", "/missing", "/error", "/moved"}
    assert rows["/ok"].outcome == "ok" and rows["/ok"].broken_since is None
    assert rows["/missing"].status == 404 and rows["/missing"].broken_since is not None
    assert rows["/error"].status == 500 and rows["/error"].is_broken
    assert rows["/moved"].final_url == server.base + "/ok"
    assert {row.checked_at.date() for row in rows.values()} == {START.date()}


def test_running_twice_checks_nothing_twice_and_a_week_later_everything_again(server):
    make_links(server.base)
    with time_machine.travel(START, tick=True):
        job.check_links()
    first_broken = LinkCheck.objects.get(url=server.base + "/missing").broken_since
    requests = len(server.seen)
    with time_machine.travel(START + dt.timedelta(hours=1), tick=True):
        again = check_links_task.apply().get()
    assert again == 0
    assert len(server.seen) == requests

    with time_machine.travel(START + dt.timedelta(days=7, hours=1), tick=True):
        summary = job.check_links()
    assert summary.checked == 4
    missing = LinkCheck.objects.get(url=server.base + "/missing")
    assert missing.broken_since == first_broken  # still broken since the first failure
    assert missing.checked_at > first_broken


def test_a_fixed_link_is_no_longer_broken_and_a_removed_one_is_forgotten(server):
    organisation = OrganisationFactory(website=server.base + "/missing")
    with time_machine.travel(START, tick=True):
        job.check_links()
    assert LinkCheck.objects.get().is_broken
    organisation.website = server.base + "/ok"
    organisation.save()
    with time_machine.travel(START + dt.timedelta(hours=1), tick=True):
        summary = job.check_links()
    assert (summary.added, summary.removed, summary.checked) == (1, 1, 1)
    row = LinkCheck.objects.get()
    assert row.url == server.base + "/ok"
    assert not row.is_broken

    LinkCheck.objects.update(outcome="broken", broken_since=START)
    with time_machine.travel(START + dt.timedelta(days=8), tick=True):
        job.check_links()
    assert not LinkCheck.objects.get().is_broken


def test_a_run_while_another_holds_the_lock_does_nothing(server):
    OrganisationFactory(website=server.base + "/ok")
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )
    try:
        import zlib

        key = zlib.crc32(f"perhekeskus:{job.LOCK_NAME}".encode())
        assert other.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone()[0]
        assert job.check_links() is None
        assert server.seen == []
        assert not LinkCheck.objects.exists()
        other.execute("SELECT pg_advisory_unlock(%s)", [key])
        assert job.check_links().checked == 1
    finally:
        other.close()


def test_the_job_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["check-links"]
    assert entry["task"] == "check_links"
    assert entry["schedule"].minute == {20}
    assert len(entry["schedule"].hour) == 24


def test_the_management_command_runs_the_check_and_reports(server):
    from io import StringIO

    from django.core.management import call_command

    make_links(server.base)
    out = StringIO()
    with time_machine.travel(START, tick=True):
        call_command("check_links", "--limit", "3", stdout=out)
    assert out.getvalue().strip() == "3 addresses checked (broken 2, ok 1); 4 new addresses, 0 no longer used."
    assert LinkCheck.objects.filter(checked_at__isnull=True).count() == 1

"""Removals: PTV's archived lists, and the weekly full pass's mark-and-sweep with its deletion cap."""

import pytest
import time_machine

from services.choices import PublicationState
from services.models import Location, PhoneNumber, Service
from services.ptv.actions import import_ptv_files
from services.ptv.importer import Scope

from .helpers import CH_TURKU, IMPORT_DAY, SRV_CAFE, SRV_CLINIC, SRV_COUNSEL, V12, load, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _import_day():
    with time_machine.travel(IMPORT_DAY, tick=False):
        yield


def without_services(tmp_path, *content_ids):
    """The v12 fixtures as if PTV no longer listed these services."""
    for path in V12.glob("*.json"):
        data = load(path)
        data["items"] = [
            i
            for i in data["items"]
            if i.get("contentId") not in content_ids and i.get("serviceContentId") not in content_ids
        ]
        write(tmp_path / path.name, data)
    return tmp_path


def state(content_id: str) -> str:
    return Service.objects.get(external_id=content_id).state


def test_full_pass__past_the_default_cap_nothing_is_archived(tmp_path):
    import_ptv_files(paths=[V12])

    summary = import_ptv_files(paths=[without_services(tmp_path, SRV_CAFE)], full=True)

    assert "1 of 3 imported services in all are missing from PTV's answer (33% > 10%)" in summary.sweep_refused
    assert summary.archived == {} and state(SRV_CAFE) == PublicationState.PUBLISHED


def test_full_pass__within_the_cap_archives_and_a_return_republishes(tmp_path, settings):
    settings.PTV_SWEEP_MAX_SHARE = 0.5
    import_ptv_files(paths=[V12])

    summary = import_ptv_files(paths=[without_services(tmp_path, SRV_CAFE)], full=True)

    assert summary.archived["services"] == 1 and summary.ok
    assert [state(i) for i in (SRV_CLINIC, SRV_COUNSEL, SRV_CAFE)] == ["published", "published", "archived"]
    again = import_ptv_files(paths=[V12], full=True)
    assert state(SRV_CAFE) == PublicationState.PUBLISHED and again.updated["services"] == 1


def test_full_pass__a_half_empty_answer_is_refused_and_reported(tmp_path, settings):
    settings.PTV_SWEEP_MAX_SHARE = 0.5
    import_ptv_files(paths=[V12])

    summary = import_ptv_files(paths=[without_services(tmp_path, SRV_CAFE, SRV_COUNSEL)], full=True)

    assert not summary.ok
    assert "2 of 3 imported services in all are missing" in summary.sweep_refused
    assert any(line.startswith("SWEEP REFUSED") for line in summary.lines())
    assert Service.objects.filter(state=PublicationState.PUBLISHED).count() == 3
    forced = import_ptv_files(paths=[without_services(tmp_path, SRV_CAFE, SRV_COUNSEL)], full=True, force_sweep=True)
    assert forced.archived["services"] == 2


def test_full_pass__sweeps_only_its_scope(tmp_path, settings):
    settings.PTV_SWEEP_MAX_SHARE = 1.0
    import_ptv_files(paths=[V12])

    # An answer for Helsinki's area (90) that lacks everything: only the Helsinki service is in that scope.
    summary = import_ptv_files(
        paths=[without_services(tmp_path, SRV_CAFE, SRV_COUNSEL, SRV_CLINIC)], full=True, scope=Scope("area", "90")
    )

    assert summary.archived["services"] == 1
    assert [state(i) for i in (SRV_CLINIC, SRV_COUNSEL, SRV_CAFE)] == ["published", "archived", "published"]


def test_archived_list__archives_services_and_removes_channels_with_their_contacts(tmp_path):
    import_ptv_files(paths=[V12])
    archived = write(
        tmp_path / "archived.json",
        {
            "page": 1,
            "pageSize": 100,
            "totalItems": 2,
            "totalPages": 1,
            "items": [{"contentId": SRV_COUNSEL}, {"contentId": CH_TURKU}],
        },
    )

    summary = import_ptv_files(paths=[archived])

    assert summary.archived == {"services": 1, "locations": 1}
    assert state(SRV_COUNSEL) == PublicationState.ARCHIVED
    assert not Location.objects.filter(external_id=CH_TURKU).exists()
    assert not PhoneNumber.objects.filter(external_id=CH_TURKU).exists()
    # The rest of the clinic stays, and a re-import sees nothing "edited here" in what PTV removed.
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    assert [p.number for p in clinic.phones.all()] == ["02 266 1000"]
    assert CH_TURKU not in clinic.ptv_fields["locations"]["value"]
    assert import_ptv_files(paths=[archived]).archived == {}


def test_batches__a_failing_item_is_rolled_back_alone_and_reported(tmp_path, monkeypatch):
    from services.ptv import importer

    original = importer.Importer._service

    def failing(self, item, service):
        if item["contentId"] == SRV_COUNSEL:
            original(self, item, service)
            raise importer.DatabaseError("simulated failure after writing")
        return original(self, item, service)

    monkeypatch.setattr(importer.Importer, "_service", failing)

    summary = import_ptv_files(paths=[V12])

    assert not summary.ok and summary.errors == [
        f"services {SRV_COUNSEL}: DatabaseError: simulated failure after writing"
    ]
    assert summary.created["services"] == 2
    assert not Service.objects.filter(external_id=SRV_COUNSEL).exists()
    assert not Location.objects.filter(name_fi="Perheneuvola Kallio").exists()
    assert Service.objects.filter(external_id__in=[SRV_CLINIC, SRV_CAFE]).count() == 2

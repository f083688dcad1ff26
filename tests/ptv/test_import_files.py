"""import_ptv --from-file on v12 and v11 pages: what the families will see, and a second run that changes nothing."""

import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.core.management import call_command

from organisations.models import Organisation
from services.choices import Cost, PublicationState, Source
from services.models import Location, Service
from services.ptv.actions import import_ptv_files

from .helpers import CH_TURKU, IMPORT_DAY, SRV_CAFE, SRV_CLINIC, SRV_COUNSEL, V11, V11_SRV, V12, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _import_day():
    with time_machine.travel(IMPORT_DAY, tick=False):
        yield


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("import_ptv", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def in_finland(location: Location) -> bool:
    return 59.5 <= location.latitude <= 70.1 and 19 <= location.longitude <= 31.6


def hours_of(location: Location) -> list[tuple]:
    return [
        (
            h.weekday,
            f"{h.opens:%H:%M}",
            f"{h.closes:%H:%M}",
            h.over_midnight,
            h.valid_from,
            h.valid_to,
            h.by_appointment,
        )
        for h in location.opening_hours.order_by("weekday", "opens")
    ]


def exceptions_of(location: Location) -> dict:
    return {
        e.date: (e.closed, e.opens and f"{e.opens:%H:%M}", e.closes and f"{e.closes:%H:%M}", e.reason_fi)
        for e in location.exceptions.all()
    }


def test_v12__creates_organisations_services_and_what_they_are_about():
    output = run_command("--from-file", str(V12))

    assert "services: 3 created, 0 updated, 0 unchanged, 0 archived" in output
    assert "organisations: 2 created" in output
    area = Organisation.objects.get(ptv_id="5a1c6a2e-0d3b-4c1e-9a51-2f6a3b7c8d01")
    assert (area.name_fi, area.name_sv, area.kind) == (
        "Varsinais-Suomen hyvinvointialue",
        "Egentliga Finlands välfärdsområde",
        "wellbeing_area",
    )
    assert (area.business_id, area.website, area.email) == (
        "0201256-6",
        "https://www.example.org/varha",
        "kirjaamo@example.org",
    )
    assert list(area.areas.values_list("code", flat=True)) == ["05"]
    clinic = Service.objects.get(external_id=SRV_CLINIC)
    assert (clinic.source, clinic.state, clinic.organisation) == (Source.PTV, PublicationState.PUBLISHED, area)
    assert (clinic.name_fi, clinic.name_sv, clinic.name_en) == (
        "Lastenneuvola",
        "Barnrådgivning",
        "Child health clinic",
    )
    assert clinic.summary_sv.startswith("Barnrådgivningen följer")
    assert clinic.access_info_fi == "Neuvola ottaa yhteyttä vauvan synnyttyä."
    assert clinic.keywords_fi == "neuvola, rokotukset"
    assert (clinic.cost, clinic.languages) == (Cost.FREE, ["fi", "sv", "en"])
    # P5.2 is every kind of clinic here: the one named in the service wins; P3.2 is not ours and is counted.
    assert list(clinic.service_classes.values_list("code", flat=True)) == ["child-health-clinic"]
    assert sorted(clinic.life_situations.values_list("code", flat=True)) == ["baby", "expecting"]
    assert list(clinic.municipalities.values_list("code", flat=True)) == ["853"]


def test_v12__markdown_kept_and_html_removed_from_descriptions():
    import_ptv_files(paths=[V12])

    description = Service.objects.get(external_id=SRV_CLINIC).description_fi
    assert "script" not in description and "alert" not in description
    assert description.endswith("\n\nTervetuloa!")
    assert "- annetaan **rokotukset**" in description


def test_v12__locations_have_wgs84_coordinates_in_finland_and_their_contacts():
    import_ptv_files(paths=[V12])

    clinic = Service.objects.get(external_id=SRV_CLINIC)
    (turku,) = clinic.locations.all()
    assert (turku.name_fi, turku.name_sv) == ("Esimerkkikadun neuvola", "Exempelgatans rådgivning")
    assert (turku.street_address_fi, turku.street_address_sv, turku.postal_code) == (
        "Esimerkkikatu 12",
        "Exempelgatan 12",
        "20100",
    )
    assert turku.municipality.code == "853"
    assert turku.directions_fi == "Sisäänkäynti sisäpihalta"
    assert in_finland(turku)
    assert turku.latitude == pytest.approx(60.4538, abs=1e-3) and turku.longitude == pytest.approx(22.2623, abs=1e-3)
    assert str(turku.external_id) == CH_TURKU
    # Phones of the location and of the telephone channel (a fax is no phone); the e-service as a link.
    phones = [(p.number, p.description_fi, p.description_sv) for p in clinic.phones.all()]
    assert phones == [
        ("02 1234 567", "Ajanvaraus ma–pe 8–10", "Tidsbeställning mån–fre 8–10"),
        ("02 266 1000", "Neuvontapuhelin", None),
    ]
    assert [e.address for e in clinic.emails.all()] == ["neuvola@example.org"]
    links = [(link.kind, link.url_fi, link.url_sv, link.title_fi) for link in clinic.links.all()]
    assert links == [
        ("web_page", "https://www.example.org/neuvola", "https://www.example.org/sv/radgivning", "Neuvolapalvelut"),
        (
            "e_service",
            "https://asiointi.example.org/neuvola",
            "https://asiointi.example.org/sv/neuvola",
            "Neuvolan ajanvaraus verkossa",
        ),
    ]
    counsel = Service.objects.get(external_id=SRV_COUNSEL)
    assert sorted(loc.name_fi for loc in counsel.locations.all()) == ["Perheneuvola Kallio", "Perheneuvolan päivystys"]
    assert all(in_finland(loc) and loc.municipality.code == "091" for loc in counsel.locations.all())
    assert [p.number for p in counsel.phones.all()] == ["+358 9 310 12345"]


def test_v12__weekly_hours_reservations_and_exceptional_days():
    import_ptv_files(paths=[V12])

    turku = Location.objects.get(external_id=CH_TURKU)
    weekly = [(8, "08:00", "16:00", False, None, None, False)]
    assert hours_of(turku) == [
        (1, "08:00", "16:00", False, None, None, False),
        (2, "08:00", "16:00", False, None, None, False),
        (2, "16:00", "18:00", False, None, None, True),  # by appointment only
        (3, "08:00", "16:00", False, None, None, False),
        (4, "08:00", "16:00", False, None, None, False),  # the even-week evening is left out (and counted)
        (5, "08:00", "16:00", False, None, None, False),
    ]
    assert weekly
    days = exceptions_of(turku)
    assert days[dt.date(2026, 12, 23)] == (False, "08:00", "12:00", "Aatonaatto")
    assert days[dt.date(2026, 12, 28)] == days[dt.date(2026, 12, 30)] == (True, None, None, "Joulutauko")
    # The named holidays, for the import year and the next: movable ones computed here.
    assert days[dt.date(2026, 12, 24)] == (True, None, None, "Jouluaatto")
    assert days[dt.date(2027, 12, 24)] == (True, None, None, "Jouluaatto")
    assert days[dt.date(2027, 6, 25)] == (True, None, None, "Juhannusaatto")
    assert days[dt.date(2027, 3, 29)] == (True, None, None, "2. pääsiäispäivä")
    assert days[dt.date(2027, 4, 30)] == (False, "08:00", "12:00", "Vappuaatto")
    assert len(days) == 12


def test_v12__date_ranges_over_midnight_and_continuous_hours():
    import_ptv_files(paths=[V12])

    kallio = Location.objects.get(name_fi="Perheneuvola Kallio")
    winter = (dt.date(2026, 9, 1), dt.date(2027, 5, 31))
    assert hours_of(kallio) == [
        (1, "09:00", "17:00", False, *winter, False),
        (5, "20:00", "02:00", True, *winter, False),
        (6, "22:00", "00:00", True, *winter, False),  # "24:00"
    ]
    on_call = Location.objects.get(name_fi="Perheneuvolan päivystys")
    # Friday 16:00 round the weekend to Monday 08:00.
    assert hours_of(on_call) == [
        (1, "00:00", "08:00", False, None, None, False),
        (5, "16:00", "00:00", True, None, None, False),
        (6, "00:00", "00:00", True, None, None, False),
        (7, "00:00", "00:00", True, None, None, False),
    ]
    saturday_night = dt.datetime(2026, 12, 5, 3, 0, tzinfo=IMPORT_DAY.tzinfo)
    assert on_call.is_open_at(saturday_night)
    assert not on_call.is_open_at(dt.datetime(2026, 12, 8, 12, 0, tzinfo=IMPORT_DAY.tzinfo))


def test_v12__missing_languages_unknown_codes_and_bad_coordinates_are_counted_not_fatal():
    summary = import_ptv_files(paths=[V12])

    cafe = Service.objects.get(external_id=SRV_CAFE)
    # Only Swedish in PTV: the required Finnish name falls back to it; nothing is invented for the rest.
    assert (cafe.name_fi, cafe.name_sv, cafe.name_en, cafe.summary_fi) == ("Familjecafé", "Familjecafé", "", "")
    assert (cafe.cost, cafe.cost_info_sv) == (Cost.FEE, "2 € per familj")
    assert list(cafe.life_situations.values_list("code", flat=True)) == ["teenager"]  # target group KR1.3
    assert set(cafe.municipalities.values_list("area__code", flat=True)) == {"05"}
    (place,) = cafe.locations.all()
    assert (place.street_address_fi, place.latitude, place.longitude) == ("Kaskisgatan 3", None, None)
    counsel = Service.objects.get(external_id=SRV_COUNSEL)
    assert counsel.languages == ["fi"]
    assert list(counsel.service_classes.values_list("code", flat=True)) == ["family-counselling"]
    assert list(counsel.life_situations.values_list("code", flat=True)) == ["separation"]
    assert summary.skipped == {
        "unknown service class P3.2": 1,
        "unknown service class P99.9": 1,
        "unknown life event KE2": 1,
        "unmapped target group KR2.1": 1,
        "Sámi text (no field for it)": 1,
        "service language smn (not in our list)": 1,
        "coordinates outside Finland": 1,
        "no Finnish name (Swedish or English used)": 2,
        "organisations: business ID that does not validate": 1,
        "hours: odd/even-week hours (not shown)": 1,
    }
    assert summary.ok


@pytest.mark.parametrize("folder", [V12, V11], ids=["v12", "v11"])
def test_second_run__reports_everything_unchanged_and_changes_no_row(folder):
    first = import_ptv_files(paths=[folder])
    before = snapshot()

    second = import_ptv_files(paths=[folder])

    assert sum(first.created.values()) > 0
    assert second.created == second.updated == second.archived == {}
    assert second.unchanged["services"] == first.created["services"]
    assert second.unchanged["locations"] == first.created["locations"]
    assert not second.changed_anything
    assert snapshot() == before


def test_v11__bom_pages_import_to_the_same_shape():
    output = run_command("--from-file", *(str(p) for p in sorted(V11.glob("*.json"))))

    assert (V11 / "services.json").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "services: 1 created" in output and "skipped: unknown service class P77: 1" in output
    service = Service.objects.get(external_id=V11_SRV)
    assert (service.name_fi, service.name_sv, service.name_en) == (
        "Äitiysneuvola",
        "Mödrarådgivning",
        "Maternity clinic",
    )
    assert service.summary_fi == "Äitiysneuvola seuraa raskauden kulkua."
    assert service.access_info_fi == "Varaa aika puhelimitse."
    assert list(service.service_classes.values_list("code", flat=True)) == ["maternity-clinic"]
    assert (service.cost, service.keywords_fi) == (Cost.FREE, "raskaus")
    organisation = service.organisation
    assert (organisation.name_fi, organisation.kind, organisation.business_id, organisation.municipality.code) == (
        "Espoon kaupunki",
        "municipality",
        "0204819-8",
        "049",
    )
    (location,) = service.locations.all()
    assert (location.name_sv, location.street_address_fi, location.postal_code) == (
        "Alberga rådgivning",
        "Hevosenkenkä 3",
        "02600",
    )
    assert in_finland(location) and location.latitude == pytest.approx(60.2187, abs=1e-3)
    assert (6, "10:00", "13:00", False, dt.date(2027, 6, 1), dt.date(2027, 8, 15), False) in hours_of(location)
    assert (3, "16:00", "18:00", False, None, None, True) in hours_of(location)  # isReservation
    assert (7, "22:00", "03:00", True, None, None, False) in hours_of(location)  # OverMidnight
    assert len(hours_of(location)) == 8
    days = exceptions_of(location)
    assert days[dt.date(2026, 12, 25)] == (True, None, None, "Joulu")
    assert days[dt.date(2026, 12, 31)] == (False, "10:00", "14:00", "Uudenvuodenaatto")
    assert len(days) == 4
    assert [(p.number, p.description_fi) for p in service.phones.all()] == [("+358 9 816 31300", "Ajanvaraus")]
    assert [(link.kind, link.url) for link in service.links.all()] == [
        ("web_page", "https://www.example.org/espoo/neuvolat"),
        ("e_service", "https://asiointi.example.org/espoo"),
    ]


def test_command__summary_as_json_and_bad_arguments_are_errors():
    from django.core.management.base import CommandError

    output = run_command("--from-file", str(V12), "--json")
    assert '"services": 3' in output
    with pytest.raises(CommandError, match="--since"):
        run_command("--from-file", str(V12), "--since", "yesterday")
    with pytest.raises(CommandError, match="exclude each other"):
        run_command("--from-file", str(V12), "--since", "2026-11-01", "--full")
    with pytest.raises(CommandError, match="no wellbeing area"):
        run_command("--area", "99")
    with pytest.raises(CommandError, match="not a PTV id"):
        run_command("--organisation", "nope")
    with pytest.raises(CommandError, match="Give --area"):
        run_command()
    assert Service.objects.filter(external_id=uuid.UUID(SRV_CLINIC)).exists()

"""The partner pages' forms: drafts and live edits, history, formsets, over-midnight hours, validation, preview."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from meetingplaces.models import Activity, MeetingPlace
from organisations.models import ChangeRecord, Municipality
from services.models import Location, Service, ServiceClass
from tests.access_matrix import build_world
from tests.factories import LocationFactory, MeetingPlaceOpeningHoursFactory, ServiceFactory
from tests.partners.helpers import form_data, rows, url

pytestmark = pytest.mark.django_db


def records(obj, action=None):
    queryset = ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return queryset.filter(action=action) if action else queryset


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def editor(client, world):
    client.force_login(world.user("editor"))
    return world.user("editor")


def new_activity_data(place, **changes):
    return {
        "meeting_place": str(place.pk),
        "title_fi": "Vauvaryhmä",
        "title_sv": "Babygrupp",
        "description_fi": "Leikkiä ja laulua.",
        "recurrence": "weekly",
        "weekday": "3",
        "every_nth_week": "2",
        "start_time": "10:00",
        "end_time": "11:30",
        "valid_from": "2026-01-07",
        "age_max": "1",
        "languages": ["fi", "sv"],
        "cost": "free",
        "registration_required": "on",
        "registration_info_fi": "Ilmoittaudu puhelimella.",
        **rows("dates"),
        **changes,
    }


@pytest.mark.parametrize("language,waiting", [("fi", "odottaa"), ("sv", "väntar")])
def test_new_activity__is_a_draft_with_a_weekly_rule_and_a_created_record(client, world, editor, language, waiting):
    place = world.objects["own"]["meeting_place"]
    response = client.post(url("create", language, kind="activity"), new_activity_data(place), follow=True)
    activity = Activity.objects.get(title_fi="Vauvaryhmä")
    assert activity.state == "draft" and activity.title_sv == "Babygrupp"
    assert (activity.weekday, activity.every_nth_week, activity.valid_from) == (3, 2, dt.date(2026, 1, 7))
    assert activity.languages == ["fi", "sv"] and activity.registration_required
    record = records(activity).get()
    assert record.action == ChangeRecord.Action.CREATED and record.user == editor
    assert record.changes["title_sv"] == [None, "Babygrupp"]
    assert waiting in response.content.decode()


def test_new_service__draft_with_a_slug_classes_and_history(client, world, editor):
    service_class = ServiceClass.objects.order_by("pk").first()
    turku = Municipality.objects.get(code="853")
    data = {
        "organisation": str(world.organisations["own"].pk),
        "name_fi": "Perheneuvonta",
        "name_sv": "Familjerådgivning",
        "summary_fi": "Apua arjen pulmiin.",
        "service_classes": [str(service_class.pk)],
        "languages": ["fi"],
        "access": ["booking"],
        "cost": "free",
        "municipalities": [str(turku.pk)],
        **rows("phones"),
        **rows("emails"),
        **rows("links"),
    }
    response = client.post(url("create", kind="service"), data)
    assert response.status_code == 302
    service = Service.objects.get(name_fi="Perheneuvonta")
    assert service.state == "draft" and service.slug == "perheneuvonta"
    assert list(service.service_classes.all()) == [service_class]
    assert service.access == ["booking"] and list(service.municipalities.all()) == [turku]
    assert records(service, ChangeRecord.Action.CREATED).exists()


def test_service_form__offers_only_own_organisations_and_the_areas_municipalities(client, world, editor):
    html = client.get(url("create", kind="service")).content.decode()
    assert "Oma perheyhdistys ry" in html
    assert "Naapuriyhdistys ry" not in html and "Lapin perheyhdistys ry" not in html
    assert "Turku" in html and "Rovaniemi" not in html
    # Languages and access as checkboxes with their translated names, not codes in a text box.
    assert 'type="checkbox" name="languages" value="sv"' in html and "ruotsi" in html
    assert 'type="checkbox" name="access" value="booking"' in html


def test_service_form__rejects_another_organisation(client, world, editor):
    data = form_data("service", world.objects["own"]["service"], editor)
    data["organisation"] = str(world.organisations["same_area"].pk)
    data["service_classes"] = [str(ServiceClass.objects.first().pk)]
    response = client.post(url("edit", kind="service", pk=world.objects["own"]["service"].pk), data)
    assert response.status_code == 200
    assert 'href="#id_organisation"' in response.content.decode()
    assert Service.objects.get(pk=world.objects["own"]["service"].pk).organisation == world.organisations["own"]


def test_translation_columns__show_the_finnish_text_next_to_swedish_and_english(client, world, editor):
    place = world.objects["own"]["meeting_place"]
    html = client.get(url("edit", "sv", kind="meeting-place", pk=place.pk)).content.decode()
    assert 'lang="sv" id="id_name_sv"' in html
    assert html.count(f'<span class="fi-reference__text" lang="fi">{place.name_fi}</span>') == 2
    assert "Finsk text:" in html and "Namn (svenska)" in html


def test_published_meeting_place__hours_edit_goes_live_with_a_change_record(client, world, editor):
    place = world.objects["own"]["meeting_place"]
    MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=1, opens=dt.time(9), closes=dt.time(12))
    data = form_data("meeting-place", place, editor)
    data["hours-0-closes"] = "14:00"
    data.update(rows("hours", {"weekday": "5", "opens": "20:00", "closes": "02:00", "over_midnight": "on"}, initial=1))
    data.update(rows("exceptions", {"date": "2026-12-24", "closed": "on", "reason_fi": "Jouluaatto"}))
    response = client.post(url("edit", kind="meeting-place", pk=place.pk), data, follow=True)
    assert "näkyy perheille" in response.content.decode()
    place.refresh_from_db()
    assert place.state == "published"
    hours = [(h.weekday, h.opens, h.closes, h.over_midnight) for h in place.opening_hours.order_by("weekday")]
    assert hours == [(1, dt.time(9), dt.time(14), False), (5, dt.time(20), dt.time(2), True)]
    exception = place.exceptions.get()
    assert exception.closed and exception.reason_fi == "Jouluaatto"
    record = records(place).get()
    assert record.action == ChangeRecord.Action.CHANGED and record.user == editor
    assert {"opening_hours", "exceptions"} <= set(record.changes)
    before, after = record.changes["opening_hours"]
    assert before[0]["closes"] == "12:00:00" and after[0]["closes"] == "14:00:00"


@pytest.mark.parametrize(
    "language,message",
    [
        ("fi", "Sulkemisajan pitää olla avaamisajan jälkeen"),
        ("sv", "Stängningstiden ska vara efter öppningstiden"),
    ],
)
def test_hours__closing_before_opening_without_next_day_is_an_error_on_the_field(
    client, world, editor, language, message
):
    place = world.objects["own"]["meeting_place"]
    data = form_data("meeting-place", place, editor)
    data.update(rows("hours", {"weekday": "5", "opens": "20:00", "closes": "02:00"}))
    response = client.post(url("edit", language, kind="meeting-place", pk=place.pk), data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'id="id_hours-0-closes_error"' in html
    assert 'aria-invalid="true" aria-describedby="id_hours-0-closes_error"' in html
    assert 'href="#id_hours-0-closes"' in html  # the error summary links to the field
    assert not place.opening_hours.exists() and not records(place).exists()


@pytest.mark.parametrize("language,message", [("fi", "Valitse joko"), ("sv", "Kryssa antingen")])
def test_exception__open_without_hours_is_an_error(client, world, editor, language, message):
    place = world.objects["own"]["meeting_place"]
    data = form_data("meeting-place", place, editor)
    data.update(rows("exceptions", {"date": "2026-12-24", "reason_fi": "Aatto"}))
    html = client.post(url("edit", language, kind="meeting-place", pk=place.pk), data).content.decode()
    assert message in html and 'id="id_exceptions-0-opens_error"' in html
    assert not place.exceptions.exists()


@pytest.mark.parametrize(
    "language,required,weekday",
    [("fi", "Tämä kenttä vaaditaan", "viikonpäivä"), ("sv", "Det här fältet är obligatoriskt", "veckodag")],
)
def test_activity__validation_messages_in_the_users_language(client, world, editor, language, required, weekday):
    place = world.objects["own"]["meeting_place"]
    data = new_activity_data(place, title_fi="", weekday="", end_time="09:00")
    html = client.post(url("create", language, kind="activity"), data).content.decode()
    assert required in html and weekday in html.lower()
    for field in ("title_fi", "weekday", "end_time"):
        assert f'id="id_{field}_error"' in html and f'href="#id_{field}"' in html
    assert not Activity.objects.filter(title_sv="Babygrupp").exists()


def test_activity__cannot_use_another_organisations_meeting_place(client, world, editor):
    other = world.objects["same_area"]["meeting_place"]
    response = client.post(url("create", kind="activity"), new_activity_data(other))
    assert response.status_code == 200 and 'href="#id_meeting_place"' in response.content.decode()
    assert not Activity.objects.filter(title_fi="Vauvaryhmä").exists()


def test_activity_on_listed_dates(client, world, editor):
    place = world.objects["own"]["meeting_place"]
    data = new_activity_data(place, recurrence="dates", weekday="")
    data.update(rows("dates", {"date": "2026-02-03"}, {"date": "2026-02-17"}))
    assert client.post(url("create", kind="activity"), data).status_code == 302
    activity = Activity.objects.get(title_fi="Vauvaryhmä")
    february = activity.occurrences(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert february == [dt.date(2026, 2, 3), dt.date(2026, 2, 17)]


def test_add_a_row_without_javascript__shows_one_more_empty_row_and_saves_nothing(client, world, editor):
    place = world.objects["own"]["meeting_place"]
    data = form_data("meeting-place", place, editor, add_row="hours", name_fi="Ei tallennu")
    data.update(rows("hours", {"weekday": "1", "opens": "09:00", "closes": "12:00"}))
    html = client.post(url("edit", kind="meeting-place", pk=place.pk), data).content.decode()
    assert 'name="hours-TOTAL_FORMS" value="2"' in html and 'name="hours-1-opens"' in html
    assert 'name="hours-0-opens" value="09:00"' in html
    place.refresh_from_db()
    assert place.name_fi != "Ei tallennu" and not place.opening_hours.exists()


def test_preview__shows_the_public_page_of_the_unsaved_draft_and_saves_nothing(client, world, editor):
    place = world.objects["own"]["meeting_place"]
    data = new_activity_data(place, preview="1")
    last_record = ChangeRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(url("create", "sv", kind="activity"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Förhandsvisning" in html and 'class="preview"' in html
    assert place.name_sv in html  # the meeting place's public page, with the activity
    assert not Activity.objects.filter(title_fi="Vauvaryhmä", meeting_place=place).exists()
    assert not ChangeRecord.objects.filter(pk__gt=last_record).exists()
    # The form is still filled in: saving now creates the draft.
    assert 'value="Babygrupp"' in html
    assert client.post(url("create", "sv", kind="activity"), new_activity_data(place)).status_code == 302
    assert Activity.objects.get(title_fi="Vauvaryhmä").state == "draft"


def test_preview_of_a_draft_service__renders_its_page_and_leaves_it_a_draft(client, world, editor):
    service = world.objects["own_draft"]["service"]
    service.service_classes.add(ServiceClass.objects.first())
    data = form_data("service", service, editor, name_fi="Uusi nimi", preview="1")
    html = client.post(url("edit", kind="service", pk=service.pk), data).content.decode()
    assert "Esikatselu" in html and "<h1" in html.split('class="preview"')[1] and "Uusi nimi" in html
    service.refresh_from_db()
    assert service.state == "draft" and service.name_fi != "Uusi nimi"
    assert client.get(service.get_absolute_url()).status_code == 404


def test_delete__a_draft_with_a_record_but_never_a_published_entry(client, world, editor):
    draft, published = world.objects["own_draft"]["meeting_place"], world.objects["own"]["meeting_place"]
    assert client.post(url("delete", kind="meeting-place", pk=draft.pk)).status_code == 302
    assert not MeetingPlace.objects.filter(pk=draft.pk).exists()
    assert records(draft, ChangeRecord.Action.DELETED).exists()
    assert client.post(url("delete", kind="meeting-place", pk=published.pk)).status_code == 403
    assert MeetingPlace.objects.filter(pk=published.pk).exists()
    assert "Poista tämä luonnos" not in client.get(url("edit", kind="meeting-place", pk=published.pk)).content.decode()


def test_location__hours_are_recorded_in_the_services_history(client, world, editor):
    service = world.objects["own"]["service"]
    location = LocationFactory(service=service, municipality=Municipality.objects.get(code="853"))
    data = form_data("location", location, editor)
    data.update(rows("hours", {"weekday": "2", "opens": "08:00", "closes": "16:00"}))
    response = client.post(url("location-edit", service_pk=service.pk, pk=location.pk), data)
    assert response.status_code == 302
    assert location.opening_hours.get().closes == dt.time(16)
    record = records(service).get()
    assert "locations" in record.changes


def test_location__of_another_organisations_service_is_not_found(client, world, editor):
    service = world.objects["same_area"]["service"]
    location = LocationFactory(service=service)
    assert client.get(url("location-edit", service_pk=service.pk, pk=location.pk)).status_code == 404
    assert client.get(url("location-create", service_pk=service.pk)).status_code == 404
    assert Location.objects.count() == 1


def test_service_contact_details__phones_emails_and_links_saved_with_history(client, world, editor):
    service = world.objects["own"]["service"]
    service.service_classes.add(ServiceClass.objects.first())
    data = form_data("service", service, editor)
    data.update(rows("phones", {"number": "+358 2 123 4567", "description_fi": "Ajanvaraus ma–pe 8–10"}))
    data.update(rows("emails", {"address": "perhe@example.fi"}))
    data.update(rows("links", {"kind": "e_service", "title_fi": "Varaa aika", "url_fi": "https://example.fi/varaa"}))
    response = client.post(url("edit", "sv", kind="service", pk=service.pk), data)
    assert response.status_code == 302
    assert service.phones.get().description_fi == "Ajanvaraus ma–pe 8–10"
    assert service.emails.get().address == "perhe@example.fi"
    assert service.links.get().url_fi == "https://example.fi/varaa"
    assert {"phones", "emails", "links"} <= set(records(service).get().changes)


def test_service_contact_details__a_bad_phone_number_is_an_error_on_its_field(client, world, editor):
    service = world.objects["own"]["service"]
    service.service_classes.add(ServiceClass.objects.first())
    data = form_data("service", service, editor)
    data.update(rows("phones", {"number": "soita meille"}))
    html = client.post(url("edit", "sv", kind="service", pk=service.pk), data).content.decode()
    assert 'id="id_phones-0-number_error"' in html and 'href="#id_phones-0-number"' in html
    assert "Kontaktuppgifter" in html and "Telefonnummer" in html
    assert not service.phones.exists()


def test_two_new_entries_with_the_same_name_at_the_same_moment_both_save(world, editor, monkeypatch):
    """Both partners found the slug free before either saved: the second takes the next slug, never a 500."""
    from perhekeskus.partners import editing
    from services.models import Service

    ServiceFactory(slug="perhekahvila-ilo", organisation=world.organisations["own"])
    real = editing.unique_slug
    answers = iter(["perhekahvila-ilo"])  # the first answer is stale: another save took it meanwhile
    monkeypatch.setattr(editing, "unique_slug", lambda model, text: next(answers, None) or real(model, text))
    service = Service(organisation=world.organisations["own"], name_fi="Perhekahvila Ilo", summary_fi="Kahvila")
    editing._save_with_a_free_slug(service)
    assert service.pk is not None and service.slug == "perhekahvila-ilo-2"


# --- The form's buttons and its empty rows ---


@pytest.mark.parametrize(
    ("language", "save", "save_return", "required"),
    [
        ("fi", "Tallenna", "Tallenna ja palaa", "(pakollinen)"),
        ("sv", "Spara", "Spara och gå tillbaka", "(obligatoriskt)"),
    ],
)
def test_form__save_and_save_and_return_buttons_and_no_required_marks_in_empty_rows(
    client, world, editor, language, save, save_return, required
):
    place = world.objects["own"]["meeting_place"]
    MeetingPlaceOpeningHoursFactory(meeting_place=place, weekday=1)

    html = client.get(url("edit", language, kind="meeting-place", pk=place.pk)).content.decode()

    assert f'<button type="submit" name="save" value="1" class="button">{save}</button>' in html
    assert f">{save_return}</button>" in html and "poistu" not in html
    hours = html[html.index('data-formset="hours"') : html.index('data-formset="exceptions"')]
    saved_row, empty_row = hours.split("formset__row-legend")[1:3]
    assert required in saved_row  # the hours already saved: weekday, opens, closes
    assert required not in empty_row and required not in hours.split("<template")[1]
    assert required in html[: html.index('data-formset="hours"')]  # the entry's own required fields keep theirs


def test_save__stays_on_the_entry_with_a_message_and_save_and_return_goes_to_the_list(client, world, editor):
    place = world.objects["own"]["meeting_place"]
    edit_url = url("edit", kind="meeting-place", pk=place.pk)

    stayed = client.post(edit_url, {**form_data("meeting-place", place, editor, name_sv="Ny"), "save": "1"})
    page = client.get(stayed["Location"]).content.decode()
    returned = client.post(edit_url, {**form_data("meeting-place", place, editor, name_sv="Nytt"), "save_return": "1"})

    assert stayed.status_code == 302 and stayed["Location"] == edit_url
    assert "tallennettu" in page and 'name="name_sv"' in page
    assert returned.status_code == 302 and returned["Location"] == url("home")
    place.refresh_from_db()
    assert place.name_sv == "Nytt"


def test_save__a_new_entry_opens_its_own_page(client, world, editor):
    place = world.objects["own"]["meeting_place"]

    response = client.post(url("create", kind="activity"), {**new_activity_data(place), "save": "1"})

    activity = Activity.objects.get(title_fi="Vauvaryhmä")
    assert response["Location"] == url("edit", kind="activity", pk=activity.pk)


def test_save__a_location_stays_on_it_and_returns_to_its_service(client, world, editor):
    service = world.objects["own"]["service"]
    location = LocationFactory(service=service, municipality=Municipality.objects.get(code="853"))
    location_url = url("location-edit", service_pk=service.pk, pk=location.pk)

    stayed = client.post(location_url, {**form_data("location", location, editor), "save": "1"})
    returned = client.post(location_url, {**form_data("location", location, editor), "save_return": "1"})

    assert stayed["Location"] == location_url
    assert returned["Location"] == url("edit", kind="service", pk=service.pk)

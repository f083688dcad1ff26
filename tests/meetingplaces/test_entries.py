"""A calendar entry (meetingplaces/templatetags/activity_entries.py) escapes what partners typed and marks the texts
shown in a fallback language, as the template it replaced did."""

import datetime as dt

import pytest
from django.utils import translation

from meetingplaces import calendar
from meetingplaces.templatetags.activity_entries import occurrence_entry
from organisations.models import Municipality
from tests.factories import (
    ActivityFactory,
    MeetingPlaceExceptionFactory,
    MeetingPlaceFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def entry(activity, language="sv", **kwargs):
    occurrence = calendar.Occurrence(MONDAY, calendar._entries([activity.pk])[activity.pk], **kwargs)
    with translation.override(language):
        return occurrence_entry(occurrence, level=4)


def test_entry__escapes_partner_texts_and_marks_finnish_fallbacks_on_a_swedish_page():
    turku = Municipality.objects.get(code="853")  # reference data: Åbo in Swedish
    place = MeetingPlaceFactory(published=True, name_fi="Kahvila <Onni>", name_sv="", municipality=turku)
    activity = ActivityFactory(
        meeting_place=place,
        title_fi="Vauva & minä",
        title_sv="",
        cost="fee",
        cost_info_fi="5 € <b>käteisellä</b>",
        registration_required=True,
        registration_info_sv="Ring 040 123",
        organiser=OrganisationFactory(name_fi='Seurakunta "Yhtymä"', name_sv="", slug="seurakunta"),
    )

    html = entry(activity)

    assert '<h4 class="event__title" lang="fi">Vauva &amp; minä</h4>' in html
    assert f'<a href="/sv/meeting-places/{place.slug}/" lang="fi">Kahvila &lt;Onni&gt;</a>, Åbo · ' in html
    assert '<span lang="fi">5 € &lt;b&gt;käteisellä&lt;/b&gt;</span>' in html
    assert ": Ring 040 123</p>" in html and "<b>" not in html
    assert 'href="/sv/organisations/seurakunta/" lang="fi">Seurakunta &quot;Yhtymä&quot;</a></p>' in html
    assert '<time datetime="2026-11-23T10:00">' in html


def test_entry__a_closed_day_says_why_and_the_organiser_of_the_place_is_not_repeated():
    place = MeetingPlaceFactory(published=True)
    activity = ActivityFactory(meeting_place=place, organiser=place.organisation)
    closure = MeetingPlaceExceptionFactory(meeting_place=place, date=MONDAY, reason_fi="Remontti")

    html = entry(activity, language="fi", place_day=calendar.PLACE_CLOSED, closure=closure)

    assert '<li class="event event--cancelled">' in html
    assert "suljettu" in html.lower() and "<span>Remontti</span></p>" in html
    assert "event__by" not in html

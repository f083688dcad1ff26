"""The family asks anonymously (perhekeskus/contact/asking.py): where the link shows, the form's checks in fi and sv,
the abuse limits, one question per form, nothing lost with the broker or the cache down, and the code shown once."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings as conf
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import Membership
from perhekeskus.contact import codes, crypto, delivery
from perhekeskus.contact.asking import SESSION_KEY
from perhekeskus.contact.forms import QUESTION_MAX_LENGTH
from perhekeskus.contact.models import ContactRequest
from perhekeskus.voice.abuse import started_token
from tests.factories import (
    LifeSituationFactory,
    LocationFactory,
    MeetingPlaceFactory,
    MembershipFactory,
    OrganisationFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

QUESTION = "Lapseni ei nuku öisin. Voiko neuvolaan soittaa ilman ajanvarausta?"
CODE_RE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}\b")


def reachable_organisation(**kwargs):
    """An organisation with a professional to notify (and no address of its own)."""
    organisation = OrganisationFactory(email="", **kwargs)
    MembershipFactory(organisation=organisation, role=Membership.Role.PROFESSIONAL, user__email="terhi@example.fi")
    return organisation


@pytest.fixture
def service():
    return ServiceFactory(published=True, organisation=reachable_organisation(name_fi="Perheneuvola Aura"))


def ask_url(kind, slug, language="fi"):
    with translation.override(language):
        return reverse("contact:ask", kwargs={"kind": kind, "slug": slug})


def sent_url(language="fi"):
    with translation.override(language):
        return reverse("contact:sent")


def form_keys(client, url):
    """GET the form as a browser does: its submission key, and a start time from 10 s ago."""
    page = client.get(url).content.decode()
    submission = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=10), tick=False):
        started = started_token()
    return {"submission": submission, "started": started}


def post_question(client, target, kind="service", language="fi", address="127.0.0.1", keys=None, **data):
    url = ask_url(kind, target.slug, language)
    fields = {"message": QUESTION, "topic": "", "age_group": "", "reply_by": "site", "email": "", "website": ""}
    fields.update(keys or form_keys(client, url))
    fields.update(data)
    return client.post(url, fields, REMOTE_ADDR=address)


# --- Where families can ask ---


@pytest.mark.parametrize(("language", "label"), [("fi", "Kysy nimettömästi"), ("sv", "Fråga anonymt")])
def test_entry_pages__link_to_the_ask_page_where_someone_receives(client, language, label):
    organisation = reachable_organisation()
    service = ServiceFactory(published=True, organisation=organisation)
    place = MeetingPlaceFactory(published=True, organisation=organisation)
    for kind, target in (("service", service), ("meeting-place", place), ("organisation", organisation)):
        with translation.override(language):
            page = client.get(target.get_absolute_url()).content.decode()
        assert f'href="{ask_url(kind, target.slug, language)}"' in page and label in page, kind


def test_entry_pages__an_organisation_with_an_address_but_no_professional_receives_too(client):
    service = ServiceFactory(published=True, organisation=OrganisationFactory(email="toimisto@example.fi"))
    assert ask_url("service", service.slug) in client.get(service.get_absolute_url()).content.decode()
    assert client.get(ask_url("service", service.slug)).status_code == 200


def test_entry_pages__no_link_where_nobody_would_receive_the_question(client):
    organisation = OrganisationFactory(email="")
    # Members who are not notified: an editor, a professional without an address, an inactive professional.
    MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR, user__email="editori@example.fi")
    MembershipFactory(organisation=organisation, role=Membership.Role.PROFESSIONAL, user__email="")
    MembershipFactory(
        organisation=organisation,
        role=Membership.Role.PROFESSIONAL,
        user__email="poissa@example.fi",
        user__is_active=False,
    )
    # A professional of another organisation.
    reachable_organisation()
    service = ServiceFactory(published=True, organisation=organisation)
    place = MeetingPlaceFactory(published=True, organisation=organisation)
    assert delivery.notification_recipients(organisation) == []
    for kind, target in (("service", service), ("meeting-place", place), ("organisation", organisation)):
        page = client.get(target.get_absolute_url()).content.decode()
        assert "/contact/ask/" not in page and "Kysy nimettömästi" not in page, kind
        assert client.get(ask_url(kind, target.slug)).status_code == 404, kind


def test_ask_page__unpublished_or_unknown_entries_are_not_found(client):
    organisation = reachable_organisation()
    draft = ServiceFactory(state="draft", organisation=organisation)
    assert client.get(ask_url("service", draft.slug)).status_code == 404
    assert client.get(ask_url("service", "no-such-service")).status_code == 404
    assert client.get(ask_url("region", organisation.slug)).status_code == 404


def test_detail_pages__the_link_costs_no_query(client, django_assert_max_num_queries):
    """The pages ask in their own query whether anyone receives: the same count with the link as without it."""
    counts = {}
    for reachable in (True, False):
        organisation = reachable_organisation() if reachable else OrganisationFactory(email="")
        service = ServiceFactory(published=True, organisation=organisation)
        LocationFactory(service=service)
        place = MeetingPlaceFactory(published=True, organisation=organisation)
        for kind, target in (("service", service), ("meeting-place", place), ("organisation", organisation)):
            client.get(target.get_absolute_url())  # warm the per-process caches (counts, area lists)
            with django_assert_max_num_queries(50) as captured:
                page = client.get(target.get_absolute_url()).content.decode()
            assert ("/contact/ask/" in page) is reachable
            counts[kind, reachable] = len(captured.captured_queries)
    for kind in ("service", "meeting-place", "organisation"):
        assert counts[kind, True] == counts[kind, False], (kind, counts)
    # Not more than before the link (main at 3463c60, same data, caches warm): the pages may get faster, not slower.
    assert counts["service", True] <= SERVICE_PAGE_QUERIES
    assert counts["meeting-place", True] <= PLACE_PAGE_QUERIES
    assert counts["organisation", True] <= ORGANISATION_PAGE_QUERIES


SERVICE_PAGE_QUERIES = 9
PLACE_PAGE_QUERIES = 4
ORGANISATION_PAGE_QUERIES = 8


# --- The page ---


@pytest.mark.parametrize(
    ("language", "heading", "goes_to", "stored"),
    [
        ("fi", "Kysy nimettömästi", "Kysymyksesi koskee kohdetta", "Ei nimeäsi eikä IP-osoitettasi."),
        ("sv", "Fråga anonymt", "Din fråga om", "Inte ditt namn och inte din IP-adress."),
    ],
)
def test_ask_page__names_where_the_question_goes_and_what_is_stored(
    client, service, language, heading, goes_to, stored
):
    page = client.get(ask_url("service", service.slug, language)).content.decode()
    assert heading in page and goes_to in page and stored in page
    assert service.name in page and service.organisation.name in page
    assert 'name="csrfmiddlewaretoken"' in page and 'name="started"' in page and 'name="submission"' in page
    with translation.override(language):
        privacy = reverse("pages:privacy")
    assert f'href="{privacy}#anonymous-questions"' in page
    # The hint tells the limit, tied to the field.
    assert str(QUESTION_MAX_LENGTH) in page
    assert re.search(r'<textarea[^>]*aria-describedby="id_message_helptext"', page)


def test_ask_page__the_notice_follows_the_retention_settings(client, service, settings):
    settings.CONTACT_RETENTION_DAYS = 41
    settings.CONTACT_UNANSWERED_RETENTION_DAYS = 137
    for language in ("fi", "sv"):
        page = client.get(ask_url("service", service.slug, language)).content.decode()
        assert "41" in page and "137" in page, language
        with translation.override(language):
            privacy = client.get(reverse("pages:privacy")).content.decode()
        assert 'id="anonymous-questions"' in privacy and "41" in privacy and "137" in privacy, language


def test_ask_page__organisation_and_meeting_place(client):
    organisation = reachable_organisation(name_fi="Seurakunta Sininen")
    place = MeetingPlaceFactory(published=True, organisation=organisation)
    assert post_question(client, organisation, kind="organisation").status_code == 303
    assert post_question(client, place, kind="meeting-place").status_code == 303
    to_organisation, to_place = ContactRequest.objects.order_by("created_at")
    assert (to_organisation.organisation, to_organisation.service, to_organisation.meeting_place) == (
        organisation,
        None,
        None,
    )
    assert (to_place.organisation, to_place.meeting_place) == (organisation, place)


# --- Sending ---


def test_ask__stores_the_question_and_shows_the_code_once(client, service):
    topic = LifeSituationFactory(code="baby")
    response = post_question(client, service, language="sv", topic=topic.pk, age_group="1-6")
    assert response.status_code == 303 and response["Location"] == sent_url("sv")

    question = ContactRequest.objects.get()
    assert (question.organisation, question.service, question.topic) == (service.organisation, service, topic)
    assert question.age_group == "1-6" and question.language == "sv" and question.reply_email == ""
    assert question.messages.get().body == QUESTION
    assert question.notify_state == ContactRequest.NotifyState.PENDING or question.notified_at

    page = client.get(response["Location"])
    assert page["Cache-Control"] and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    code = CODE_RE.search(html).group(0)
    assert question.reply_code_hash == codes.code_hash(code)
    assert "Din svarskod" in html and 'href="/sv/contact/reply/"' in html
    # Shown once: a reload says so, and where to read the answer.
    again = client.get(response["Location"]).content.decode()
    assert not CODE_RE.search(again) and "redan visats" in again and 'href="/sv/contact/reply/"' in again


def test_ask__the_code_waits_in_the_session_only_encrypted(client, service):
    post_question(client, service)
    stored = client.session[SESSION_KEY]
    code = crypto.decrypt(stored["code"])
    assert codes.normalise(code) and code not in str(stored)
    key = client.session.session_key
    response = client.get(sent_url())
    assert SESSION_KEY not in client.session
    # The family's session held nothing else: it is gone from the store, and its cookie with it.
    assert not Session.objects.filter(session_key=key).exists()
    assert response.cookies[conf.SESSION_COOKIE_NAME].value == ""


@pytest.mark.parametrize(
    ("language", "says"), [("fi", "myös antamaasi sähköpostiosoitteeseen"), ("sv", "också till den e-postadress")]
)
def test_ask__by_email_keeps_the_address_encrypted_and_says_so(client, service, language, says):
    post_question(client, service, language=language, reply_by="email", email="perhe@example.fi")
    question = ContactRequest.objects.get()
    assert question.reply_email == "perhe@example.fi"
    assert "perhe@example.fi" not in question.reply_email_encrypted
    html = client.get(sent_url(language)).content.decode()
    assert CODE_RE.search(html) and says in html


def test_ask__an_address_given_without_choosing_email_is_not_kept(client, service):
    post_question(client, service, reply_by="site", email="perhe@example.fi")
    assert ContactRequest.objects.get().reply_email == ""
    assert "antamaasi sähköpostiosoitteeseen" not in client.get(sent_url()).content.decode()


def test_ask__stores_no_client_address(client, service):
    post_question(client, service, address="203.0.113.99")
    question = ContactRequest.objects.get()
    assert "203.0.113.99" not in " ".join(str(value) for value in ContactRequest.objects.values().get().values())
    assert "203.0.113.99" not in question.messages.get().body


# --- Validation, in both languages ---


@pytest.mark.parametrize(
    ("data", "language", "field", "error"),
    [
        ({"message": ""}, "fi", "message", "Kirjoita kysymyksesi."),
        ({"message": ""}, "sv", "message", "Skriv din fråga."),
        ({"message": "x" * 2001}, "fi", "message", "enintään 2000 merkkiin (siinä on 2001)"),
        ({"message": "x" * 2001}, "sv", "message", "högst 2000 tecken (den har 2001)"),
        ({"message": "Katso https://a.example http://b.example www.c.example"}, "fi", "message", "enintään 2"),
        ({"message": "Se https://a.example http://b.example www.c.example"}, "sv", "message", "högst 2 webbadresser"),
        ({"topic": "999999"}, "fi", "topic", "Valitse aihe luettelosta."),
        ({"topic": "999999"}, "sv", "topic", "Välj ett ämne i listan."),
        ({"age_group": "99-100"}, "fi", "age_group", "Valitse ikä luettelosta."),
        ({"age_group": "99-100"}, "sv", "age_group", "Välj en ålder i listan."),
        ({"reply_by": "pigeon"}, "fi", "reply_by", "Valitse, miten haluat vastauksen."),
        ({"reply_by": ""}, "sv", "reply_by", "Välj hur du vill få svaret."),
        ({"reply_by": "email", "email": ""}, "fi", "email", "Kirjoita sähköpostiosoite, johon vastaus lähetetään."),
        ({"reply_by": "email", "email": ""}, "sv", "email", "Skriv e-postadressen som svaret ska skickas till."),
        ({"reply_by": "email", "email": "ei-osoite"}, "fi", "email", "Kirjoita sähköpostiosoite muodossa"),
        ({"reply_by": "email", "email": "inte-adress"}, "sv", "email", "Skriv en e-postadress i formen"),
        ({"started": "forged"}, "fi", None, "Lomake oli auki liian kauan"),
        ({"started": "forged"}, "sv", None, "Formuläret var öppet för länge"),
    ],
)
def test_ask__bad_input_gets_errors_in_the_language_and_a_summary(client, service, data, language, field, error):
    response = post_question(client, service, language=language, **data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert error in summary
    if field:
        anchor = f"id_{field}_0" if field == "reply_by" else f"id_{field}"
        assert f'href="#{anchor}"' in summary
        assert f'id="id_{field}_error"' in html and error in html.split(f'id="id_{field}_error"')[1].split("</p>")[0]
    assert not ContactRequest.objects.exists()
    # What the family wrote comes back with the form.
    if data.get("message", QUESTION) == QUESTION:
        assert "Lapseni ei nuku" in html


@pytest.mark.parametrize(("language", "error"), [("fi", "hyvin nopeasti"), ("sv", "mycket snabbt")])
def test_ask__sent_too_fast_is_refused_then_goes_through(client, service, settings, language, error):
    settings.FAMILY_FORM_MIN_SECONDS = 3
    url = ask_url("service", service.slug, language)
    submission = form_keys(client, url)["submission"]
    response = post_question(
        client, service, language=language, keys={"submission": submission, "started": started_token()}
    )
    assert response.status_code == 200 and error in response.content.decode()
    assert not ContactRequest.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        assert post_question(client, service, language=language).status_code == 303
    assert ContactRequest.objects.count() == 1


def test_ask__honeypot_gets_the_same_success_and_nothing_is_stored(client, service):
    response = post_question(client, service, website="http://spam.example")
    assert response.status_code == 303 and response["Location"] == sent_url()
    html = client.get(response["Location"]).content.decode()
    assert CODE_RE.search(html)  # looks the same, opens nothing
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize(("language", "error"), [("fi", "useita kysymyksiä"), ("sv", "flera frågor")])
def test_ask__too_many_from_one_client_are_refused(client, service, settings, language, error):
    settings.CONTACT_RATE = "2/hour"
    cache.clear()
    address = {"fi": "192.0.2.21", "sv": "192.0.2.22"}[language]
    for _ in range(2):
        assert post_question(client, service, language=language, address=address).status_code == 303
    response = post_question(client, service, language=language, address=address)
    assert response.status_code == 429 and error in response.content.decode()
    assert "Lapseni ei nuku" in response.content.decode()  # the question is still in the form
    assert ContactRequest.objects.count() == 2
    assert post_question(client, service, address="198.51.100.8").status_code == 303


def test_ask__invalid_posts_do_not_use_up_the_rate(client, service, settings):
    settings.CONTACT_RATE = "1/hour"
    cache.clear()
    for _ in range(3):
        assert post_question(client, service, message="", address="192.0.2.30").status_code == 200
    assert post_question(client, service, address="192.0.2.30").status_code == 303


# --- One question per form ---


def test_ask__the_same_form_sent_twice_stores_one_question(client, service, settings):
    settings.CONTACT_RATE = "1/hour"  # the second post of the same form is not counted either
    cache.clear()
    url = ask_url("service", service.slug)
    keys = form_keys(client, url)
    first = post_question(client, service, keys=keys, address="192.0.2.40")
    second = post_question(client, service, keys=keys, address="192.0.2.40")
    assert first.status_code == second.status_code == 303
    assert second["Location"] == first["Location"] == sent_url()
    assert ContactRequest.objects.count() == 1
    question = ContactRequest.objects.get()
    html = client.get(sent_url()).content.decode()
    assert question.reply_code_hash == codes.code_hash(CODE_RE.search(html).group(0))
    # A new form (new key) is a new question.
    assert post_question(client, service, address="192.0.2.41").status_code == 303
    assert ContactRequest.objects.count() == 2


def test_submit__a_key_stored_meanwhile_returns_the_earlier_question_without_a_code(service):
    earlier, code = delivery.submit(
        organisation=service.organisation, body=QUESTION, language="fi", submission="k" * 32
    )
    again, no_code = delivery.submit(
        organisation=service.organisation, body="toinen", language="fi", submission="k" * 32
    )
    assert code and no_code == "" and again == earlier and ContactRequest.objects.count() == 1


def test_ask__a_post_without_a_usable_key_is_still_stored(client, service):
    keys = form_keys(client, ask_url("service", service.slug))
    response = post_question(client, service, keys={"started": keys["started"], "submission": "<bad>"})
    assert response.status_code == 303
    assert len(ContactRequest.objects.get().submission) >= 20


# --- Nothing lost ---


def test_ask__with_the_broker_stopped_still_succeeds_stored_and_pending(
    client, service, broker_app, redis_server, monkeypatch, django_capture_on_commit_callbacks
):
    import perhekeskus.contact.tasks  # noqa: F401 (registers the task with the test's app)

    monkeypatch.setattr(delivery, "notify_task", lambda: broker_app.tasks[delivery.NOTIFY_TASK])
    redis_server.stop()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_question(client, service)
    assert callbacks  # the publish ran after the commit, and failed quietly
    assert response.status_code == 303
    question = ContactRequest.objects.get()
    assert question.notify_state == ContactRequest.NotifyState.PENDING and question.messages.get().body == QUESTION
    assert CODE_RE.search(client.get(response["Location"]).content.decode())


def test_ask__with_the_cache_down_the_question_is_still_stored(client, service, settings, caplog):
    # A Redis cache at a port nobody listens on: counting fails, the question goes through.
    settings.CACHES = {
        "default": {
            "BACKEND": "perhekeskus.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.CONTACT_RATE = "1/hour"
    for _ in range(2):
        assert post_question(client, service).status_code == 303
    assert ContactRequest.objects.count() == 2


def test_ask__a_cache_that_raises_does_not_lose_the_question(client, service, settings, monkeypatch, caplog):
    settings.CONTACT_RATE = "1/hour"

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)
    response = post_question(client, service)
    assert response.status_code == 303 and ContactRequest.objects.count() == 1
    assert "rate limit not counted" in caplog.text


def test_submit__two_posts_of_one_form_at_once_store_one(service, monkeypatch):
    """The second post did not see the first when it looked (both at once): the unique key refuses its row."""
    earlier, code = delivery.submit(
        organisation=service.organisation, body=QUESTION, language="fi", submission="r" * 32
    )
    original, looks = delivery.submitted, []

    def submitted(key):
        # The look before storing misses the first post; the look after the refusal finds it.
        looks.append(key)
        return None if len(looks) == 1 else original(key)

    monkeypatch.setattr(delivery, "submitted", submitted)
    again, no_code = delivery.submit(
        organisation=service.organisation, body="toinen", language="fi", submission="r" * 32
    )
    assert code and no_code == "" and again == earlier and len(looks) == 2
    assert ContactRequest.objects.count() == 1 and earlier.messages.get().body == QUESTION


@pytest.mark.parametrize(("language", "label"), [("fi", "1–6-vuotiaat"), ("sv", "1–6 år")])
def test_inbox__shows_the_childs_age_as_the_search_names_it(client, service, language, label):
    from tests.conftest import sign_in_staff

    post_question(client, service, age_group="1-6")
    question = ContactRequest.objects.get()
    with translation.override(language):
        assert question.age_group_label == label
    professional = Membership.objects.get(organisation=service.organisation).user
    sign_in_staff(client, professional)
    with translation.override(language):
        page = client.get(reverse("contact:question", kwargs={"public_id": question.public_id})).content.decode()
    assert label in page

"""“Did you find what you needed?” on a service page: counted per service, seen by its owner and coordinator."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from perhekeskus.voice.abuse import started_token
from services.models import ServiceFeedback
from tests.access_matrix import build_world
from tests.conftest import sign_in_staff, with_authenticator_app
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def feedback_url(service, language="fi"):
    with translation.override(language):
        return reverse("voice:feedback", kwargs={"pk": service.pk})


def post_feedback(client, service, language="fi", address="127.0.0.1", **data):
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=10), tick=False):
        started = started_token()
    fields = {"found": "yes", "text": "", "started": started, **data}
    return client.post(feedback_url(service, language), fields, REMOTE_ADDR=address)


QUESTIONS = [("fi", "Löysitkö tarvitsemasi?"), ("sv", "Hittade du det du behövde?")]


@pytest.mark.parametrize(("language", "question"), QUESTIONS)
def test_service_page__asks_and_thanks_without_javascript(client, language, question):
    service = ServiceFactory(published=True)
    with translation.override(language):
        page = client.get(service.get_absolute_url()).content.decode()
    assert question in page and f'action="{feedback_url(service, language)}"' in page
    response = post_feedback(client, service, language, found="no", text="Aukioloajat puuttuvat")
    assert response.status_code == 302 and response["Location"].endswith("?feedback=thanks#feedback")
    thanks = client.get(response["Location"]).content.decode()
    assert {"fi": "Kiitos palautteestasi!", "sv": "Tack för din respons!"}[language] in thanks
    feedback = ServiceFeedback.objects.get()
    assert (feedback.service, feedback.found, feedback.text) == (service, False, "Aukioloajat puuttuvat")


@pytest.mark.parametrize(
    ("data", "language", "error"),
    [
        ({"found": ""}, "fi", "Tämä kenttä vaaditaan"),
        ({"found": "maybe"}, "sv", "Välj ett giltigt alternativ"),
        ({"text": "x" * 501}, "fi", "enintään 500 merkkiä"),
        ({"text": "https://a.example https://b.example https://c.example"}, "sv", "högst 2 webbadresser"),
    ],
)
def test_feedback__bad_input_shows_the_form_with_errors(client, data, language, error):
    service = ServiceFactory(published=True)
    response = post_feedback(client, service, language, **data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not ServiceFeedback.objects.exists()


def test_feedback__abuse_limits(client, settings):
    service = ServiceFactory(published=True)
    assert post_feedback(client, service, website="spam").status_code == 302  # honeypot: thanks, nothing stored
    assert not ServiceFeedback.objects.exists()
    settings.FAMILY_FORM_MIN_SECONDS = 3
    response = client.post(feedback_url(service, "sv"), {"found": "yes", "started": started_token()})
    assert "mycket snabbt" in response.content.decode()
    settings.SERVICE_FEEDBACK_RATE = "1/hour"
    cache.clear()
    assert post_feedback(client, service, address="192.0.2.44").status_code == 302
    response = post_feedback(client, service, "fi", address="192.0.2.44")
    assert response.status_code == 429 and "monta kertaa" in response.content.decode()
    assert ServiceFeedback.objects.count() == 1


def test_feedback__counts_on_the_owners_partner_page_and_the_coordinators_admin(client):
    world = build_world()
    service = world.objects["own"]["service"]
    with time_machine.travel(timezone.now() - dt.timedelta(days=40)):
        ServiceFeedback.objects.create(service=service, found=False, text="Vanha kommentti")
    for found, text in ((True, ""), (True, "Hyvä sivu"), (False, "Puhelinaika puuttuu")):
        ServiceFeedback.objects.create(service=service, found=found, text=text)
    ServiceFeedback.objects.create(service=world.objects["same_area"]["service"], found=True, text="Naapurin palaute")

    client.force_login(world.user("editor"))
    with translation.override("sv"):
        home = client.get(reverse("partners:home")).content.decode()
    assert "Respons från familjer" in home
    assert "Hyvä sivu" in home and "Puhelinaika puuttuu" in home
    assert "Vanha kommentti" not in home and "Naapurin palaute" not in home
    assert "<td>2</td>" in home and "<td>1</td>" in home

    # The coordinator's scoped service admin is another part of the work; the panel is the same for everyone.
    client.logout()
    sign_in_staff(client, with_authenticator_app(world.user("superuser")))
    with translation.override("fi"):
        page = client.get(reverse("admin:services_service_change", args=[service.pk])).content.decode()
    assert "Kyllä: 2, ei: 1" in page and "Puhelinaika puuttuu" in page

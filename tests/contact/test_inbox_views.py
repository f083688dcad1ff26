"""The professionals' inbox: who gets in, what a read records, answering, closing and deleting through the pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from perhekeskus.contact.delivery import submit
from perhekeskus.contact.models import ContactAudit, ContactMessage, ContactRequest
from tests.access_matrix import READS_MESSAGES_OF, ROLES, build_world
from tests.conftest import sign_in_staff, with_authenticator_app

pytestmark = pytest.mark.django_db

QUESTION = "Miten saan ajan perheneuvolaan?"


def url(name, language="fi", **kwargs):
    with translation.override(language):
        return reverse(f"contact:{name}", kwargs=kwargs)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def question(world):
    return submit(organisation=world.organisations["own"], body=QUESTION, language="sv")[0]


def sign_in(client, user):
    """Signed in as after the whole sign-in; staff with their authenticator app and code (organisations/staff.py)."""
    if user is None:
        return
    if user.is_staff:
        sign_in_staff(client, with_authenticator_app(user))
    else:
        client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_every_role__reads_each_organisations_questions_only_as_the_matrix_says(client, world, role):
    """The matrix's "read messages" action (tests/access_matrix.READS_MESSAGES_OF), through the inbox's pages."""
    asked = {
        name: submit(organisation=world.organisations[name], body=f"{QUESTION} ({name})", language="fi")[0]
        for name in ("own", "same_area", "other_area")
    }
    sign_in(client, world.user(role))
    inbox = client.get(url("inbox"))
    unexpected = []
    for name, question in asked.items():
        page = client.get(url("question", public_id=question.public_id))
        allowed = name in READS_MESSAGES_OF[role]
        opened = page.status_code == 200 and f"{QUESTION} ({name})" in page.content.decode()
        listed = str(question.public_id) in inbox.content.decode()
        if (opened or listed) != allowed or (allowed and not (opened and listed)):
            unexpected.append((name, page.status_code, listed))
        if role == "anonymous":
            assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        elif not allowed:
            assert page.status_code == 403
    assert unexpected == []
    reads = ContactAudit.objects.filter(action="read").values_list("request_public_id", flat=True)
    assert set(reads) == {asked[name].public_id for name in READS_MESSAGES_OF[role]}


def test_an_unknown_question_gets_the_same_refusal_as_someone_elses(client, world):
    import uuid

    sign_in(client, world.user("professional"))
    assert client.get(url("question", public_id=uuid.uuid4())).status_code == 403


def test_answer__in_swedish_ui_saved_shown_and_audited(client, world, question):
    sign_in(client, world.user("professional"))
    page = client.get(url("question", "sv", public_id=question.public_id)).content.decode()
    assert "Familjen skrev på" in page and 'lang="sv"' in page
    response = client.post(url("question", "sv", public_id=question.public_id), {"body": "Ring oss på måndag."})
    assert response.status_code == 302
    answer = ContactMessage.objects.get(sender="staff")
    assert answer.body == "Ring oss på måndag." and answer.author == world.user("professional")
    page = client.get(response["Location"]).content.decode()
    assert "Ditt svar har sparats" in page and "Ring oss på måndag." in page
    assert list(ContactAudit.objects.order_by("pk").values_list("action", flat=True)) == [
        "read",
        "read",  # the POST opens it too
        "answered",
        "read",
    ]


def test_answer__empty_or_too_long_is_a_form_error_not_a_save(client, world, question):
    sign_in(client, world.user("professional"))
    for body in ("", "x" * 5001):
        response = client.post(url("question", public_id=question.public_id), {"body": body})
        assert response.status_code == 200
        assert 'class="field__error"' in response.content.decode()
    assert not ContactMessage.objects.filter(sender="staff").exists()


def test_close_and_delete(client, world, question):
    sign_in(client, world.user("coordinator"))
    assert client.get(url("close", public_id=question.public_id)).status_code == 405
    client.post(url("close", public_id=question.public_id))
    question.refresh_from_db()
    assert question.state == ContactRequest.State.CLOSED
    confirm = client.get(url("delete", public_id=question.public_id))
    assert "poistetaan pysyvästi" in confirm.content.decode()
    assert ContactRequest.objects.filter(pk=question.pk).exists()
    client.post(url("delete", public_id=question.public_id))
    assert not ContactRequest.objects.filter(pk=question.pk).exists()
    assert set(ContactAudit.objects.values_list("action", flat=True)) == {"closed", "deleted"}
    # Closed questions leave the default list; "show all" brings them back while they exist.
    assert client.get(url("inbox")).status_code == 200

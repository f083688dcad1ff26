"""A question reaches nobody outside the matrix's readers through any other door: every route, the API, the admin.

tests/contact/test_inbox_views.py proves the inbox's own pages. This crawls everything else the site answers — each
public route (pages, the API, feeds, the HSDS export) and, for staff, every admin list — as each role that may not
read the asking organisation's questions, and looks for the question, the answer and the question's id in what comes
back. A new page or API endpoint that shows questions is crawled without touching this test.
"""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from perhekeskus.contact.actions import answer
from perhekeskus.contact.delivery import submit
from tests.access_matrix import READS_MESSAGES_OF, ROLES, build_world
from tests.contact.test_inbox_views import sign_in
from tests.routes import make_route_objects, route_urls

pytestmark = pytest.mark.django_db

QUESTION = "Voiko lapsen tuoda kerhoon kesken syksyn? kysymys-7Q4X"
ANSWER = "Voi, tervetuloa maanantaina. vastaus-9Z2K"
OUTSIDERS = [role for role in ROLES if "own" not in READS_MESSAGES_OF[role]]


def test_the_outsiders_are_the_ones_the_matrix_says():
    assert set(OUTSIDERS) == {"anonymous", "editor", "coordinator_b"}


def test_no_admin_page_and_no_api_route_is_made_for_questions():
    """Questions are read in the inbox only (audited there); an admin or API view would bypass the audit log."""
    assert not [model for model in admin.site._registry if model._meta.app_label == "contact"]
    for name in ("contactrequest-list", "contact-list", "question-list", "contactrequest-detail"):
        with pytest.raises(NoReverseMatch):
            reverse(f"api:{name}")


@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_route_shows_a_question_to_a_role_outside_the_readers(client, role):
    world = build_world()
    question, _code = submit(organisation=world.organisations["own"], body=QUESTION, language="fi")
    answer(world.user("professional"), question, ANSWER)
    secrets = (QUESTION, ANSWER, str(question.public_id), "kysymys-7Q4X", "vastaus-9Z2K")
    objects = make_route_objects()
    sign_in(client, world.user(role))
    crawled, leaks = 0, []
    for language in ("fi", "sv"):
        for route, url in route_urls(language, objects):
            response = client.get(url)
            crawled += 1
            body = response.content.decode("utf-8", "replace") if not response.streaming else ""
            leaks += [(url, secret) for secret in secrets if secret in body]
    user = world.user(role)
    if user is not None and user.is_staff:
        for model in admin.site._registry:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            response = client.get(url)
            crawled += 1
            leaks += [(url, secret) for secret in secrets if secret in response.content.decode()]
    assert crawled > 100
    assert leaks == []

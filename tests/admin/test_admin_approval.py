"""The approval queue in the admin: partners' drafts awaiting approval, approved by the area's coordinator only."""

import pytest
from django.contrib.contenttypes.models import ContentType

from organisations.models import ChangeRecord
from services.models import ServiceClass
from tests.factories import ServiceFactory

from .helpers import admin_url, change_form_data, client_for

pytestmark = pytest.mark.django_db

BUTTON = {"fi": "Hyväksy ja julkaise", "sv": "Godkänn och publicera"}
FILTER = {"fi": "Odottaa hyväksyntää", "sv": "Väntar på godkännande"}


def _records(obj, action):
    content_type = ContentType.objects.get_for_model(obj)
    return ChangeRecord.objects.filter(content_type=content_type, object_id=obj.pk, action=action)


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("kind", ["service", "meeting_place", "activity"])
def test_awaiting_approval_filter__lists_the_drafts_the_coordinator_may_approve(world, kind, language):
    draft = world.objects["own_draft"][kind]
    lapland_draft = type(draft)._default_manager.get(pk=world.objects["other_area"][kind].pk)
    type(draft)._default_manager.filter(pk=lapland_draft.pk).update(state="draft")
    client = client_for(world.user("coordinator"))

    everything = client.get(admin_url(draft, "changelist", language=language))
    awaiting = client.get(admin_url(draft, "changelist", language=language), {"approval": "awaiting"})

    assert FILTER[language] in everything.content.decode()
    assert [obj.pk for obj in awaiting.context["cl"].result_list] == [draft.pk]


@pytest.mark.parametrize("kind", ["service", "meeting_place", "activity"])
def test_approve_action__publishes_the_areas_drafts_and_records_the_approval(world, kind):
    draft = world.objects["own_draft"][kind]
    published = world.objects["same_area"][kind]
    client = client_for(world.user("coordinator"))

    response = client.post(
        admin_url(draft, "changelist"),
        {"action": "approve_and_publish", "_selected_action": [draft.pk, published.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.state == "published"
    assert _records(draft, ChangeRecord.Action.APPROVED).get().changes["state"] == ["draft", "published"]
    assert not _records(published, ChangeRecord.Action.APPROVED).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert "1 tieto hyväksytty ja julkaistu. 1 valittu tieto ei ollut luonnos, jonka voit hyväksyä." in messages


def test_approve_action__another_areas_coordinator_cannot_approve_the_draft(world):
    draft = world.objects["own_draft"]["service"]
    client = client_for(world.user("coordinator_b"))

    client.post(admin_url(draft, "changelist"), {"action": "approve_and_publish", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.state == "draft"
    assert not _records(draft, ChangeRecord.Action.APPROVED).exists()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_change_page_button__shown_on_a_draft_and_approves_with_the_edit(world, language):
    draft = world.objects["own_draft"]["service"]
    client = client_for(world.user("coordinator"))
    page = client.get(admin_url(draft, "change", draft.pk, language=language))
    data = change_form_data(page)
    data["service_classes"] = [str(ServiceClass.objects.order_by("pk")[0].pk)]

    response = client.post(
        admin_url(draft, "change", draft.pk, language=language), {**data, "name_sv": "Ny tjänst", "_approve": "1"}
    )

    assert BUTTON[language] in page.content.decode()
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "published" and draft.name_sv == "Ny tjänst"
    changed = _records(draft, ChangeRecord.Action.CHANGED).get()
    assert changed.changes["name_sv"][1] == "Ny tjänst" and "state" not in changed.changes
    assert _records(draft, ChangeRecord.Action.APPROVED).get().changes["state"] == ["draft", "published"]


def test_change_page_button__not_on_published_entries_nor_for_those_who_may_not_approve(world):
    published = world.objects["own"]["service"]
    lapland_service_in_turku = ServiceFactory(
        organisation=world.organisations["own"], municipalities=published.municipalities.all(), state="draft"
    )
    coordinator = client_for(world.user("coordinator"))
    superuser = client_for(world.user("superuser"))

    assert BUTTON["fi"] not in coordinator.get(admin_url(published, "change", published.pk)).content.decode()
    draft_page = superuser.get(admin_url(lapland_service_in_turku, "change", lapland_service_in_turku.pk))
    assert BUTTON["fi"] in draft_page.content.decode()

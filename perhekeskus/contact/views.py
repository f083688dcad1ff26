"""The professionals' inbox of anonymous questions (staff side; the family's pages come with issue 11's forms).

Every page asks ``actions``, which asks ``organisations.access.inbox_organisations``: a professional of the
organisation or a coordinator of its area. Opening a question is written to the audit log; so are answering, closing
and deleting. Nothing here is cached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from organisations import access

from . import actions
from .forms import AnswerForm
from .models import ContactRequest

PAGE_SIZE = 50


@never_cache
@login_required
def inbox(request):
    if not access.inbox_organisations(request.user).exists():
        raise PermissionDenied
    show = request.GET.get("show", "open")
    questions = actions.inbox(request.user).select_related("organisation", "service", "meeting_place")
    if show != "all":
        questions = questions.exclude(state=ContactRequest.State.CLOSED)
    page = Paginator(questions.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contact/inbox.html", {"page": page, "show": show})


@never_cache
@login_required
def question(request, public_id):
    found = actions.open_for_staff(request.user, public_id)  # audited read; PermissionDenied for anyone else
    form = AnswerForm()
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                actions.answer(request.user, found, form.cleaned_data["body"])
            except actions.NotAllowed:
                messages.error(request, _("The family has closed this question: it can no longer be answered."))
            else:
                messages.success(request, _("Your answer was saved. The family can read it now."))
            return redirect("contact:question", public_id=found.public_id)
    return render(
        request,
        "contact/question.html",
        {"question": found, "messages_": actions.thread(found), "form": form},
    )


@login_required
@require_POST
def close(request, public_id):
    found = actions.inbox(request.user).filter(public_id=public_id).first()
    if found is None:
        raise PermissionDenied
    actions.staff_close(request.user, found)
    messages.success(request, _("The question is closed."))
    return redirect("contact:inbox")


@never_cache
@login_required
def delete(request, public_id):
    """Asks first (GET), deletes on the confirmation (POST)."""
    found = actions.inbox(request.user).filter(public_id=public_id).first()
    if found is None:
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "contact/delete.html", {"question": found})
    actions.delete(request.user, found)
    messages.success(request, _("The question and its answers were deleted."))
    return redirect("contact:inbox")

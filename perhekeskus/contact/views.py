"""The professionals' inbox of anonymous questions, and the family's page for reading the answer with the reply code.

Every staff page asks ``actions``, which asks ``organisations.access.inbox_organisations``: a professional of the
organisation or a coordinator of its area. Opening a question is written to the audit log; so are answering, closing
and deleting. Nothing here is cached.

The family's pages (``reply`` and its steps) open a question with its reply code, POSTed only, and keep it open on
that device in the session (its public id, never the code) for ``OPEN_FOR_SECONDS`` after the last page; wrong
codes are limited per client and per code prefix (``CONTACT_CODE_RATE``), and a wrong code, a deleted question and
an expired one are the same thing here: no row, the same message.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from organisations import access
from perhekeskus.voice import abuse

from . import actions, codes
from .forms import REPLY_MAX_LENGTH, AnswerForm, FamilyReplyForm, ReplyCodeForm
from .models import ContactMessage, ContactRequest

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


# --- The family's answer page: the reply code opens the question on this device for a while ---

# The session holds the opened question's public id and until when (seconds since the epoch), never the code. Each
# page shown moves the end on: a family reading and writing is not cut off, a forgotten tab is.
OPENED_KEY = "contact_opened"
OPEN_FOR_SECONDS = 30 * 60
CODE_SCOPE, PREFIX_SCOPE = "reply-code", "reply-code-prefix"


def _open_on_this_device(request, found: ContactRequest) -> None:
    # A new session key: a session id planted before (session fixation) does not open the question.
    request.session.cycle_key()
    request.session[OPENED_KEY] = {"question": str(found.public_id), "until": time.time() + OPEN_FOR_SECONDS}


def _opened(request) -> tuple[ContactRequest | None, bool]:
    """The question opened on this device, if still open (and its end moved on); and whether an opening expired."""
    held = request.session.get(OPENED_KEY)
    if not held:
        return None, False
    if held.get("until", 0) < time.time():
        del request.session[OPENED_KEY]
        return None, True
    found = (
        ContactRequest.objects.filter(public_id=held.get("question"))
        .select_related("organisation", "service", "meeting_place")
        .first()
    )
    if found is None:  # deleted meanwhile (retention, or by the organisation): as if the opening had expired
        del request.session[OPENED_KEY]
        return None, True
    request.session[OPENED_KEY] = {**held, "until": time.time() + OPEN_FOR_SECONDS}
    return found, False


def _code_page(request, form, *, status=200, expired=False):
    context = {"form": form, "expired": expired, "open_minutes": OPEN_FOR_SECONDS // 60}
    response = render(request, "contact/reply_code.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(abuse.seconds_left(settings.CONTACT_CODE_RATE))
    return response


def _thread_page(request, found, reply_form=None):
    thread = actions.thread(found)
    can_reply = actions.can_family_reply(found)
    if can_reply and reply_form is None:
        reply_form = FamilyReplyForm()
    return render(
        request,
        "contact/reply_thread.html",
        {
            "question": found,
            "messages_": thread,
            "reply_form": reply_form if can_reply else None,
            "replied": sum(message.sender == ContactMessage.Sender.FAMILY for message in thread) > 1,
            "answered": any(message.sender == ContactMessage.Sender.STAFF for message in thread),
            "retention_days": settings.CONTACT_RETENTION_DAYS,
        },
    )


def _open_with_code(request):
    """A POSTed reply code. Wrong codes (and those of deleted or expired questions: the same thing, no row) are
    counted per client and per code prefix before the look-up, so parallel guesses cannot pass the limit; a right
    one is forgiven."""
    form = ReplyCodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, form)
    typed, rate = form.cleaned_data["code"], settings.CONTACT_CODE_RATE
    prefix_key = abuse.salted_key(f"{PREFIX_SCOPE}:{codes.prefix(typed)}")
    over_client = abuse.over_limit(request, CODE_SCOPE, rate)
    over_prefix = abuse.over_limit(request, PREFIX_SCOPE, rate, key=prefix_key)
    if over_client or over_prefix:
        minutes = max(1, round(abuse.seconds_left(rate) / 60))
        form.add_error(
            None,
            ngettext(
                "Too many codes were tried in a short while, so this form is paused for your security. Please try "
                "again in %(minutes)s minute.",
                "Too many codes were tried in a short while, so this form is paused for your security. Please try "
                "again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return _code_page(request, form, status=429)
    found = actions.find_by_code(typed)
    if found is None:
        form.add_error(
            "code",
            _(
                "No question opens with this code. Please check the code. Questions and their answers are deleted "
                "some time after they were answered or closed."
            ),
        )
        return _code_page(request, form)
    abuse.forgive(request, CODE_SCOPE, rate)
    abuse.forgive(request, PREFIX_SCOPE, rate, key=prefix_key)
    _open_on_this_device(request, found)
    draft = form.cleaned_data["draft"]
    if draft and actions.can_family_reply(found):
        # The reply written before the opening expired: back in the form, for the family to check and send.
        messages.info(request, _("Your reply has not been sent yet. Please check it and send it."))
        return _thread_page(request, found, FamilyReplyForm(initial={"message": draft}))
    return redirect("contact:reply")


@sensitive_post_parameters("code")
@never_cache
def reply(request):
    """GET: the opened question's thread, or the code form. POST: a reply code (only ever in a POST body)."""
    if request.method == "POST":
        return _open_with_code(request)
    found, expired = _opened(request)
    if found is None:
        return _code_page(request, ReplyCodeForm(), expired=expired)
    return _thread_page(request, found)


def _not_opened(request, expired, draft=""):
    """A step on a question no longer (or never) open on this device: the code form again, keeping a written reply."""
    form = ReplyCodeForm(initial={"draft": draft})
    return _code_page(request, form, expired=expired or bool(draft))


@sensitive_post_parameters("code")
@never_cache
@require_POST
def reply_send(request):
    """The family's one reply to an answer."""
    found, expired = _opened(request)
    if found is None:
        return _not_opened(request, expired, request.POST.get("message", "")[:REPLY_MAX_LENGTH])
    form = FamilyReplyForm(request.POST)
    if form.is_robot:
        return redirect("contact:reply")
    if not form.is_valid():
        return _thread_page(request, found, form)
    try:
        actions.family_reply(found, form.cleaned_data["message"])
    except actions.NotAllowed:
        messages.error(
            request,
            _("A reply can be sent once, after an answer, while the question is open. This reply was not sent."),
        )
    else:
        messages.success(request, _("Your reply was sent. The answer will appear here."))
    return redirect("contact:reply")


@never_cache
def reply_close(request):
    """Asks first (GET), closes on the confirmation (POST)."""
    found, expired = _opened(request)
    if found is None:
        return _not_opened(request, expired)
    if request.method != "POST":
        return render(
            request,
            "contact/reply_close.html",
            {"question": found, "retention_days": settings.CONTACT_RETENTION_DAYS},
        )
    actions.family_close(found)
    messages.success(request, _("Your question is closed. Thank you!"))
    return redirect("contact:reply")


@never_cache
@require_POST
def reply_forget(request):
    """Done: the question is no longer open on this device (its code opens it again)."""
    request.session.pop(OPENED_KEY, None)
    messages.success(request, _("The question is no longer open on this device. Your reply code opens it again."))
    return redirect("contact:reply")

"""The family's side of anonymous contact: ask a question on a service, meeting place or organisation page, then see
the reply code once.

The ask form carries ``voice.abuse``'s protections (honeypot, fill time, links) and is limited per client by
CONTACT_RATE; a robot (the honeypot filled) is shown the same success and nothing is stored. A valid question goes
through ``delivery.submit`` (stored with its notification pending, whatever the broker does), keyed by the form's
one-time ``submission`` so a second post of the same form stores nothing new. The code goes to the sent page in the
session, encrypted, and is removed from it when shown.
"""

from django.conf import settings
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from meetingplaces.models import MeetingPlace
from organisations.models import Organisation
from organisations.querysets import receives_questions
from perhekeskus.voice import abuse
from services.models import Service

from . import codes, crypto, delivery
from .forms import AskForm

# The kinds of page a family can ask on, by the name used in URLs, and the path to the organisation that answers.
ASKABLE: dict[str, tuple[type[Model], str]] = {
    "service": (Service, "organisation"),
    "meeting-place": (MeetingPlace, "organisation"),
    "organisation": (Organisation, "pk"),
}
SESSION_KEY = "contact_sent"


def askable_target(kind: str, slug: str):
    """The published entry (or organisation) *slug* of *kind*, if a question to it reaches someone; else 404."""
    if kind not in ASKABLE:
        raise Http404
    model, organisation = ASKABLE[kind]
    queryset = (
        model.objects.all() if model is Organisation else model.objects.published().select_related("organisation")
    )
    return get_object_or_404(
        queryset.annotate(receives_questions=receives_questions(organisation)), slug=slug, receives_questions=True
    )


def addressed(target) -> dict:
    """``delivery.submit``'s keywords naming who the question is to."""
    if isinstance(target, Organisation):
        return {"organisation": target}
    if isinstance(target, Service):
        return {"organisation": target.organisation, "service": target}
    return {"organisation": target.organisation, "meeting_place": target}


def see_sent_page():
    response = redirect("contact:sent")
    response.status_code = 303  # the browser GETs the sent page; reloading it never posts again
    return response


def remember_code(request, code: str, *, by_email: bool) -> None:
    request.session[SESSION_KEY] = {"code": crypto.encrypt(code), "email": by_email}


@never_cache
def ask(request, kind, slug):
    target = askable_target(kind, slug)
    form = AskForm(data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_robot:
            # The same answer as for a person, a code that opens nothing, and nothing stored.
            remember_code(request, codes.new_code(), by_email=request.POST.get("reply_by") == "email")
            return see_sent_page()
        if form.is_valid():
            data = form.cleaned_data
            if delivery.submitted(data["submission"]):
                # The same form again (a double click, a resend): its code is in the session still or was shown.
                return see_sent_page()
            if abuse.over_limit(request, "contact", settings.CONTACT_RATE):
                form.add_error(None, _("You have sent several questions in a short time. Please try again later."))
                status = 429
            else:
                _question, code = delivery.submit(
                    **addressed(target),
                    body=data["message"],
                    language=get_language() or settings.LANGUAGE_CODE,
                    topic=data["topic"],
                    age_group=data["age_group"],
                    reply_email=data["email"],
                    submission=data["submission"],
                )
                if code:  # else the same form was stored meanwhile by a post at the same time
                    remember_code(request, code, by_email=bool(data["email"]))
                return see_sent_page()
    return render(
        request,
        "contact/ask.html",
        {
            "form": form,
            "target": target,
            "kind": kind,
            "retention_days": settings.CONTACT_RETENTION_DAYS,
            "unanswered_retention_days": settings.CONTACT_UNANSWERED_RETENTION_DAYS,
        },
        status=status,
    )


@never_cache
def sent(request):
    """Show the reply code once: it leaves the session as it is shown; a reload says it was shown already."""
    remembered = request.session.pop(SESSION_KEY, None)
    if remembered and not request.session.keys():
        # Nothing else in it (a family's session): end it, so no empty session row and cookie outlive the code.
        request.session.flush()
    code = ""
    if remembered:
        try:
            code = crypto.decrypt(remembered["code"])
        except (crypto.InvalidToken, KeyError, TypeError):
            code = ""
    return render(
        request,
        "contact/sent.html",
        {
            "code": code,
            "by_email": bool(remembered and remembered.get("email")),
            "code_length": codes.LENGTH,
            "reply_url": reverse("contact:reply"),
        },
    )

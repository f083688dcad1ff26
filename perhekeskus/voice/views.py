"""Family-facing forms: report a problem with an entry's information; say whether a service page helped.

Both work without JavaScript (POST, then a redirect), carry the abuse protections of ``abuse.ProtectedForm`` and are
rate-limited per client; neither stores anything that identifies the family beyond an optional reply address.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meetingplaces.models import MeetingPlace
from organisations.actions import report_problem
from services.models import Service

from . import abuse, actions
from .forms import ProblemReportForm, ServiceFeedbackForm

# The kinds of entry a family can report on, by the name used in URLs (the partner pages use the same names).
REPORTABLE = {"service": Service, "meeting-place": MeetingPlace}
THANKS = "feedback=thanks"


def published_target(kind: str, pk: int):
    model = REPORTABLE.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.published().select_related("organisation"), pk=pk)


def report(request, kind, pk):
    target = published_target(kind, pk)
    form = ProblemReportForm(data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if abuse.over_limit(request, "report", settings.PROBLEM_REPORT_RATE):
            form.add_error(None, _("You have sent several reports in a short time. Please try again later."))
            status = 429
        elif form.is_robot:
            return redirect("voice:report-thanks", kind=kind, pk=pk)
        elif form.is_valid():
            report_problem(
                target=target,
                message=form.cleaned_data["message"],
                reply_email=form.cleaned_data["reply_email"],
                language=get_language() or "",
            )
            return redirect("voice:report-thanks", kind=kind, pk=pk)
    return render(request, "voice/report_form.html", {"form": form, "target": target, "kind": kind}, status=status)


def report_thanks(request, kind, pk):
    return render(request, "voice/report_thanks.html", {"target": published_target(kind, pk)})


def feedback(request, pk):
    """The service page's feedback form: GET shows it alone (and with errors); a valid POST returns to the service,
    whose feedback section then thanks the family instead of showing the form again."""
    service = get_object_or_404(Service.objects.published(), pk=pk)
    form = ServiceFeedbackForm(data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if abuse.over_limit(request, "feedback", settings.SERVICE_FEEDBACK_RATE):
            form.add_error(None, _("You have sent feedback several times in a short time. Please try again later."))
            status = 429
        elif form.is_robot or form.is_valid():
            if not form.is_robot:
                actions.give_feedback(
                    service=service,
                    found=form.cleaned_data["found"],
                    text=form.cleaned_data["text"],
                    language=get_language() or "",
                )
            # The thanks shows where the form was (the messages sit at the top of the page, out of sight).
            return redirect(service.get_absolute_url() + f"?{THANKS}#feedback")
    return render(request, "voice/feedback_form.html", {"form": form, "service": service}, status=status)

"""The family feedback form on the service page: rendered here, in the composition layer, so that the services app
needs to know nothing about it."""

from django import template

from perhekeskus.voice.forms import ServiceFeedbackForm
from services.pagecache import page_holes

register = template.Library()


@register.inclusion_tag("voice/includes/feedback_section.html", takes_context=True)
def feedback_form(context, service):
    request = context.get("request")
    thanked = request is not None and request.GET.get("feedback") == "thanks"
    form = None if thanked else ServiceFeedbackForm()
    holes = page_holes(context)
    if form is not None and holes is not None:  # the page is kept in the cache: the start time is the request's
        form.initial["started"] = holes.fresh("perhekeskus.voice.abuse.started_token")
    return {
        "service": service,
        "form": form,
        "csrf_token": context.get("csrf_token"),
    }

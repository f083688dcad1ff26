"""The family feedback form on the service page: rendered here, in the composition layer, so that the services app
needs to know nothing about it."""

from django import template

from perhekeskus.voice.forms import ServiceFeedbackForm

register = template.Library()


@register.inclusion_tag("voice/includes/feedback_section.html", takes_context=True)
def feedback_form(context, service):
    request = context.get("request")
    thanked = request is not None and request.GET.get("feedback") == "thanks"
    return {
        "service": service,
        "form": None if thanked else ServiceFeedbackForm(),
        "csrf_token": context.get("csrf_token"),
    }

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def staff_idle_seconds() -> int:
    """How long a staff session may stay idle (organisations.staff), for the sign-out warning's timer."""
    return settings.STAFF_IDLE_TIMEOUT


@register.simple_tag(takes_context=True)
def account_home(context) -> str:
    """Where the signed-in user's work is: the admin for coordinators, the partner pages for members (the adapter's
    landing after sign-in)."""
    from allauth.account.adapter import get_adapter

    request = context["request"]
    return get_adapter(request).get_login_redirect_url(request)

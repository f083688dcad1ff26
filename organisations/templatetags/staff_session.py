from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def staff_idle_seconds() -> int:
    """How long a staff session may stay idle (organisations.staff), for the sign-out warning's timer."""
    return settings.STAFF_IDLE_TIMEOUT

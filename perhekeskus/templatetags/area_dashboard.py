"""The coordinator dashboard's link on the admin index, and admin links to the entries it lists."""

from django import template
from django.urls import NoReverseMatch, reverse

from organisations import access

register = template.Library()


@register.simple_tag(takes_context=True)
def coordinator_dashboard_url(context) -> str:
    """The dashboard's address for a coordinator or superuser; "" for anyone else (no link shown)."""
    request = context.get("request")
    if request is None or not access.is_coordinator(request.user):
        return ""
    return reverse("admin-dashboard")


@register.filter
def admin_change_url(obj) -> str:
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


@register.filter
def verbose_name(obj) -> str:
    return str(obj._meta.verbose_name)

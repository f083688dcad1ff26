from django import template

from perhekeskus.admin import result_count_text

register = template.Library()


@register.simple_tag
def result_count(cl) -> str:
    """The change list's row count with its noun ("409 palvelua"): templates/admin/pagination.html."""
    return result_count_text(cl.opts, cl.result_count)

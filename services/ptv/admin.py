"""The admin's "Data from PTV" panel: per imported field, "from PTV <date>" or "edited here", and a way back."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisations.history import distinct_subjects, record_change, snapshot

from .accessors import accessors_for
from .actions import revert_to_ptv
from .provenance import EDITED_HERE, can_revert, status

REVERT_FIELD = "ptv_revert"

# Collection "fields" are not model fields: their labels.
COLLECTION_LABELS = {
    "phones": _("phone numbers"),
    "emails": _("e-mail addresses"),
    "links": _("web links"),
    "locations": _("visiting locations"),
    "opening_hours": _("opening hours"),
    "exceptions": _("exceptional opening hours"),
}


def field_label(obj, name: str) -> str:
    if name in COLLECTION_LABELS:
        return str(COLLECTION_LABELS[name])
    try:
        return str(obj._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 (a field PTV gave that the model no longer has)
        return name


class PTVProvenanceMixin:
    """Adds the read-only panel, reverts the fields ticked in it on save, and a changelist action."""

    ptv_fieldset = (_("Data from PTV"), {"fields": ("ptv_provenance",), "classes": ("ptv-provenance",)})

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "ptv_provenance")

    def get_fieldsets(self, request, obj=None):
        # The panel has its own section, at the end and only on imported rows, never among the plain fields.
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "ptv_provenance"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and obj.ptv_fields:
            fieldsets.append(self.ptv_fieldset)
        return fieldsets

    @admin.display(description=_("Imported fields"))
    def ptv_provenance(self, obj):
        rows = []
        accessors = accessors_for(obj)
        for name, state, imported_at in status(obj, accessors=accessors):
            if state == EDITED_HERE:
                text, choice = gettext("edited here"), ""
            if state == EDITED_HERE and can_revert(obj, name, accessors):
                choice = format_html(
                    '<label><input type="checkbox" name="{}" value="{}"> {}</label>',
                    REVERT_FIELD,
                    name,
                    gettext("Return to PTV’s value"),
                )
            if state != EDITED_HERE:
                day = formats.date_format(timezone.localtime(imported_at), "SHORT_DATE_FORMAT") if imported_at else ""
                text, choice = gettext("from PTV %(date)s") % {"date": day}, ""
            rows.append((field_label(obj, name), text, choice))
        body = format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<table><caption>{}</caption><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><td></td></tr>"
            "</thead><tbody>{}</tbody></table>",
            gettext("Tick the fields to return to PTV’s value, then save."),
            gettext("Field"),
            gettext("Source"),
            body,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inlines, so that returned phones or hours are not overwritten by the posted inline rows.
        names = request.POST.getlist(REVERT_FIELD)
        if change and names:
            # The admin's history records this save (ScopedAdminMixin, before this mixin), the returned values too.
            reverted = revert_to_ptv(obj=form.instance, fields=names)
            if reverted:
                self.message_user(
                    request,
                    gettext("Returned to PTV’s value: %(fields)s")
                    % {"fields": ", ".join(field_label(form.instance, n) for n in reverted)},
                    messages.SUCCESS,
                )

    @transaction.atomic
    def _revert_recorded(self, request, obj, fields) -> list[str]:
        """Return *fields* of *obj* to PTV's values, recorded in the history of the listing they belong to."""
        subjects = [(subject, snapshot(subject)) for subject in distinct_subjects(obj)]
        reverted = revert_to_ptv(obj=obj, fields=fields)
        for subject, before in subjects:
            record_change(user=request.user, obj=subject, before=before)
        return reverted

    @admin.action(description=_("Return the fields edited here to PTV’s values"))
    def revert_edited_fields_to_ptv(self, request, queryset):
        count = 0
        for obj in queryset.exclude(ptv_fields={}):
            edited = [name for name, state, _when in status(obj, accessors=accessors_for(obj)) if state == EDITED_HERE]
            if edited and self._revert_recorded(request, obj, edited):
                count += 1
        self.message_user(request, gettext("%(count)d rows returned to PTV’s values.") % {"count": count})

"""Build the POST data a partner's browser would send for an entry's form as it stands (then change a field)."""

from django.urls import reverse
from django.utils import translation

from perhekeskus.partners import editing


def url(name, language="fi", **kwargs):
    with translation.override(language):
        return reverse(f"partners:{name}", kwargs=kwargs)


def _values(form, data):
    for name, bound in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        widget = bound.widget
        if value is None or value == "":
            if widget.__class__.__name__ == "NullBooleanSelect":
                data[key] = "unknown"
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, bool):
            if widget.__class__.__name__ == "NullBooleanSelect":
                data[key] = "true" if value else "false"
            elif value:
                data[key] = "on"
        elif hasattr(value, "strftime"):
            data[key] = value.strftime("%H:%M" if hasattr(value, "hour") and not hasattr(value, "day") else "%Y-%m-%d")
        else:
            data[key] = str(getattr(value, "pk", value))


def form_data(kind_slug, instance, user, **changes):
    """The entry's form and formsets as POST data (the existing rows, no extra row), with *changes* applied."""
    kind = editing.LOCATION if kind_slug == "location" else editing.KINDS[kind_slug]
    data = {}
    _values(kind.form(instance=instance, user=user), data)
    for prefix, formset_class in kind.formsets:
        formset = formset_class(instance=instance, prefix=prefix)
        rows = formset.initial_form_count()
        data[f"{prefix}-TOTAL_FORMS"] = str(rows)
        data[f"{prefix}-INITIAL_FORMS"] = str(rows)
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for row in formset.forms[:rows]:
            _values(row, data)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def rows(prefix, *rows_data, initial=0):
    """Management data and fields for new formset rows: rows(prefix, {"weekday": "1", ...}, ...)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(initial + len(rows_data)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows_data, start=initial):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data

"""Driving the admin as a coordinator would: signed-in clients, a change page's own form data, undone changes."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction
from django.forms import MultiWidget
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import sign_in_staff, with_authenticator_app


def client_for(user) -> Client:
    """A client signed in as *user* the way they would be: staff with password and code, others with a password."""
    client = Client()
    if user is None:
        return client
    if user.is_staff:
        return sign_in_staff(client, with_authenticator_app(user))
    client.force_login(user)
    return client


def admin_url(obj_or_model, view: str, *args, language: str = "fi") -> str:
    opts = obj_or_model._meta
    with translation.override(language):
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _form_values(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(field.widget, MultiWidget):
            parts = field.widget.decompress(value)
            for suffix, part in zip(field.widget.widgets_names, parts, strict=True):
                if part is not None:
                    data[bound.html_name + suffix] = str(part)
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = str(value)
    return data


def change_form_data(response) -> dict:
    """What the change page's form (and every inline formset) would POST back unchanged."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data


@contextmanager
def undone():
    """Run a request that may change data, then roll its changes back (the next cell starts from the same world)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)

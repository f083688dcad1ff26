"""schemathesis against the API's own OpenAPI description: every operation, valid and invalid inputs.

No response may be a server error or differ from what the schema promises (status code, content type, body). The
schema is loaded inside the test database (its enums list the reference codes) from the Django WSGI app itself.
"""

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    ActivityFactory,
    EmailAddressFactory,
    LocationExceptionFactory,
    LocationFactory,
    LocationOpeningHoursFactory,
    MeetingPlaceFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PhoneNumberFactory,
    ServiceFactory,
    WebLinkFactory,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# 20 valid and 20 invalid requests per operation (hypothesis's fuzzing). The coverage phase (every boundary value of
# every parameter, in combinations) is off: ~1 400 requests for the services list alone, a minute at least.
CONFIG = {
    "generation": {"max-examples": 20, "database": "none", "deterministic": True},
    "phases": {"coverage": {"enabled": False}},
}


def _content():
    """A little of everything, so responses have nested channels, nulls and translations to conform."""
    helsinki = MunicipalityFactory(code="091")
    organisation = OrganisationFactory(areas=[helsinki.area], municipality=helsinki, website="https://example.fi")
    service = ServiceFactory(published=True, organisation=organisation, municipalities=[helsinki], name_en="Clinic")
    location = LocationFactory(service=service, municipality=helsinki, latitude=60.17, longitude=24.94)
    LocationOpeningHoursFactory(location=location)
    LocationExceptionFactory(location=location, date=dt.date(2099, 1, 1))
    PhoneNumberFactory(service=service)
    EmailAddressFactory(service=service)
    WebLinkFactory(service=service)
    ServiceFactory(published=True)
    place = MeetingPlaceFactory(published=True, organisation=organisation, municipality=helsinki)
    ActivityFactory(meeting_place=place)


@pytest.fixture
def api_schema(db, settings, request):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # schemathesis 4.32 reads pytest's private Node._nodeid, which pytest 9 no longer has.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    _content()
    # As Django's test client does: a request must not close the connection that holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", get_wsgi_application(), config=SchemathesisConfig.from_dict(CONFIG)
        )
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api__conforms_to_its_schema_and_never_fails(case):
    # The WSGI transport asks for gzip (as requests does) but hands the body over undecoded; the site's gzip is
    # tested in tests/test_compression.py.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)

"""Shared bits of the PTV tests: the fixture files and a snapshot of every row an import writes."""

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from organisations.models import Organisation
from services.models import (
    EmailAddress,
    Location,
    LocationException,
    LocationOpeningHours,
    PhoneNumber,
    Service,
    WebLink,
)

FIXTURES = Path(__file__).parent / "fixtures"
V12 = FIXTURES / "v12"
V11 = FIXTURES / "v11"
# The import runs "today" = the day the fixtures were made; holidays are computed for this year and the next.
IMPORT_DAY = dt.datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))

SRV_CLINIC = "b0a1c2d3-0001-4e5f-8a9b-000000000001"
SRV_COUNSEL = "b0a1c2d3-0002-4e5f-8a9b-000000000002"
SRV_CAFE = "b0a1c2d3-0003-4e5f-8a9b-000000000003"
CH_TURKU = "c0a1c2d3-0001-4e5f-8a9b-000000000011"
V11_SRV = "7c3e8c4a-2f5d-4e3a-9c73-4b8c5d9eaf01"


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8-sig"))


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot() -> dict:
    """Every imported row with every column, to prove a run changed nothing."""
    models = (Organisation, Service, Location, LocationOpeningHours, LocationException, PhoneNumber, EmailAddress)
    rows = {model.__name__: sorted(map(repr, model.objects.order_by("pk").values())) for model in models}
    rows["WebLink"] = sorted(map(repr, WebLink.objects.order_by("pk").values()))
    rows["m2m"] = sorted(
        repr(
            (
                s.pk,
                sorted(s.service_classes.values_list("code", flat=True)),
                sorted(s.life_situations.values_list("code", flat=True)),
                sorted(s.municipalities.values_list("code", flat=True)),
            )
        )
        for s in Service.objects.all()
    )
    return rows

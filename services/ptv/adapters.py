"""PTV payloads (v12, or the older v11) into one common shape: v12's, which the rest of the importer reads.

v12 is the target: its objects pass through nearly as they are. v11 objects are rewritten into the v12 shape
(``languageVersions`` per language, ``contentId``, ``serviceHours{hours, holidayServiceHours}``…), so mapping and
hours have one shape to read. A file or an answer is recognised by its paging keys: v12 pages carry ``items``, v11
pages ``itemList``; bare objects and lists of objects are accepted too. v11 payloads may start with a UTF-8 BOM.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

SERVICE, CHANNEL, ORGANISATION, CONNECTION, ARCHIVED = "service", "channel", "organisation", "connection", "archived"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Bundle:
    """What one import run applies: objects by PTV id, connections per service, and ids PTV removed.

    ``connections`` holds a service's channel ids only when the whole list is known (a v11 service carries it; v12
    needs connection pages): the importer touches a service's locations and contacts only then.
    """

    organisations: dict[str, dict] = field(default_factory=dict)
    services: dict[str, dict] = field(default_factory=dict)
    channels: dict[str, dict] = field(default_factory=dict)
    connections: dict[str, list[str]] = field(default_factory=dict)
    archived: set[str] = field(default_factory=set)
    connections_known: bool = False

    def add(self, kind: str, item: dict) -> None:
        if kind == SERVICE:
            self.services[item["contentId"]] = item
            if "_channels" in item:
                self.connections[item["contentId"]] = list(item["_channels"])
        elif kind == CHANNEL:
            self.channels[item["contentId"]] = item
        elif kind == ORGANISATION:
            self.organisations[item["contentId"]] = item
        elif kind == CONNECTION:
            self.connections_known = True
            channels = self.connections.setdefault(item["serviceContentId"], [])
            if item["channelContentId"] not in channels:
                channels.append(item["channelContentId"])
        elif kind == ARCHIVED:
            self.archived.add(item["contentId"])

    def channels_of(self, service_id: str) -> list[str] | None:
        """The service's channel ids when known (all of them), else None."""
        if service_id in self.connections:
            return self.connections[service_id]
        if self.connections_known:
            return []
        return None


class PayloadError(ValueError):
    """A file or answer that is not a PTV page or object."""


def load_json(raw: bytes | str):
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8-sig")  # v11 answers start with a byte-order mark
    return json.loads(raw.lstrip("\ufeff"))


def read_files(paths: list[Path]) -> Bundle:
    """Read JSON files (or every *.json in a directory, sorted) into one bundle."""
    bundle = Bundle()
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    for path in files:
        try:
            payload = load_json(path.read_bytes())
        except (OSError, ValueError) as error:
            raise PayloadError(f"{path}: {error}") from error
        for kind, item in items_of(payload, source=str(path)):
            bundle.add(kind, item)
    return bundle


def items_of(payload, source: str = "answer"):
    """(kind, common-shape item) for each object of a page, a list or a single object."""
    if isinstance(payload, dict) and isinstance(payload.get("items"), list):
        objects, version = payload["items"], 12
    elif isinstance(payload, dict) and isinstance(payload.get("itemList"), list):
        objects, version = payload["itemList"], 11
    elif isinstance(payload, list):
        objects, version = payload, None
    elif isinstance(payload, dict):
        objects, version = [payload], None
    else:
        raise PayloadError(f"{source}: not a PTV page or object")
    for obj in objects:
        if not isinstance(obj, dict):
            raise PayloadError(f"{source}: an item is not an object")
        yield adapt(obj, version)


def adapt(obj: dict, version: int | None = None) -> tuple[str, dict]:
    """Recognise one object and return (kind, item in the common v12 shape)."""
    if version == 11 or (version is None and "id" in obj and "contentId" not in obj):
        return adapt_v11(obj)
    if "serviceContentId" in obj and "channelContentId" in obj:
        return CONNECTION, obj
    if "serviceChannelType" in obj:
        return CHANNEL, obj
    if "serviceType" in obj or "serviceClasses" in obj:
        return SERVICE, obj
    if "organizationType" in obj or "businessId" in obj:
        return ORGANISATION, obj
    if set(obj) <= {"contentId", "archivedAt", "type"} and "contentId" in obj:
        return ARCHIVED, obj
    raise PayloadError(f"unknown PTV object with keys {sorted(obj)[:8]}")


# --- v11 → v12 ---

V11_CHANNEL_TYPES = {"EChannel": "EService", "Phone": "TelephoneService"}
V11_CHARGE = {"FreeOfCharge": "Free", "Chargeable": "Charged", "Free": "Free", "Charged": "Charged"}
V11_AREA_TYPES = {
    "Nationwide": "WholeCountry",
    "NationwideExceptAlandIslands": "WholeCountryExceptAland",
    "LimitedType": "LimitedArea",
}
V11_DESCRIPTION_FIELDS = {
    "Summary": "summary",
    "ShortDescription": "summary",
    "Description": "description",
    "UserInstruction": "userInstructions",
    "ServiceUserInstruction": "userInstructions",
    "ChargeTypeAdditionalInfo": "chargeTypeAdditionalInformation",
}
REMOVED_STATES = {"Archived", "Withdrawn", "Deleted", "OldPublished"}


def adapt_v11(obj: dict) -> tuple[str, dict]:
    if obj.get("publishingStatus") in REMOVED_STATES:
        return ARCHIVED, {"contentId": obj["id"]}
    if "serviceChannelType" in obj:
        return CHANNEL, _v11_channel(obj)
    if "serviceNames" in obj:
        return SERVICE, _v11_service(obj)
    if "organizationNames" in obj or "organizationType" in obj:
        return ORGANISATION, _v11_organisation(obj)
    raise PayloadError(f"unknown PTV v11 object with keys {sorted(obj)[:8]}")


def _texts(versions: dict, items, default_field: str | None = None) -> None:
    """Spread v11 [{language, value, type}] into versions[lang][field]."""
    for item in items or []:
        language, value = item.get("language"), item.get("value")
        if not language or value is None:
            continue
        kind = item.get("type")
        name = default_field if default_field else V11_DESCRIPTION_FIELDS.get(kind)
        if default_field == "name" and kind == "AlternativeName":
            name = "alternativeName"
        if name:
            versions.setdefault(language, {})[name] = value


def _code(item) -> str | None:
    if isinstance(item, str):
        return item
    if not isinstance(item, dict):
        return None
    if item.get("code"):
        return item["code"]
    uri = item.get("uri") or ""
    return uri.rstrip("/").rsplit("/", 1)[-1] or None


def _v11_area(obj: dict) -> dict:
    area = {"areaType": V11_AREA_TYPES.get(obj.get("areaType"), obj.get("areaType")), "municipalities": []}
    area["regions"], area["wellbeingServicesCounties"] = [], []
    for item in obj.get("areas") or []:
        codes = [item["code"]] if item.get("code") else list(item.get("areaCodes") or [])
        target = {
            "Municipality": "municipalities",
            "Region": "regions",
            "WellbeingServiceCounties": "wellbeingServicesCounties",
        }.get(item.get("type"))
        if target:
            area[target].extend(codes)
        for municipality in item.get("municipalities") or []:
            code = _code(municipality)
            if code and item.get("type") != "Municipality":
                area["municipalities"].append(code)
    return area


def _v11_service(obj: dict) -> dict:
    versions: dict[str, dict] = {}
    _texts(versions, obj.get("serviceNames"), "name")
    _texts(versions, obj.get("serviceDescriptions"))
    _texts(versions, obj.get("requirements"), "conditions")
    for keyword in obj.get("keywords") or []:
        if keyword.get("language") and keyword.get("value"):
            versions.setdefault(keyword["language"], {}).setdefault("freelyAssignedKeywords", []).append(
                keyword["value"]
            )
    organisation = obj.get("mainResponsibleOrganization") or obj.get("organizationId")
    for role in obj.get("organizations") or []:
        if not organisation and role.get("roleType") == "Responsible":
            organisation = (role.get("organization") or {}).get("id")
    channels = [
        (link.get("serviceChannel") or {}).get("id")
        for link in obj.get("serviceChannels") or []
        if (link.get("serviceChannel") or {}).get("id")
    ]
    return {
        "contentId": obj["id"],
        "organizationContentId": organisation,
        "serviceType": {"PermitOrObligation": "PermitOrOtherObligation"}.get(obj.get("type"), obj.get("type")),
        "serviceClasses": [c for c in map(_code, obj.get("serviceClasses") or []) if c],
        "targetGroups": [c for c in map(_code, obj.get("targetGroups") or []) if c],
        "lifeEvents": [c for c in map(_code, obj.get("lifeEvents") or []) if c],
        "chargeType": V11_CHARGE.get(obj.get("serviceChargeType")),
        "serviceLanguages": list(obj.get("languages") or []),
        "area": _v11_area(obj),
        "publishedAt": obj.get("modified"),
        "languageVersions": versions,
        "_channels": channels,
    }


def _v11_contacts(obj: dict) -> dict[str, dict]:
    versions: dict[str, dict] = {}
    _texts(versions, obj.get("serviceChannelNames"), "name")
    _texts(versions, obj.get("serviceChannelDescriptions"))
    for email in (obj.get("emails") or []) + (obj.get("supportEmails") or []):
        if email.get("value"):
            versions.setdefault(email.get("language") or "fi", {}).setdefault("contactEmails", []).append(
                {"email": email["value"]}
            )
    for phone in (obj.get("phoneNumbers") or []) + (obj.get("supportPhones") or []):
        if not phone.get("number"):
            continue
        prefix = (phone.get("prefixNumber") or "").strip()
        number = f"{prefix} {phone['number']}".strip() if prefix and not phone["number"].startswith("+") else ""
        versions.setdefault(phone.get("language") or "fi", {}).setdefault("contactPhoneNumbers", []).append(
            {
                "type": {"Sms": "Sms", "Fax": "Fax"}.get(phone.get("type"), "DomesticPhone"),
                "number": number or phone["number"],
                "chargeType": V11_CHARGE.get(phone.get("serviceChargeType")),
                "chargeDescription": phone.get("chargeDescription"),
                "additionalInformation": phone.get("additionalInformation"),
            }
        )
    pages = list(obj.get("webPages") or []) + list(obj.get("urls") or [])
    if isinstance(obj.get("webPage"), list):
        pages += obj["webPage"]
    for page in pages:
        url = page.get("url") or (page.get("value") if str(page.get("value", "")).startswith("http") else None)
        if url:
            target = "webAddress" if obj.get("serviceChannelType") in ("EChannel", "WebPage") else None
            version = versions.setdefault(page.get("language") or "fi", {})
            if target and not version.get(target):
                version[target] = url
            else:
                version.setdefault("contactWebPages", []).append({"name": page.get("value") or url, "url": url})
    return versions


def _v11_street(address: dict) -> dict:
    street = address.get("streetAddress") or {}
    coordinates = []
    try:
        if street.get("latitude") and street.get("longitude"):
            coordinates.append(
                {
                    "system": "EPSG:3067",
                    "easting": float(street["longitude"]),
                    "northing": float(street["latitude"]),
                }
            )
    except (TypeError, ValueError):
        pass
    municipality = street.get("municipality")
    return {
        "streetName": {item["language"]: item["value"] for item in street.get("street") or [] if item.get("value")},
        "addressDetail": street.get("streetNumber"),
        "postalCode": street.get("postalCode"),
        "coordinates": coordinates,
        "additionalInformation": {
            item["language"]: item["value"] for item in street.get("additionalInformation") or [] if item.get("value")
        },
        "municipality": _code(municipality) if municipality else None,
    }


def _v11_channel(obj: dict) -> dict:
    channel_type = V11_CHANNEL_TYPES.get(obj["serviceChannelType"], obj["serviceChannelType"])
    addresses = [a for a in obj.get("addresses") or [] if a.get("type") == "Location" and a.get("streetAddress")]
    return {
        "contentId": obj["id"],
        "organizationContentId": obj.get("organizationId"),
        "serviceChannelType": channel_type,
        "serviceLanguages": list(obj.get("languages") or []),
        "area": _v11_area(obj),
        "publishedAt": obj.get("modified"),
        "languageVersions": _v11_contacts(obj),
        "location": {"streetAddresses": [_v11_street(a) for a in addresses], "otherAddresses": []},
        "serviceHours": {"hours": [_v11_hours(h) for h in obj.get("serviceHours") or []], "holidayServiceHours": None},
    }


def _v11_organisation(obj: dict) -> dict:
    versions = _v11_contacts(obj)
    _texts(versions, obj.get("organizationNames"), "name")
    _texts(versions, obj.get("organizationDescriptions"))
    area = _v11_area(obj)
    municipality = _code(obj.get("municipality")) if obj.get("municipality") else None
    if municipality:
        area["municipalities"] = [municipality, *area["municipalities"]]
    return {
        "contentId": obj["id"],
        "organizationType": obj.get("organizationType"),
        "businessId": obj.get("businessCode"),
        "area": area,
        "publishedAt": obj.get("modified"),
        "languageVersions": versions,
    }


def _time(value: str | None) -> str | None:
    return value[:5] if value else None


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _v11_hours(hours: dict) -> dict:
    """One v11 service-hours entry as a v12 ``hours[]`` entry."""
    kind = hours.get("serviceHourType")
    status = "OpenOnReservation" if hours.get("isReservation") else "Open"
    info = {item["language"]: item["value"] for item in hours.get("additionalInformation") or [] if item.get("value")}
    start, end = _date(hours.get("validFrom")), _date(hours.get("validTo"))
    common = {"heading": {}, "additionalInformation": info}
    if kind == "Exceptional":
        entry = {**common, "type": "ExceptionalDateRangeServiceHour", "fromDate": start, "toDate": end or start}
        weekly: dict[str, dict] = {}
        if not hours.get("isClosed"):
            for opening in hours.get("openingHour") or []:
                days = [opening["dayFrom"].lower()] if opening.get("dayFrom") else list(WEEKDAYS)
                for day in days:
                    weekly.setdefault(day, {"hours": []})["hours"].append(
                        {"start": _time(opening.get("from")), "end": _time(opening.get("to")), "openingStatus": status}
                    )
        entry["weeklyHours"] = weekly
        entry["isClosed"] = not weekly
        return entry
    dated = not hours.get("validForNow", True) and start
    if hours.get("isAlwaysOpen"):
        kind_v12 = "ContinuousDateRangeServiceHour" if dated else "ContinuousAlwaysValidServiceHour"
        return {**common, "type": kind_v12, "fromDate": start if dated else None, "toDate": end if dated else None}
    weekly = {}
    for opening in hours.get("openingHour") or []:
        if not opening.get("dayFrom"):
            continue
        weekly.setdefault(opening["dayFrom"].lower(), {"hours": []})["hours"].append(
            {
                "start": _time(opening.get("from")),
                "end": _time(opening.get("to")),
                "openingStatus": status,
                "repetition": "Weekly",
            }
        )
    entry = {**common, "weeklyHours": weekly}
    if dated:
        return {**entry, "type": "WeeklyDateRangeServiceHour", "fromDate": start, "toDate": end}
    return {**entry, "type": "WeeklyUntilFurtherNoticeServiceHour"}

"""PTV objects (common v12 shape) into our fields: texts, codes, coordinates, contacts.

Pure functions over dicts: no database here, so the rules can be read (and tested) on their own. Anything PTV gives
that we cannot keep is counted in a ``Counter`` of reasons, never fatal: the import summary reports them.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache

import nh3

from organisations.validators import PHONE_RE

from ..choices import Cost, Language

LANGUAGES = ("fi", "sv", "en")
SAMI = ("se", "smn", "sms")
OUR_SERVICE_LANGUAGES = {code for code, _label in Language.choices}

# PTV's target groups that mean something for a family service: None = known, nothing to add; a code = that life
# situation. The rest (businesses, authorities, the elderly…) are counted as unmapped.
TARGET_GROUPS = {
    "KR1": None,
    "KR1.2": None,  # children and families with children
    "KR1.3": "teenager",  # young people
    "KR1.6": "illness-disability",  # people with disabilities
}

ORGANISATION_KINDS = {
    "Municipality": "municipality",
    "RegionalOrganization": "wellbeing_area",
    "Region": "wellbeing_area",
    "SotePublic": "wellbeing_area",
    "Organization": "ngo",
    "Company": "private",
    "SotePrivate": "private",
    "State": "other",
}

# EPSG:3067 (ETRS-TM35FIN) write bounds from PTV's documentation; a point outside is a data error.
EASTING = (43_500.0, 765_000.0)
NORTHING = (6_522_000.0, 7_796_000.0)
# WGS84 box our Place constraint accepts.
LATITUDE = (59.3, 70.2)
LONGITUDE = (19.0, 31.7)

PHONE = re.compile(PHONE_RE)


# --- Texts ---


def clean_text(value, limit: int | None = None) -> str:
    """Plain text from PTV: any HTML removed with nh3 (Markdown itself is kept and rendered on display)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = html.unescape(nh3.clean(value, tags=set())).replace("\r\n", "\n").strip()
    return text[:limit].rstrip() if limit else text


def version(item: dict, language: str) -> dict:
    return (item.get("languageVersions") or {}).get(language) or {}


def count_languages(item: dict, skipped: Counter) -> None:
    for language in item.get("languageVersions") or {}:
        if language in SAMI:
            skipped["Sámi text (no field for it)"] += 1
        elif language not in LANGUAGES:
            skipped[f"text in language {language} (no field for it)"] += 1


def translated(item: dict, key: str, field: str, limit: int, skipped: Counter, *, required: bool = False) -> dict:
    """{field_fi, field_sv, field_en} from the language versions; a required field falls back to sv, then en."""
    values = {f"{field}_{lang}": clean_text(version(item, lang).get(key), limit) for lang in LANGUAGES}
    if required and not values[f"{field}_fi"]:
        fallback = values[f"{field}_sv"] or values[f"{field}_en"]
        if fallback:
            skipped[f"no Finnish {field} (Swedish or English used)"] += 1
        values[f"{field}_fi"] = fallback
    values[field] = values[f"{field}_fi"]
    return values


# --- Codes ---


def parents(code: str):
    """P5.2.1, P5.2, P5: a code and its broader codes."""
    while code:
        yield code
        code = code.rpartition(".")[0]


def chargeable(item: dict) -> str | None:
    return {"Free": Cost.FREE, "Charged": Cost.FEE}.get(item.get("chargeType"))


def service_languages(item: dict, skipped: Counter) -> list[str]:
    result = []
    for code in item.get("serviceLanguages") or []:
        code = str(code).lower()
        if code in OUR_SERVICE_LANGUAGES:
            if code not in result:
                result.append(code)
        else:
            skipped[f"service language {code} (not in our list)"] += 1
    return result


def organisation_kind(item: dict, name_fi: str) -> str:
    kind = ORGANISATION_KINDS.get(item.get("organizationType"), "other")
    if kind == "ngo" and "seurakunta" in name_fi.lower():
        return "parish"
    return kind


# --- Coordinates ---


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


def wgs84(coordinates, skipped: Counter) -> tuple[float | None, float | None]:
    """(latitude, longitude) from PTV's EPSG:3067 easting/northing, or (None, None) when none is usable."""
    for point in coordinates or []:
        if point.get("system") not in ("EPSG:3067", None):
            continue
        try:
            easting, northing = float(point["easting"]), float(point["northing"])
        except (KeyError, TypeError, ValueError):
            continue
        if not (EASTING[0] <= easting <= EASTING[1] and NORTHING[0] <= northing <= NORTHING[1]):
            skipped["coordinates outside Finland"] += 1
            return None, None
        longitude, latitude = _transformer().transform(easting, northing)
        if LATITUDE[0] <= latitude <= LATITUDE[1] and LONGITUDE[0] <= longitude <= LONGITUDE[1]:
            return round(latitude, 6), round(longitude, 6)
        skipped["coordinates outside Finland"] += 1
        return None, None
    return None, None


# --- Contacts of channels ---


def phone_number(phone: dict) -> str | None:
    number = str(phone.get("number") or "").strip()
    dial = str(phone.get("dialCode") or phone.get("prefixNumber") or "").strip()
    if dial and not number.startswith("+"):
        number = f"{dial} {number.lstrip('0')}"
    return number if PHONE.match(number) and len(number) <= 30 else None


def is_http(url) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) <= 500


def channel_contacts(channel: dict, skipped: Counter) -> tuple[list, list, list]:
    """(phones, emails, links) of one channel as canonical tuples, merged over its languages."""
    channel_id = channel["contentId"]
    phones: dict[str, list] = {}
    emails: dict[str, list] = {}
    for lang_index, lang in enumerate(LANGUAGES):
        data = version(channel, lang)
        for phone in data.get("contactPhoneNumbers") or []:
            if phone.get("type") == "Fax":
                continue
            number = phone_number(phone)
            if number is None:
                skipped["phone number in an unknown form"] += 1
                continue
            entry = phones.setdefault(number, [number, "", "", "", channel_id])
            entry[1 + lang_index] = entry[1 + lang_index] or clean_text(phone.get("additionalInformation"), 200)
        for email in data.get("contactEmails") or []:
            address = str(email.get("email") or "").strip()
            if "@" not in address or len(address) > 254:
                skipped["e-mail address in an unknown form"] += 1
                continue
            emails.setdefault(address.lower(), [address, "", "", "", channel_id])
    return [tuple(p) for p in phones.values()], [tuple(e) for e in emails.values()], channel_links(channel, skipped)


def channel_links(channel: dict, skipped: Counter) -> list[tuple]:
    """Web pages (by position across languages) and, for e-services and web-page channels, the channel's address."""
    channel_id, links = channel["contentId"], []
    kind = channel.get("serviceChannelType")
    if kind in ("EService", "WebPage"):
        urls = [version(channel, lang).get("webAddress") for lang in LANGUAGES]
        titles = [clean_text(version(channel, lang).get("name"), 200) for lang in LANGUAGES]
        if is_http(urls[0]) or any(is_http(u) for u in urls):
            urls = [u if is_http(u) else "" for u in urls]
            main = urls[0] or next(u for u in urls if u)
            title_fi = titles[0] or titles[1] or titles[2] or main[:200]
            links.append(
                ("e_service" if kind == "EService" else "web_page", main, *urls[1:], title_fi, *titles[1:], channel_id)
            )
    pages = [version(channel, lang).get("contactWebPages") or [] for lang in LANGUAGES]
    for position in range(max(len(p) for p in pages)):
        found = [p[position] if position < len(p) else {} for p in pages]
        urls = [f.get("url") if is_http(f.get("url")) else "" for f in found]
        if not any(urls):
            if any(f.get("url") for f in found):
                skipped["web address that is not http(s)"] += 1
            continue
        titles = [clean_text(f.get("name"), 200) for f in found]
        main = urls[0] or next(u for u in urls if u)
        links.append(
            ("web_page", main, *urls[1:], titles[0] or titles[1] or titles[2] or main[:200], *titles[1:], channel_id)
        )
    return links

"""The three taxonomies of the feed and their terms (PROFILE.md, "Taxonomies").

- ``ptv-serviceclass``: PTV's service classes (P-codes), all 229, hierarchical; each of our service
  classes names one (``ServiceClass.ptv_code``), so a service carries the P-code of each of its classes.
- ``perhekeskus-serviceclass``: our family-centre service classes (THL's list), finer than the P-codes
  (maternity and child health clinics are both P5.2).
- ``perhekeskus-lifesituation``: our life situations.

Term ids are uuid5 over taxonomy and code, so they are the same in every installation.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from services.models import LifeSituation, ServiceClass
from services.taxonomies import PTV_CLASS_URI

from .ids import derived_id

PTV = "ptv-serviceclass"
SERVICE_CLASS = "perhekeskus-serviceclass"
LIFE_SITUATION = "perhekeskus-lifesituation"


@dataclass(frozen=True)
class Taxonomy:
    code: str
    name: dict
    description: dict
    uri: str
    version: str = ""

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.code)


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    code: str
    name: dict
    description: dict
    parent: str = ""
    uri: str = ""

    @property
    def id(self) -> str:
        return derived_id("taxonomy_term", self.taxonomy.code, self.code)

    @property
    def parent_id(self) -> str:
        return derived_id("taxonomy_term", self.taxonomy.code, self.parent) if self.parent else ""


TAXONOMIES = {
    PTV: Taxonomy(
        code=PTV,
        name={"fi": "PTV:n palveluluokat", "sv": "PTV:s serviceklasser", "en": "PTV service classes"},
        description={
            "fi": "Suomi.fi-palvelutietovarannon palveluluokitus (P-koodit).",
            "sv": "Servicedatalagrets (Suomi.fi) serviceklassificering (P-koder).",
            "en": "The service classification of the Finnish Service Catalogue (Suomi.fi PTV), the P-codes.",
        },
        uri="http://uri.suomi.fi/codelist/ptv/ptvserclass2",
        version="2",
    ),
    SERVICE_CLASS: Taxonomy(
        code=SERVICE_CLASS,
        name={"fi": "Perhekeskuksen palvelut", "sv": "Familjecentrets tjänster", "en": "Family centre services"},
        description={
            "fi": "Perhekeskuksen palveluluokat (THL:n perhekeskuksen palvelulista).",
            "sv": "Familjecentrets serviceklasser (THL:s tjänstelista för familjecenter).",
            "en": "The family-centre service classes (THL's family centre service list).",
        },
        uri="",
    ),
    LIFE_SITUATION: Taxonomy(
        code=LIFE_SITUATION,
        name={"fi": "Elämäntilanteet", "sv": "Livssituationer", "en": "Life situations"},
        description={
            "fi": "Perheen elämäntilanteet ja aiheet.",
            "sv": "Familjens livssituationer och ämnen.",
            "en": "A family's life situations and topics.",
        },
        uri="",
    ),
}


@functools.cache
def ptv_terms() -> dict[str, Term]:
    """P-code → term, in code order (perhekeskus/hsds/data/ptv_service_classes.json)."""
    rows = json.loads((Path(__file__).parent / "data" / "ptv_service_classes.json").read_text(encoding="utf-8"))
    return {
        row["code"]: Term(
            taxonomy=TAXONOMIES[PTV],
            code=row["code"],
            name=row["name"],
            description=row["description"],
            parent=row["parent"],
            uri=PTV_CLASS_URI + row["code"],
        )
        for row in rows
    }


def _translations(obj, field: str) -> dict:
    return {lang: getattr(obj, f"{field}_{lang}") or "" for lang in ("fi", "sv", "en")}


def service_class_term(service_class: ServiceClass) -> Term:
    return Term(
        taxonomy=TAXONOMIES[SERVICE_CLASS],
        code=service_class.code,
        name=_translations(service_class, "name"),
        description=_translations(service_class, "description"),
    )


def life_situation_term(life_situation: LifeSituation) -> Term:
    return Term(
        taxonomy=TAXONOMIES[LIFE_SITUATION],
        code=life_situation.code,
        name=_translations(life_situation, "name"),
        description=_translations(life_situation, "description"),
        uri=life_situation.ptv_uri,
    )


def all_terms() -> list[Term]:
    """Every term of the three taxonomies, in a fixed order (two queries)."""
    return [
        *ptv_terms().values(),
        *(service_class_term(sc) for sc in ServiceClass.objects.order_by("order", "code")),
        *(life_situation_term(ls) for ls in LifeSituation.objects.order_by("order", "code")),
    ]


def terms_of_service(service) -> list[Term]:
    """A service's terms: each class with its P-code, then its life situations (uses prefetched relations)."""
    terms, seen_ptv = [], set()
    for service_class in service.service_classes.all():
        terms.append(service_class_term(service_class))
        ptv = ptv_terms().get(service_class.ptv_code)
        if ptv and ptv.code not in seen_ptv:
            seen_ptv.add(ptv.code)
            terms.append(ptv)
    terms += [life_situation_term(ls) for ls in service.life_situations.all()]
    return terms


def text(translations: dict, lang: str) -> str:
    """The text in *lang*, else Finnish, else Swedish (the site's fallback order)."""
    for code in (lang, "fi", "sv", "en"):
        if translations.get(code):
            return translations[code]
    return ""

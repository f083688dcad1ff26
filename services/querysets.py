from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

# --- Where a service is given ---
# A service is given in the municipalities it names; if it names none, in the wellbeing areas of its
# organisation; if the organisation has no areas either, everywhere (nationwide). The search and the
# area pages use these same conditions, so their counts agree.


def _links():
    return apps.get_model("services", "Service").municipalities.through.objects


def _organisation_areas():
    return apps.get_model("organisations", "Organisation").areas.through.objects


def _has_municipalities():
    return Exists(_links().filter(service_id=OuterRef("pk")))


def nationwide() -> Q:
    organisation_has_areas = Exists(_organisation_areas().filter(organisation_id=OuterRef("organisation_id")))
    return ~Q(_has_municipalities()) & ~Q(organisation_has_areas)


def local_to_area(area_code: str) -> Q:
    named = Exists(_links().filter(service_id=OuterRef("pk"), municipality__area__code=area_code))
    organised = Exists(
        _organisation_areas().filter(organisation_id=OuterRef("organisation_id"), wellbeingarea__code=area_code)
    )
    return Q(named) | (~Q(_has_municipalities()) & Q(organised))


def named_municipality(code: str) -> Q:
    return Q(Exists(_links().filter(service_id=OuterRef("pk"), municipality__code=code)))


def local_to_municipality(code: str) -> Q:
    organised = Exists(
        _organisation_areas().filter(
            organisation_id=OuterRef("organisation_id"), wellbeingarea__municipalities__code=code
        )
    )
    return named_municipality(code) | (~Q(_has_municipalities()) & Q(organised))


# The same rule read from the narrow facet rows' place tokens (migration 0008, kept by triggers): one GIN index lookup
# instead of the EXISTS tests above on every wide service row. For filtering; the tests above rank within the result.
_MUNICIPALITY_TOKENS = (
    "ARRAY['*'] || ARRAY(SELECT unnest(ARRAY['m' || m.id, 'o' || m.area_id]) "
    "FROM organisations_municipality m WHERE m.code = %s)"
)
_AREA_TOKENS = (
    "ARRAY['*'] || ARRAY(SELECT unnest(ARRAY['a' || a.id, 'o' || a.id]) FROM organisations_wellbeingarea a "
    "WHERE a.code = %s)"
)


def _places_overlap(tokens_sql: str, code: str) -> Q:
    return Q(places__overlap=RawSQL(tokens_sql, (code,), output_field=ArrayField(models.TextField())))  # noqa: S611


def _given_where(tokens_sql: str, code: str) -> Q:
    rows = apps.get_model("services", "ServiceFacetRow").objects.filter(_places_overlap(tokens_sql, code))
    return Q(pk__in=rows.values("pk"))


def given_in_municipality(code: str) -> Q:
    """local_to_municipality(code) | nationwide(), from the place tokens."""
    return _given_where(_MUNICIPALITY_TOKENS, code)


def given_in_area(code: str) -> Q:
    """local_to_area(code) | nationwide(), from the place tokens."""
    return _given_where(_AREA_TOKENS, code)


# The same on the facet rows themselves (the search's filters read only them): no second pass over the table, which
# the planner joined back to every published row (a sequential scan of 30 000) for a facet without other filters.
def facet_row_in_municipality(code: str) -> Q:
    """given_in_municipality(code) for a ServiceFacetRow queryset."""
    return _places_overlap(_MUNICIPALITY_TOKENS, code)


def facet_row_in_area(code: str) -> Q:
    """given_in_area(code) for a ServiceFacetRow queryset."""
    return _places_overlap(_AREA_TOKENS, code)


# The same rule in SQL, for the search's facet counts (services/search/filters.py): rows (service_id, place_id) of areas
# and of municipalities for the services in the CTE {base}, and the count of nationwide ones there. Only
# table and column names are written here. The facet tests prove the counts equal what the Q conditions find.
AREA_ROWS_SQL = """SELECT DISTINCT sm.service_id, m.area_id AS place_id FROM services_service_municipalities sm
                      JOIN organisations_municipality m ON m.id = sm.municipality_id
                     WHERE sm.service_id IN (SELECT id FROM {base})
                    UNION ALL
                    SELECT s.id, oa.wellbeingarea_id FROM {base} s
                      JOIN organisations_organisation_areas oa ON oa.organisation_id = s.organisation_id
                     WHERE NOT EXISTS (SELECT 1 FROM services_service_municipalities sm
                                        WHERE sm.service_id = s.id)"""
# A service either names municipalities or is area-wide, so no service is counted twice.
MUNICIPALITY_ROWS_SQL = """SELECT sm.service_id, sm.municipality_id AS place_id FROM services_service_municipalities sm
                     WHERE sm.service_id IN (SELECT id FROM {base})
                    UNION ALL
                    SELECT s.id, m2.id FROM {base} s
                      JOIN organisations_organisation_areas oa ON oa.organisation_id = s.organisation_id
                      JOIN organisations_municipality m2 ON m2.area_id = oa.wellbeingarea_id
                     WHERE NOT EXISTS (SELECT 1 FROM services_service_municipalities sm
                                        WHERE sm.service_id = s.id)"""
# Services given nationwide are in every area's and municipality's results, so in their counts too.
NATIONWIDE_COUNT_SQL = """
            UNION ALL
            SELECT %s, '*', '', 0, count(*) FROM {base} s
             WHERE NOT EXISTS (SELECT 1 FROM services_service_municipalities sm WHERE sm.service_id = s.id)
               AND NOT EXISTS (SELECT 1 FROM organisations_organisation_areas oa
                                WHERE oa.organisation_id = s.organisation_id)"""


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state="published")

    def in_area(self, area):
        """Services families in *area* can use: given there, or nationwide (the search's area filter)."""
        return self.filter(given_in_area(area.code))

    def due_for_review(self, now=None):
        """Published services not checked for REVIEW_REMINDER_DAYS (organisations.review, the one rule)."""
        from organisations.review import due_for_check

        return due_for_check(self, now)

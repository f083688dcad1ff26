from django.db import models


class OrganisationQuerySet(models.QuerySet):
    def in_area(self, area):
        return self.filter(areas=area)

    def public_providers(self):
        return self.filter(kind__in=["wellbeing_area", "municipality"])

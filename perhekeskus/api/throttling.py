from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class PublicApiThrottle(AnonRateThrottle):
    """Requests per client address, counted in the shared cache (CACHE_URL) so every worker sees the same count.

    The rate is read per request from ``settings.API_ANON_RATE`` (DRF's own rate table is fixed at import, which
    neither the environment nor a test could change); an empty rate turns throttling off.
    """

    def get_rate(self):
        return settings.API_ANON_RATE or None

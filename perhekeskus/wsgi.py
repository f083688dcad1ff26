import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perhekeskus.settings")
application = get_wsgi_application()

# What is loaded now (the site's modules, its views through the URL patterns) lives as long as the worker. Frozen, the
# cyclic garbage collector stops walking it on every full collection: with ~200 000 such objects a full collection
# took 100-160 ms, paid by whichever request set it off (the slowest 5 % of unseen searches; benchmarks/README.md).
get_resolver().url_patterns  # noqa: B018 - imports every view now, not on the first request
gc.freeze()

import pytest
from django.core.cache import cache

from .search_corpus import build_corpus


@pytest.fixture
def cached_corpus():
    """The search corpus (search_corpus.py) with the cache emptied before and after, for tests of what is cached."""
    cache.clear()
    corpus = build_corpus()
    yield corpus
    cache.clear()

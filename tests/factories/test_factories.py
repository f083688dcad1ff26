import pytest

from tests import factories

pytestmark = pytest.mark.django_db

ALL_FACTORIES = [getattr(factories, name) for name in factories.__all__ if name.endswith("Factory")]


@pytest.mark.parametrize("factory_class", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_factory__builds_a_valid_saved_row(factory_class):
    obj = factory_class()

    assert obj.pk is not None
    obj.full_clean()

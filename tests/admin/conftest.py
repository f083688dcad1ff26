import pytest

from tests.access_matrix import build_world

from .helpers import client_for


@pytest.fixture
def world():
    """The authorisation matrix's world: areas 05 and 21, their organisations, entries and users per role."""
    return build_world()


@pytest.fixture
def coordinator(world):
    """A client signed in (password and code) as the coordinator of area 05."""
    return client_for(world.user("coordinator"))

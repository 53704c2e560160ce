from __future__ import annotations

import pytest

from vigil.conftest import World
from vigil.stats.tests.fixtures import Data, build


@pytest.fixture
def data(world: World) -> Data:
    return build(world)

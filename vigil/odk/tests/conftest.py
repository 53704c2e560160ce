from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from vigil.conftest import World
from vigil.odk import actions


@dataclass
class Phone:
    username: str
    password: str
    device_pk: int


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def phone(world: World) -> Phone:
    issued = actions.issue_device(world.org, "phone 1", acting_user=world["coordinator"].user)
    return Phone(issued.device.username, issued.password, issued.device.pk)

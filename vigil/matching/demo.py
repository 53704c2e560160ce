"""Demo matching: a local service folder, the demo network, members and counsel.

Only for `make run` style demos: the service's database and key file go to a
folder of this machine (never do that in production, where the service runs
on another host). Then `make matching-service` serves it and
MATCHING_SERVICE_URL=http://127.0.0.1:8700 turns matching on in Vigil.
"""

from __future__ import annotations

from pathlib import Path

from matchsvc import keys
from matchsvc.store import Store
from vigil.accounts.models import Organisation, User
from vigil.matching import actions
from vigil.matching.models import NetworkCounsel
from vigil.stats.models import Network

NETWORK_SLUG = "demo-eeca"
COUNSEL_USERNAME = "svitlo-lawyer"


def create_demo_matching(folder: Path) -> str:
    """Set up once; return what was done, for the command to print."""
    network = Network.objects.filter(slug=NETWORK_SLUG).first()
    if network is not None and NetworkCounsel.objects.filter(network=network).exists():
        return f"demo matching exists already (network {NETWORK_SLUG})"
    organisations = list(Organisation.objects.filter(slug__in=["svitlo", "dostyk"]).order_by("pk"))
    counsel = User.objects.filter(username=COUNSEL_USERNAME).first()
    if len(organisations) != 2 or counsel is None:
        return "run `manage.py demo_data` first"
    if network is None:
        network = Network.objects.create(
            name="Demo EECA network", slug=NETWORK_SLUG, host=organisations[0]
        )
    store = Store(folder / "matchsvc.sqlite3")
    keys.add_network(folder / "oprf-keys.json", NETWORK_SLUG)
    actions.appoint_counsel(None, counsel, network, store.add_network(NETWORK_SLUG, ""))
    for organisation in organisations:
        token, _point = store.add_member(NETWORK_SLUG, organisation.slug)
        actions.join_network(None, organisation, network, token)
    return (
        f"demo matching in {folder}: network {NETWORK_SLUG}, counsel {COUNSEL_USERNAME}. "
        f"Start it with `MATCHSVC_DIR={folder} make matching-service` and run Vigil with "
        "MATCHING_SERVICE_URL=http://127.0.0.1:8700"
    )

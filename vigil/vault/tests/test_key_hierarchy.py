from __future__ import annotations

import base64

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from vigil.accounts import actions
from vigil.accounts.session_store import stored_key
from vigil.conftest import PASSWORD, World, sign_in
from vigil.vault import crypto, keys, sealing
from vigil.vault.models import KeyGrant
from vigil.vault.session import SESSION_FIELD, Vault


def _org_key_after_login(world: World, role: str) -> dict[int, bytes]:
    user = world[role].user
    member_private = keys.unlock_member(user, PASSWORD)
    assert member_private is not None
    return keys.unlock_organisations(user, member_private)


def test_it_unlocks_the_organisation_key_for_a_granted_member(world: World) -> None:
    opened = _org_key_after_login(world, "caseworker")
    assert crypto.public_of(opened[world.org.pk]) == keys.organisation_public_key(world.org)
    assert world.other_org.pk not in opened


def test_it_gives_no_key_to_a_member_without_a_grant(world: World) -> None:
    assert _org_key_after_login(world, "analyst") == {}
    assert not KeyGrant.objects.filter(membership=world["analyst"].membership).exists()


def test_it_refuses_a_wrong_password(world: World) -> None:
    with pytest.raises(crypto.CryptoError):
        keys.unlock_member(world["caseworker"].user, "not the password at all")


def test_it_revokes_access(world: World) -> None:
    coordinator = world["coordinator"].user
    actions.revoke_keys(coordinator, world["lawyer"].membership)
    assert _org_key_after_login(world, "lawyer") == {}


def test_it_regrants_after_revoke(world: World) -> None:
    org_key = _org_key_after_login(world, "coordinator")[world.org.pk]
    actions.revoke_keys(world["coordinator"].user, world["lawyer"].membership)
    actions.grant_keys(
        world["coordinator"].user, Vault({world.org.pk: org_key}), world["lawyer"].membership
    )
    assert world.org.pk in _org_key_after_login(world, "lawyer")


def test_it_restores_access_with_the_recovery_phrase(world: World) -> None:
    coordinator = world["coordinator"]
    KeyGrant.objects.filter(membership__organisation=world.org).delete()  # everyone lost access
    assert _org_key_after_login(world, "coordinator") == {}
    recovered = actions.recover_with_phrase(coordinator.user, coordinator.membership, world.phrase)
    assert crypto.public_of(recovered) == keys.organisation_public_key(world.org)
    assert _org_key_after_login(world, "coordinator") == {world.org.pk: recovered}
    with pytest.raises(crypto.CryptoError):
        actions.recover_with_phrase(coordinator.user, coordinator.membership, world.other_phrase)


def test_it_keeps_access_after_a_password_change(world: World) -> None:
    user = world["caseworker"].user
    before = _org_key_after_login(world, "caseworker")
    actions.change_own_password(user, PASSWORD, "a brand new long passphrase")
    with pytest.raises(crypto.CryptoError):
        keys.unlock_member(user, PASSWORD)
    private = keys.unlock_member(user, "a brand new long passphrase")
    assert private is not None
    assert keys.unlock_organisations(user, private) == before


def test_it_keeps_reads_working_across_the_hierarchy(world: World) -> None:
    record_key, sealed = sealing.new_data_key(world.org)
    blob = sealing.seal_text(record_key, "Она сказала, что номер жетона 4471")
    org_key = _org_key_after_login(world, "lawyer")
    vault = Vault(org_key)
    opened_key = sealing.open_data_key(vault, world.org.pk, sealed)
    assert sealing.open_text(opened_key, blob) == "Она сказала, что номер жетона 4471"


def test_it_does_not_let_the_raw_session_row_yield_the_organisation_key(world: World) -> None:
    client = Client()
    sign_in(client, world["coordinator"])
    org_key = _org_key_after_login(world, "coordinator")[world.org.pk]
    row = Session.objects.get(session_key=stored_key(client.session.session_key or ""))
    raw = row.session_data.encode()
    data = row.get_decoded()
    blob = base64.b64decode(data[SESSION_FIELD])
    # The key material never appears in the row, in any encoding we store.
    for encoding in (org_key, base64.b64encode(org_key), org_key.hex().encode()):
        assert encoding not in raw
        assert encoding not in blob
    # An attacker with the row but not the browser's cookie cannot decrypt it.
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt_json(crypto.new_key(), blob)
    # With the cookie (the other half), the same blob opens: the split is real.
    cookie = client.cookies["vigil_vault"].value
    payload = crypto.decrypt_json(base64.urlsafe_b64decode(cookie), blob)
    assert base64.b64decode(payload[str(world.org.pk)]) == org_key


def test_it_locks_the_vault_when_the_cookie_is_missing(world: World) -> None:
    client = Client()
    sign_in(client, world["coordinator"])
    assert b"Sealed data unlocked" in client.get("/").content
    del client.cookies["vigil_vault"]
    assert b"Sealed data unlocked" not in client.get("/").content


def test_it_rewraps_a_member_key_under_a_new_cost_at_sign_in(world: World, settings) -> None:
    from vigil.vault.models import MemberKey

    settings.VAULT_KDF_OPSLIMIT = 2
    client = Client()
    sign_in(client, world["lawyer"])
    stored = MemberKey.objects.get(user=world["lawyer"].user)
    assert stored.opslimit == 2
    assert b"Sealed data unlocked" in client.get("/").content
    assert world.org.pk in _org_key_after_login(world, "lawyer")

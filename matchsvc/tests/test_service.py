"""The matching service's API, called in-process: authentication, quota,
points, and that nothing a member sends tells it about a match."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from matchsvc import keys, notices, oprf
from matchsvc.app import make_app
from matchsvc.testing import Network, call, configure, free_port
from vigil.mailtest import Inbox


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def net(tmp_path: Path, inbox: tuple[Inbox, int]) -> Network:
    network = configure(
        tmp_path,
        daily_quota=5,
        smtp_host="127.0.0.1",
        smtp_port=inbox[1],
        review_url="https://vigil.example.org/matching/counsel/",
    )
    network.add_member("svitlo")
    network.add_member("dostyk")
    return network


def entry(tag: bytes, secret: bytes, month: str = "2026-03") -> dict[str, str]:
    return {
        "tag": b64(tag),
        "sealed": b64(b"opaque sealed entry"),
        "month": month,
        "withdraw_hash": b64(hashlib.sha256(secret).digest()),
    }


def test_it_evaluates_blinded_elements_with_the_network_key(net: Network) -> None:
    app = make_app(net.config)
    token, point = net.members["dostyk"]
    hidden = oprf.blind(b"badge:AB1234")
    status, answer = call(app, "POST", "/v1/evaluate", token, {"blinded": [b64(hidden.element)]})
    assert status == 200
    assert answer["point"] == point == 2
    assert answer["threshold"] == 2
    output = oprf.finalize(b"badge:AB1234", hidden.blind, base64.b64decode(answer["evaluated"][0]))
    assert output == oprf.evaluate(keys.load(net.config.key_file)["eecahr"], b"badge:AB1234")


def test_it_refuses_without_a_valid_token(net: Network) -> None:
    app = make_app(net.config)
    payload = {"blinded": [b64(oprf.blind(b"x").element)]}
    assert call(app, "POST", "/v1/evaluate", None, payload)[0] == 401
    assert call(app, "POST", "/v1/evaluate", "mo_guess", payload)[0] == 401
    # The counsel's token reads matches; it cannot evaluate.
    assert call(app, "POST", "/v1/evaluate", net.counsel_token, payload)[0] == 401
    assert call(app, "GET", "/v1/matches", net.members["svitlo"][0])[0] == 401


@pytest.mark.parametrize(
    "element", [bytes(32), b"\xff" * 32, b"\x01" + bytes(31)], ids=["identity", "big", "off"]
)
def test_it_refuses_invalid_points(net: Network, element: bytes) -> None:
    status, answer = call(
        make_app(net.config),
        "POST",
        "/v1/evaluate",
        net.members["svitlo"][0],
        {"blinded": [b64(element)]},
    )
    assert (status, answer) == (400, {"error": "invalid_point"})


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"blinded": []},
        {"blinded": ["not base64!"]},
        {"blinded": [b64(b"short")]},
        {"blinded": [b64(bytes(32))] * 51},
        [1, 2],
    ],
    ids=["missing", "empty", "garbage", "short", "too-many", "not-an-object"],
)
def test_it_refuses_malformed_evaluations(net: Network, payload: object) -> None:
    status, _ = call(
        make_app(net.config), "POST", "/v1/evaluate", net.members["svitlo"][0], payload
    )
    assert status == 400


def test_it_refuses_past_the_daily_quota_and_alarms_once(
    net: Network, inbox: tuple[Inbox, int]
) -> None:
    app = make_app(net.config)
    token = net.members["svitlo"][0]
    elements = [b64(oprf.blind(b"%d" % i).element) for i in range(5)]
    assert call(app, "POST", "/v1/evaluate", token, {"blinded": elements[:4]})[0] == 200
    # 4 + 2 > 5: refused whole, nothing evaluated.
    assert call(app, "POST", "/v1/evaluate", token, {"blinded": elements[:2]}) == (
        429,
        {"error": "quota"},
    )
    assert call(app, "POST", "/v1/evaluate", token, {"blinded": elements[:1]})[0] == 200
    assert call(app, "POST", "/v1/evaluate", token, {"blinded": elements[:1]})[0] == 429
    # The other member's quota is its own.
    assert (
        call(app, "POST", "/v1/evaluate", net.members["dostyk"][0], {"blinded": elements})[0] == 200
    )
    alarms = inbox[0].to("counsel@example.org")
    assert len(alarms) == 1, "one alarm a day, not one per refusal"
    assert "daily limit" in alarms[0]["Subject"]


def test_it_refuses_a_point_other_than_the_members(net: Network) -> None:
    app = make_app(net.config)
    token, point = net.members["svitlo"]
    payload = {"entries": [entry(b"t" * 32, b"s" * 32)]}
    assert call(app, "POST", "/v1/entries", token, {**payload, "point": point + 1}) == (
        400,
        {"error": "invalid_point"},
    )
    assert call(app, "POST", "/v1/entries", token, {**payload, "point": point})[0] == 200


@pytest.mark.parametrize(
    "bad",
    [
        {"tag": b64(b"short")},
        {"month": "2026-13"},
        {"month": "March"},
        {"sealed": b64(b"x" * 5000)},
        {"withdraw_hash": b64(b"x")},
        {"extra": "field"},
    ],
    ids=["tag", "month-13", "month-text", "too-big", "withdraw-hash", "extra"],
)
def test_it_refuses_malformed_entries(net: Network, bad: dict[str, str]) -> None:
    payload = {"entries": [{**entry(b"t" * 32, b"s" * 32), **bad}]}
    status, _ = call(make_app(net.config), "POST", "/v1/entries", net.members["svitlo"][0], payload)
    assert status == 400


def test_it_never_reaches_the_threshold_with_one_organisation(
    net: Network, inbox: tuple[Inbox, int]
) -> None:
    app = make_app(net.config)
    token = net.members["svitlo"][0]
    for i in range(3):
        answer = call(
            app, "POST", "/v1/entries", token, {"entries": [entry(b"t" * 32, bytes([i]) * 32)]}
        )
        assert answer[0] == 200
    assert call(app, "GET", "/v1/matches", net.counsel_token) == (
        200,
        {"threshold": 2, "groups": []},
    )
    assert inbox[0].received == []


def test_it_notifies_the_counsel_without_details_when_two_organisations_share_a_tag(
    net: Network, inbox: tuple[Inbox, int]
) -> None:
    app = make_app(net.config)
    first = call(
        app,
        "POST",
        "/v1/entries",
        net.members["svitlo"][0],
        {"entries": [entry(b"t" * 32, b"a" * 32)]},
    )
    second = call(
        app,
        "POST",
        "/v1/entries",
        net.members["dostyk"][0],
        {"entries": [entry(b"t" * 32, b"b" * 32)]},
    )
    call(
        app,
        "POST",
        "/v1/entries",
        net.members["dostyk"][0],
        {"entries": [entry(b"u" * 32, b"c" * 32)]},
    )
    # The member's answer is the same shape whether or not it matched.
    assert set(first[1]) == set(second[1]) == {"ids"}
    status, answer = call(app, "GET", "/v1/matches", net.counsel_token)
    assert status == 200
    [group] = answer["groups"]
    assert base64.b64decode(group["tag"]) == b"t" * 32
    assert sorted(e["point"] for e in group["entries"]) == [1, 2]
    [notice] = inbox[0].to("counsel@example.org")
    body = notice.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "https://vigil.example.org/matching/counsel/" in text
    assert b64(b"t" * 32) not in text and "svitlo" not in text and "dostyk" not in text


def test_it_withdraws_by_secret_only(net: Network) -> None:
    app = make_app(net.config)
    call(
        app,
        "POST",
        "/v1/entries",
        net.members["svitlo"][0],
        {"entries": [entry(b"t" * 32, b"a" * 32)]},
    )
    call(
        app,
        "POST",
        "/v1/entries",
        net.members["dostyk"][0],
        {"entries": [entry(b"t" * 32, b"b" * 32)]},
    )
    assert call(app, "POST", "/v1/withdraw", None, {"secrets": [b64(b"z" * 32)]}) == (
        200,
        {"withdrawn": 0},
    )
    assert call(app, "POST", "/v1/withdraw", None, {"secrets": [b64(b"a" * 32)]}) == (
        200,
        {"withdrawn": 1},
    )
    assert call(app, "GET", "/v1/matches", net.counsel_token)[1]["groups"] == []


def test_it_refuses_a_key_file_others_can_read(net: Network) -> None:
    os.chmod(net.config.key_file, 0o644)
    with pytest.raises(keys.KeyFileError):
        make_app(net.config)


def test_it_writes_every_notice_in_every_language() -> None:
    for kind, texts in notices.TEXTS.items():
        assert set(texts) == {"en", "ru", "uk"}, kind
        for language in texts:
            subject, body = notices.text(kind, language, "https://vigil.example.org/m/")
            assert subject and body.endswith("https://vigil.example.org/m/\n")
    assert notices.text("match", "ru", "x")[0].startswith("Сопоставление")

"""Anonymous users cannot exhaust the server or lock a reporter out of her mailbox.

Images are refused by their header when their pixels would cost too much;
files are bounded per report, per session and per minute; wrong receipts
slow the guesser only, on what the guesser holds, and leave no session row.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageCms

from vigil.conftest import World
from vigil.intake.models import Attachment, Submission
from vigil.intake.tests.test_public_report import file_report
from vigil.vault import crypto, sealing

WRONG = "1234 5678 9012 3456"
TICKET_RE = re.compile(r'name="ticket" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()  # counters of other tests in this process


def ticket(client: Client) -> str:
    match = TICKET_RE.search(client.get("/report/status/").content.decode())
    assert match, "the mailbox page carries a ticket"
    return match.group(1)


def guess(client: Client, receipt: str, held: str | None = None):
    data = {"receipt": receipt}
    if held is not None:
        data["ticket"] = held
    return client.post("/report/status/", data)


def mailbox(receipt: str) -> Client:
    client = Client()
    response = guess(client, receipt, ticket(client))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def upload(client: Client, name: str, content: bytes):
    client.post("/report/status/files/", {"file": SimpleUploadedFile(name, content)})
    return client.get("/report/status/thread/").content.decode()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def jpeg(colour: tuple[int, int, int] = (200, 30, 30), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG", **options)
    return out.getvalue()


# --- images -------------------------------------------------------------------------------


@pytest.mark.parametrize("side", [5000, 8000])
def test_it_refuses_a_small_file_of_too_many_pixels_from_its_header(
    world: World, side: int
) -> None:
    reporter = mailbox(file_report(Client()))
    bomb = png(side, side)  # 25 or 64 MP: 100-250 MB decoded, a few KB on the wire
    assert len(bomb) < 300_000

    start = time.perf_counter()
    page = upload(reporter, "big.png", bomb)
    elapsed = time.perf_counter() - start

    assert "This image is too large" in page
    assert "megapixels" in page
    assert elapsed < 2.0  # refused from the header, never decoded
    assert not Attachment.objects.exists()
    assert "Nobody has read it yet" in page  # her mailbox is as it was


def test_it_strips_the_icc_profile_with_the_other_metadata(world: World) -> None:
    reporter = mailbox(file_report(Client()))
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = jpeg(icc_profile=profile)
    assert Image.open(io.BytesIO(photo)).info.get("icc_profile")

    assert "Your file was added" in upload(reporter, "p.jpg", photo)

    attachment = Attachment.objects.get()
    sealed_key = Submission.objects.get().sealed_key
    assert sealed_key is not None
    key = crypto.unseal(world.org_private, bytes(sealed_key))
    stored = b"".join(sealing.open_file(key, attachment.stored_name))
    assert not Image.open(io.BytesIO(stored)).info.get("icc_profile")


# --- storage and byte rates ----------------------------------------------------------------


def test_a_report_holds_files_up_to_its_quota(world: World, settings) -> None:
    reporter = mailbox(file_report(Client()))
    assert "Your file was added" in upload(reporter, "a.jpg", jpeg())
    settings.REPORT_STORAGE_QUOTA = Attachment.objects.get().size + 100

    page = upload(reporter, "b.jpg", jpeg((10, 200, 10)))

    assert "cannot hold more files" in page
    assert Attachment.objects.count() == 1


def test_one_session_cannot_send_more_bytes_an_hour_than_its_share(world: World, settings) -> None:
    reporter = mailbox(file_report(Client()))
    settings.REPORT_UPLOAD_BYTES_PER_SESSION_HOUR = 1500  # one small photo

    assert "Your file was added" in upload(reporter, "a.jpg", jpeg())
    page = upload(reporter, "b.jpg", jpeg((10, 200, 10)))

    assert "sent many files in a short time" in page
    assert Attachment.objects.count() == 1


def test_the_whole_site_receives_a_bounded_number_of_bytes_a_minute(world: World, settings) -> None:
    first, second = mailbox(file_report(Client())), mailbox(file_report(Client()))
    settings.REPORT_UPLOAD_BYTES_PER_MINUTE = 1500  # one small photo

    assert "Your file was added" in upload(first, "a.jpg", jpeg())
    page = upload(second, "b.jpg", jpeg((10, 200, 10)))

    assert "Many files are arriving right now" in page
    assert Attachment.objects.count() == 1


# --- receipts ------------------------------------------------------------------------------


def test_someone_elses_guessing_never_refuses_her_correct_receipt(world: World, settings) -> None:
    settings.RECEIPT_GLOBAL_FAILURES_PER_MINUTE = 3
    settings.RECEIPT_SESSION_FAILURES = 3
    receipt = file_report(Client())
    guesser = Client()
    for _ in range(10):  # a script that skips the page, past every limit
        guess(guesser, WRONG)
    for _ in range(10):  # and one that fetches a fresh ticket for each guess
        guess(guesser, WRONG, ticket(guesser))
    assert guess(guesser, WRONG).status_code == 429

    reporter = Client()
    response = guess(
        reporter, " ".join(receipt[i : i + 4] for i in range(0, 16, 4)), ticket(reporter)
    )

    assert response.status_code == 302
    assert response["Location"] == "/report/status/thread/"


def test_wrong_receipts_leave_no_session_row(world: World) -> None:
    before = Session.objects.count()
    guesser = Client()
    for _ in range(3):
        guess(guesser, WRONG, ticket(guesser))
        guess(guesser, WRONG)

    assert Session.objects.count() == before


def test_a_ticket_slows_its_holder_after_each_wrong_code(world: World, settings) -> None:
    settings.RECEIPT_SESSION_FAILURES = 2
    client = Client()
    held = ticket(client)

    assert "We found no report with this code" in guess(client, WRONG, held).content.decode()
    again = guess(client, WRONG, held)
    assert again.status_code == 429
    assert "Please wait a few seconds" in again.content.decode()

    time.sleep(1.1)
    assert "We found no report with this code" in guess(client, WRONG, held).content.decode()
    time.sleep(2.1)
    spent = guess(client, WRONG, held)
    assert spent.status_code == 429
    assert "Too many wrong codes" in spent.content.decode()
    # A fresh page is a fresh ticket.
    assert "We found no report" in guess(client, WRONG, ticket(client)).content.decode()


def test_a_ticket_is_good_only_after_a_moment(world: World, settings) -> None:
    settings.RECEIPT_TICKET_MIN_SECONDS = 2
    receipt = file_report(Client())
    client = Client()
    held = ticket(client)

    early = guess(client, receipt, held)
    assert early.status_code == 429
    assert "That was very fast" in early.content.decode()

    time.sleep(2.1)
    assert guess(client, receipt, held).status_code == 302


def test_posts_without_a_ticket_share_one_slow_lane(world: World, settings) -> None:
    settings.RECEIPT_GLOBAL_FAILURES_PER_MINUTE = 2
    receipt = file_report(Client())
    for _ in range(2):
        guess(Client(), WRONG)

    refused = guess(Client(), receipt)

    assert refused.status_code == 429
    assert "Please open the page again" in refused.content.decode()

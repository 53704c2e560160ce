"""Import a spreadsheet from the command line, with progress, resumable after a crash.

    manage.py import_records FILE --mapping NAME --user USERNAME [--dry-run]

The organisation key is needed (blind indexes, opening the sealed copy) and
the server does not keep it: the command asks for the member's password, or
with ``--recovery-phrase`` for the organisation's recovery phrase (read from
the terminal, or from standard input when it is not a terminal). The key
lives in this process's memory only.

The file is first sealed into storage like an upload. If a run is killed,
running the same command on the same file resumes the unfinished job (also
one started from the browser and interrupted) after its last committed chunk;
rows already imported are never written twice.
"""

from __future__ import annotations

import getpass
import hashlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil import policy
from vigil.accounts.models import Membership
from vigil.imports import actions, reads
from vigil.imports.models import ImportJob, ImportMapping, JobStatus
from vigil.imports.rows import MESSAGES
from vigil.policy import Perm
from vigil.vault import crypto, keys
from vigil.vault.session import Vault

CHUNK = 64 * 1024


def _secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def _file_chunks(path: Path) -> Any:
    with path.open("rb") as handle:
        while data := handle.read(CHUNK):
            yield data


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for data in _file_chunks(path):
        digest.update(data)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Import incidents from a CSV or XLSX file with a saved column mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", required=True, help="name of a saved mapping")
        parser.add_argument("--user", required=True, help="username of a coordinator")
        parser.add_argument("--recovery-phrase", action="store_true")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        membership = self._membership(options["user"])
        organisation = membership.organisation
        mapping = ImportMapping.objects.filter(
            organisation=organisation, name=options["mapping"]
        ).first()
        if mapping is None:
            raise CommandError(f"no saved mapping named {options['mapping']!r}")
        vault = Vault({organisation.pk: self._org_key(membership, options["recovery_phrase"])})
        job = self._job(membership, path, mapping)
        data = reads.source_bytes(job, vault)
        if job.status == JobStatus.INTERRUPTED:
            actions.start(membership.user, job)
            self.stdout.write(f"resuming import {job.pk} after line {job.done_line}")
        elif job.status != JobStatus.RUNNING:
            report = actions.dry_run(membership.user, job, data)
            self._print_problems(job)
            self.stdout.write(f"{report.rows} lines, {report.good} without problems")
            if options["dry_run"]:
                actions.cancel(membership.user, job)
                return
            actions.start(membership.user, job)
        else:
            self.stdout.write(f"resuming import {job.pk} after line {job.done_line}")
        actions.renew(job)  # the job page shows it running, not stalled
        actions.run(
            membership.user,
            job,
            data,
            vault.index_key(organisation.pk),
            progress=self._progress,
        )
        job.refresh_from_db()
        self.stdout.write(
            f"done: {job.imported} imported, {job.skipped} already there, {job.rejected} rejected"
        )

    def _membership(self, username: str) -> Membership:
        membership = (
            Membership.objects.select_related("user", "organisation")
            .filter(user__username=username, is_active=True)
            .first()
        )
        if membership is None or not policy.can(membership, Perm.IMPORT_RECORDS):
            raise CommandError("that user is not an active coordinator")
        return membership

    def _org_key(self, membership: Membership, phrase: bool) -> bytes:
        try:
            if phrase:
                return keys.organisation_private_from_phrase(
                    membership.organisation, _secret("Recovery phrase: ")
                )
            private = keys.unlock_member(membership.user, _secret("Password: "))
            if private is None:
                raise CommandError("this member has no key")
            opened = keys.unlock_organisations(membership.user, private)
            return opened[membership.organisation_id]
        except (crypto.CryptoError, KeyError) as exc:
            raise CommandError("could not unlock the organisation key") from exc

    def _job(self, membership: Membership, path: Path, mapping: ImportMapping) -> ImportJob:
        unfinished = ImportJob.objects.filter(
            organisation=membership.organisation,
            sha256=_sha256(path),
            status__in=[JobStatus.RUNNING, JobStatus.INTERRUPTED],
            checking=False,
        ).first()
        if unfinished is not None:
            return unfinished
        job = actions.upload(
            membership.user, membership.organisation, _file_chunks(path), mapping=mapping
        )
        return job

    def _print_problems(self, job: ImportJob) -> None:
        for problem in job.problems:
            message = MESSAGES.get(problem["code"], problem["code"])
            self.stdout.write(f"line {problem['line']}, column {problem['column']}: {message}")

    def _progress(self, job: ImportJob) -> None:
        actions.renew(job)
        self.stdout.write(f"{job.percent:3d} %  line {job.done_line} of about {job.total_rows + 1}")
        self.stdout.flush()

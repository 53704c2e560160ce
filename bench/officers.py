"""Officers group: the repeat-officer list against its hand-written GROUP BY, and the
import of an external complaint register against a bare bulk_create.

For SQLite and then PostgreSQL, a worker subprocess (``python -m bench.officers
--worker``) builds a throw-away installation (a temporary SQLite file, or the
database ``vigil_officers_bench`` dropped and created here; ``migrate``) and

* generates ``BENCH_OFFICERS_PERPETRATORS`` (default 100,000) perpetrator rows
  in half as many incidents, one victim and one act each, with blind indexes
  drawn from skewed pools (so that some officers repeat) and a MATCHING consent
  for 60 % of the victims (some withdrawn later); then times, alternating,
  ``officers.reads.repeat_officers`` (the ORM queries of the page, labels
  excluded, and once more with the labels unsealed) and the same result
  written by hand as one SQL statement, and checks that both agree;
* writes a CSV register of ``BENCH_OFFICERS_REGISTER_ROWS`` (default 125,000)
  rows and times ``officers.importer.run`` on it (parsing, checks, region and
  coded-list mapping, name skeletons, blind indexes, sealing, chunked inserts)
  against ``bulk_create`` of the same rows, already built, without any check;
  the import's peak memory is the maximum resident set of a fresh process that
  only runs one import (``--memory``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import common, pgdb

TITLE = "Officer profiles and complaint registers"
PG_PREFIX = "vigil_officers_bench"
ROOT = Path(__file__).resolve().parent.parent
PERPETRATORS = int(os.environ.get("BENCH_OFFICERS_PERPETRATORS", "100000"))
REGISTER_ROWS = int(os.environ.get("BENCH_OFFICERS_REGISTER_ROWS", "125000"))
DATABASES = [
    x for x in os.environ.get("BENCH_OFFICERS_DATABASES", "sqlite,postgres").split(",") if x
]
PG_URL = os.environ.get("BENCH_OFFICERS_PG_URL", f"postgres://postgres@127.0.0.1:5432/{PG_PREFIX}")
RUNS = int(os.environ.get("BENCH_OFFICERS_RUNS", "5"))
IMPORT_RUNS = int(os.environ.get("BENCH_OFFICERS_IMPORT_RUNS", "3"))
LIST_GOAL = 1.5
IMPORT_GOAL = 0.3
MEMORY_GOAL_MB = 300
THRESHOLD = 3
REGIONS = ["UA-30", "UA-32", "UA-46", "UA-51", "UA-63"]


# --- parent -------------------------------------------------------------------------------


def run() -> common.Report:
    report = common.Report(group="officers", title=TITLE)
    results: dict[str, Any] = {}
    for name in DATABASES:
        url = None if name == "sqlite" else PG_URL
        if url is not None and not pgdb.reachable(url):
            common.progress(
                f"officers: PostgreSQL unreachable at {urlsplit(url).hostname}; skipped"
            )
            continue
        results[name] = _worker(name, url)
        _tables(report, results[name])
    report.data = results
    return report


def _env(tmp: str, url: str | None) -> dict[str, str]:
    return {
        **os.environ,
        "VIGIL_TESTING": "1",
        "VIGIL_VAR_DIR": tmp,
        "DATABASE_URL": url or f"sqlite:///{tmp}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "vigil.settings",
    }


def _worker(name: str, url: str | None) -> dict[str, Any]:
    common.progress(f"officers: {name} worker")
    if url is not None:
        pgdb.recreate(url, PG_PREFIX)
    try:
        with tempfile.TemporaryDirectory(prefix="vigil-bench-officers-") as tmp:
            env = _env(tmp, url)
            done = subprocess.run(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "bench.officers", "--worker", "--name", name],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                check=True,
                text=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            memory = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.officers", "--memory", "--name", name],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                check=True,
                text=True,
            )
            result["memory"] = json.loads(memory.stdout.strip().splitlines()[-1])
    finally:
        if url is not None:
            pgdb.drop(url, PG_PREFIX)
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _tables(report: common.Report, result: dict[str, Any]) -> None:
    database = result["database"]
    orm, raw, full = result["list_orm"], result["list_raw"], result["list_labels"]
    ratio = orm["median"] / raw["median"]
    table = common.Table(
        f"{database}: repeat-officer list over {result['perpetrators']:,} perpetrator rows "
        f"({RUNS} interleaved runs after 1 warm-up each; load average "
        f"{result.get('load_average', 'not recorded')})",
        ["Measure", "median", "min", "queries"],
        note=(
            f"Ratio of medians: {common.fmt_paired_ratio(result['list_pair'])} (per-run range "
            f"in brackets; goal at most {LIST_GOAL}x: "
            f"{'met' if ratio <= LIST_GOAL else 'missed'}). {result['events']:,} incidents, "
            f"{result['consenting']:,} of them with a consenting victim; threshold "
            f"{THRESHOLD}; {result['rows']} officers listed (same rows from both: "
            f"{'yes' if result['equal'] else 'NO'}). The ORM row is "
            "``reads.repeat_officers`` without labels (the four per-kind GROUP BY as one "
            "UNION ALL statement, and one for registers); the labels row adds fetching and "
            "unsealing one sample per listed officer. The raw row is one hand-written "
            "statement: the consent rule as an anti-join, then the four GROUP BY ... HAVING "
            "in a UNION ALL."
        ),
    )
    table.add(
        "reads.repeat_officers (ORM)", _ms(orm["median"]), _ms(orm["min"]), str(orm["queries"])
    )
    table.add(
        "same, with labels unsealed", _ms(full["median"]), _ms(full["min"]), str(full["queries"])
    )
    table.add("hand-written GROUP BY", _ms(raw["median"]), _ms(raw["min"]), "1")
    report.tables.append(table)

    imp, bulk, memory = result["import"], result["bulk"], result["memory"]
    imp_pair = result["pair"]
    rows = result["register_rows"]
    rate, bulk_rate = rows / imp["median"], rows / bulk["median"]
    share = rate / bulk_rate
    table = common.Table(
        f"{database}: import of a {rows:,}-row complaint register ({IMPORT_RUNS} alternating runs)",
        ["Measure", "median", "min", "rows/s"],
        note=(
            f"Import rate / bulk_create rate: {share:.2f}x (per-run range "
            f"{1 / imp_pair['ratio_max']:.2f}-{1 / imp_pair['ratio_min']:.2f}x; goal at least "
            f"{IMPORT_GOAL}x: "
            f"{'met' if share >= IMPORT_GOAL else 'missed'}). Peak resident memory of a fresh "
            f"process running one import: {memory['maxrss_mb']:.0f} MB (goal under "
            f"{MEMORY_GOAL_MB} MB: {'met' if memory['maxrss_mb'] < MEMORY_GOAL_MB else 'missed'}"
            f"; {memory['baseline_mb']:.0f} MB of it before the import started). CSV of "
            f"{result['file_mb']:.1f} MB, UTF-8, ';'. The import reads, checks and maps every "
            "row, computes name skeletons and three blind indexes, seals each row and inserts "
            "in chunks of 2,000; the baseline builds the same rows and inserts them with "
            "bulk_create in chunks of 2,000, one commit per chunk as the import commits, "
            "and nothing else. Import and baseline alternate which goes first."
        ),
    )
    table.add(
        "importer.run", _ms(imp["median"]), _ms(imp["min"]), common.fmt_rate(rows / imp["median"])
    )
    table.add(
        "bulk_create, no checks", _ms(bulk["median"]), _ms(bulk["min"]), common.fmt_rate(bulk_rate)
    )
    report.tables.append(table)


# --- worker -------------------------------------------------------------------------------


def _setup() -> dict[str, Any]:
    from django.test import RequestFactory

    from vigil.accounts import actions
    from vigil.accounts.models import Role
    from vigil.vault.session import Vault

    created = actions.create_organisation(
        None, name="Bench", slug="bench-officers", country="UA", languages=["uk"]
    )
    org, private = created.organisation, created.private_key
    member = actions.add_member(
        None, org, username="bench-lawyer", role=Role.LAWYER, password="x" * 20, org_private=private
    )
    request = RequestFactory().get("/officers/")
    request.user = member.membership.user
    request.membership = member.membership  # type: ignore[attr-defined]
    request.vault = Vault({org.pk: private})  # type: ignore[attr-defined]
    return {"org": org, "private": private, "request": request, "user": member.membership.user}


def _pool(rng: random.Random, size: int, prefix: str) -> list[str]:
    return [f"{prefix}{rng.getrandbits(120):030x}"[:32] for _ in range(size)]


def _generate(world: dict[str, Any]) -> dict[str, int]:
    from django.db import transaction

    from vigil.cases.models import Consent, ConsentPurpose
    from vigil.incidents.models import Act, Event, EventStatus, Perpetrator, Person
    from vigil.vault import crypto, sealing
    from vigil.vocab.models import Term

    rng = random.Random(12)  # noqa: S311 - reproducible data, not a secret
    org, user = world["org"], world["user"]
    events_n = PERPETRATORS // 2
    act_type = Term.objects.filter(list="act_type").order_by("pk").first()
    badges, names = _pool(rng, events_n // 3, "b"), _pool(rng, events_n // 2, "n")
    plates, phones = _pool(rng, events_n // 2, "p"), _pool(rng, events_n // 2, "t")

    def skewed(pool: list[str]) -> str:
        return pool[
            min(len(pool) - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(len(pool)) // 4)
        ]

    # One real data key per 1,000 events: the label pass unseals real ciphertext.
    with transaction.atomic():
        events, keys = [], []
        for i in range(events_n):
            if i % 1000 == 0:
                key, sealed_key = sealing.new_data_key(org)
            events.append(
                Event(
                    organisation=org,
                    number=i + 1,
                    status=EventStatus.RECORDED,
                    region=REGIONS[i % len(REGIONS)],
                    start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 700),
                    sealed_key=sealed_key,
                    created_by=user,
                )
            )
            keys.append(key)
        Event.objects.bulk_create(events, batch_size=2000)
        events = list(Event.objects.filter(organisation=org).order_by("number"))
        people = Person.objects.bulk_create(
            [Person(organisation=org, pseudonym=f"P{i}") for i in range(events_n)], batch_size=2000
        )
        if not people[0].pk:
            people = list(Person.objects.filter(organisation=org).order_by("pk"))
        Act.objects.bulk_create(
            [
                Act(event=e, victim=p, act_type=act_type)
                for e, p in zip(events, people, strict=True)
            ],
            batch_size=2000,
        )
        perpetrators = []
        for i, event in enumerate(events):
            for _ in range(2):
                sealed = crypto.encrypt_json(keys[i], {"badge": "АВ 4471", "name": "Гаврилюк"})
                perpetrators.append(
                    Perpetrator(
                        event=event,
                        sealed=sealed,
                        badge_bidx=skewed(badges),
                        name_bidx=skewed(names) if rng.random() < 0.7 else "",
                        plate_bidx=skewed(plates) if rng.random() < 0.3 else "",
                        phone_bidx=skewed(phones) if rng.random() < 0.2 else "",
                    )
                )
        Perpetrator.objects.bulk_create(perpetrators, batch_size=2000)
        consents = []
        for person in people:
            if rng.random() < 0.6:
                consents.append(
                    Consent(
                        organisation=org,
                        person=person,
                        purpose=ConsentPurpose.MATCHING,
                        granted=True,
                        recorded_by=user,
                    )
                )
                if rng.random() < 0.1:
                    consents.append(
                        Consent(
                            organisation=org,
                            person=person,
                            purpose=ConsentPurpose.MATCHING,
                            granted=False,
                            recorded_by=user,
                        )
                    )
        Consent.objects.bulk_create(consents, batch_size=2000)
    return {"events": events_n, "perpetrators": len(perpetrators)}


RAW_LIST = """
WITH decisions AS (
  SELECT c.id, c.person_id, c.granted, c.recorded_at FROM cases_consent c
  WHERE c.organisation_id = %(org)s AND c.purpose = 'matching' AND c.body = ''
), granted AS (
  SELECT d.person_id FROM decisions d WHERE d.granted AND NOT EXISTS (
    SELECT 1 FROM decisions l WHERE l.person_id = d.person_id
    AND (l.recorded_at > d.recorded_at OR (l.recorded_at = d.recorded_at AND l.id > d.id)))
), ok AS (
  SELECT p.event_id, p.badge_bidx, p.name_bidx, p.plate_bidx, p.phone_bidx, e.region
  FROM incidents_perpetrator p JOIN incidents_event e ON e.id = p.event_id
  WHERE e.organisation_id = %(org)s AND p.event_id IN (
    SELECT a.event_id FROM incidents_act a WHERE a.victim_id IN (SELECT person_id FROM granted))
)
SELECT 'badge', badge_bidx, region, COUNT(DISTINCT event_id) FROM ok WHERE badge_bidx <> ''
  GROUP BY badge_bidx, region HAVING COUNT(DISTINCT event_id) >= %(t)s
UNION ALL
SELECT 'name', name_bidx, region, COUNT(DISTINCT event_id) FROM ok WHERE name_bidx <> ''
  GROUP BY name_bidx, region HAVING COUNT(DISTINCT event_id) >= %(t)s
UNION ALL
SELECT 'plate', plate_bidx, '', COUNT(DISTINCT event_id) FROM ok WHERE plate_bidx <> ''
  GROUP BY plate_bidx HAVING COUNT(DISTINCT event_id) >= %(t)s
UNION ALL
SELECT 'phone', phone_bidx, '', COUNT(DISTINCT event_id) FROM ok WHERE phone_bidx <> ''
  GROUP BY phone_bidx HAVING COUNT(DISTINCT event_id) >= %(t)s
UNION ALL
SELECT identity_kind, identity_bidx, identity_region, COUNT(*)
  FROM officers_externalcomplaint x JOIN officers_complaintregister r ON r.id = x.register_id
  WHERE x.organisation_id = %(org)s AND r.status = 'done'
  GROUP BY identity_kind, identity_bidx, identity_region HAVING COUNT(*) >= %(t)s
"""


def _list_bench(world: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.officers import reads

    request, org = world["request"], world["org"]

    def orm() -> list[Any]:
        return reads.repeat_officers(request, THRESHOLD, labels=False)

    def labelled() -> list[Any]:
        return reads.repeat_officers(request, THRESHOLD, labels=True)

    def raw() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(RAW_LIST, {"org": org.pk, "t": THRESHOLD})
            return cursor.fetchall()

    rows = orm()
    got = sorted((r.identity.kind, r.identity.bidx, r.identity.region, r.total) for r in rows)
    expected = sorted((k, b, r or "", n) for k, b, r, n in raw())
    # The page shows the first REPEAT_LIMIT; the raw statement returns them all.
    top = sorted(expected, key=lambda r: -r[3])[: reads.REPEAT_LIMIT]
    equal = got == sorted(top) if len(expected) > reads.REPEAT_LIMIT else got == expected
    samples = common.interleave({"orm": orm, "raw": raw, "labels": labelled}, RUNS)
    with CaptureQueriesContext(connection) as orm_queries:
        orm()
    with CaptureQueriesContext(connection) as label_queries:
        labelled()
    consenting = len({r[0] for r in _consenting_events(org.pk)})
    return {
        "list_orm": {**common.summary(samples["orm"]), "queries": len(orm_queries)},
        "list_raw": common.summary(samples["raw"]),
        "list_pair": common.paired(samples["orm"], samples["raw"]),
        "list_labels": {**common.summary(samples["labels"]), "queries": len(label_queries)},
        "rows": len(rows),
        "equal": equal,
        "consenting": consenting,
    }


def _consenting_events(org_id: int) -> list[tuple[int]]:
    from vigil.officers.reads import consenting_events

    return [(e,) for e in consenting_events(org_id).values_list("event_id", flat=True).distinct()]


FIRST = ["Петро", "Іван", "Олег", "Сергій", "Андрій", "Микола", "Василь", "Дмитро", "Юрій"]
LAST = ["Гаврилюк", "Іваненко", "Коваль", "Шевчук", "Бондаренко", "Ткаченко", "Кравчук", "Олійник"]
CATEGORIES = ["побиття", "вимагання", "незаконне затримання", "образи", "інше"]
FINDINGS = ["підтверджено", "не підтверджено", "необґрунтована", "без рішення", "інше"]


def register_csv(rows: int) -> bytes:
    rng = random.Random(7)  # noqa: S311 - reproducible data
    lines = ["ПІБ;Жетон;Область;Дата скарги;Категорія;Рішення"]
    for i in range(rows):
        lines.append(
            f"{rng.choice(LAST)} {rng.choice(FIRST)} {i % 997};"
            f"АВ {rng.randrange(30000):05d};{rng.choice(REGIONS)};"
            f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.20{rng.randrange(15, 25)};"
            f"{rng.choice(CATEGORIES)};{rng.choice(FINDINGS)}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


MAPPING = {
    "name": "ПІБ",
    "badge": "Жетон",
    "region": "Область",
    "complaint_date": "Дата скарги",
    "category": "Категорія",
    "finding": "Рішення",
}


def _register(world: dict[str, Any]) -> Any:
    from vigil.officers.models import ComplaintRegister

    register = ComplaintRegister(
        organisation=world["org"],
        source_name="bench",
        file_format="csv",
        mapping=MAPPING,
        identity=["badge", "region"],
        created_by=world["user"],
    )
    key = register.ensure_data_key(world["org"])
    register.save()
    return register, key


def _import_once(world: dict[str, Any], data: bytes) -> int:
    from vigil.officers import importer
    from vigil.vault import crypto

    register, key = _register(world)
    outcome = importer.run(
        register, data, key, crypto.blind_index_key(world["private"]), dry_run=False
    )
    assert outcome.error_count == 0, outcome.errors[:3]
    return outcome.imported


def _bulk_rows(world: dict[str, Any], n: int, first: int = 0) -> list[Any]:
    from vigil.officers.models import ExternalComplaint

    register = world.setdefault("bulk_register", _register(world)[0])
    sealed = os.urandom(160)
    return [
        ExternalComplaint(
            register=register,
            organisation=world["org"],
            line=first + i + 2,
            region="UA-30",
            complaint_date=datetime.date(2024, 1, 1),
            category="force",
            finding="sustained",
            identity_kind="badge",
            identity_bidx=f"{first + i:032x}",
            identity_region="UA-30",
            name_bidx=f"{first + i:032x}",
            badge_bidx=f"{first + i:032x}",
            sealed=sealed,
        )
        for i in range(n)
    ]


def _import_bench(world: dict[str, Any]) -> dict[str, Any]:
    """Import against the least work that stores the same rows the same way: the
    model objects built and inserted with ``bulk_create`` in chunks of 2,000, one
    transaction (one commit) per chunk as the import commits (so that it can resume),
    nothing checked, mapped, indexed or sealed. Alternating which goes first."""
    from django.db import transaction

    from vigil.officers.models import ExternalComplaint

    data = register_csv(REGISTER_ROWS)
    samples: dict[str, list[float]] = {"import": [], "bulk": []}

    def bulk() -> None:
        for first in range(0, REGISTER_ROWS, 2000):
            with transaction.atomic():
                count = min(2000, REGISTER_ROWS - first)
                ExternalComplaint.objects.bulk_create(_bulk_rows(world, count, first))

    for i in range(IMPORT_RUNS):
        common.progress(f"officers: import run {i + 1}")
        order = ["import", "bulk"] if i % 2 == 0 else ["bulk", "import"]
        for kind in order:
            if kind == "import":
                samples["import"].append(common.time_once(lambda: _import_once(world, data)))
            else:
                samples["bulk"].append(common.time_once(bulk))
            ExternalComplaint.objects.all().delete()
    return {
        "import": common.summary(samples["import"]),
        "bulk": common.summary(samples["bulk"]),
        "pair": common.paired(samples["import"], samples["bulk"]),
        "register_rows": REGISTER_ROWS,
        "file_mb": len(data) / 2**20,
    }


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(name: str) -> None:
    common.setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    world = _setup()
    common.progress(f"officers: generating {PERPETRATORS:,} perpetrators")
    counts = _generate(world)
    if name == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from django.db import connection

    common.progress("officers: repeat list")
    result: dict[str, Any] = {
        "database": common.db_label(connection),
        **counts,
        **_list_bench(world),
    }
    common.progress("officers: register import")
    result.update(_import_bench(world))
    result["load_average"] = common.load_average()
    print(json.dumps(result))


def memory(name: str) -> None:
    """One import in a fresh process: its peak resident memory is the import's."""
    common.setup_django()
    from vigil.accounts.models import Organisation, User
    from vigil.vault import crypto

    world = {
        "org": Organisation.objects.get(slug="bench-officers"),
        # Any key will do for the blind indexes here; sealing needs only the public key.
        "private": crypto.new_key(),
        "user": User.objects.get(username="bench-lawyer"),
    }
    data = register_csv(REGISTER_ROWS)
    baseline = _maxrss_mb()
    imported = _import_once(world, data)
    print(
        json.dumps(
            {
                "database": name,
                "maxrss_mb": _maxrss_mb(),
                "baseline_mb": baseline,
                "imported": imported,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--name", default="sqlite")
    args = parser.parse_args()
    if args.worker:
        worker(args.name)
    elif args.memory:
        memory(args.name)


if __name__ == "__main__":
    main()

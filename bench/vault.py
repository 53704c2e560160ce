"""Vault group: login unlock, sealing a 2 KB value, file encryption throughput.

Pure crypto on ``vigil.vault.crypto``: no database is touched. The unlock
benchmark passes the production Argon2id cost explicitly, so it measures
production cost even under VIGIL_TESTING=1 (which lowers the settings).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from bench import common
from vigil.accounts.hashers import VigilArgon2PasswordHasher as Argon2PasswordHasher
from vigil.vault import crypto

TITLE = "Vault"

# Production defaults as written in vigil/settings.py (VAULT_KDF_OPSLIMIT /
# VAULT_KDF_MEMLIMIT); VIGIL_TESTING overrides them, so they are not read back.
PROD_OPSLIMIT = 8
PROD_MEMLIMIT = 128 * 1024 * 1024
KDF_CONFIGS = [
    ("production", PROD_OPSLIMIT, PROD_MEMLIMIT),
    ("64 MiB", PROD_OPSLIMIT, 64 << 20),
    # The first default, and a costlier candidate, at the same memory.
    ("opslimit 3 (first default)", 3, PROD_MEMLIMIT),
    ("opslimit 10", 10, PROD_MEMLIMIT),
]
UNLOCK_RUNS = 7

VALUE_BYTES = 2048
SEAL_LOOPS = 2000
SEAL_ROUNDS = 7

FILE_BYTES = 64 * 1024 * 1024
IO_CHUNK = 64 * 1024
FILE_REPEATS = 3
MB = 1_000_000

PASSWORD = "correct horse battery staple 42"


def run() -> common.Report:
    report = common.Report(group="vault", title=TITLE)
    _unlock(report)
    _seal_open(report)
    _files(report)
    return report


# --- 1. login unlock ------------------------------------------------------------


def _unlock(report: common.Report) -> None:
    """What login does after the password check: KDF, unwrap member key, unseal org key.

    Every KDF cost and Django's password check run interleaved (one of each, then again),
    after one warm-up each, so that load from other processes falls on all alike."""
    table = common.Table(
        f"Login unlock (Argon2id + unwrap + unseal), {UNLOCK_RUNS} interleaved runs after 1 "
        "warm-up each",
        ["Case", "opslimit", "memlimit", "min", "median", "max", "vs production (range)"],
        note=(
            "The Django password check row is the other Argon2 a login pays "
            "(django.contrib.auth Argon2PasswordHasher defaults, run before the unlock). "
            "vs production: ratio of medians to the production unlock, with the smallest and "
            "largest per-run ratio."
        ),
    )
    results: dict[str, Any] = {}
    org_private, _ = crypto.new_keypair()
    member_private, member_public = crypto.new_keypair()
    sealed_org_key = crypto.seal_to(member_public, org_private)
    fns: dict[str, Callable[[], object]] = {}
    for label, ops, mem in KDF_CONFIGS:
        salt = crypto.new_salt()
        wrapped = crypto.encrypt(crypto.password_key(PASSWORD, salt, ops, mem), member_private)

        def unlock(
            salt: bytes = salt, wrapped: bytes = wrapped, ops: int = ops, mem: int = mem
        ) -> None:
            kek = crypto.password_key(PASSWORD, salt, ops, mem)
            private = crypto.decrypt(kek, wrapped)
            assert crypto.unseal(private, sealed_org_key) == org_private

        fns[label] = unlock
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    django_label = f"Django password check (t={hasher.time_cost}, p={hasher.parallelism})"
    fns[django_label] = lambda: hasher.verify(PASSWORD, encoded)
    common.progress(f"vault: login unlock, {len(fns)} cases interleaved x {UNLOCK_RUNS}")
    times = common.interleave(fns, UNLOCK_RUNS)
    production = times[KDF_CONFIGS[0][0]]
    rows = [
        (f"vault unlock, {label}", label, str(ops), f"{mem >> 20} MiB")
        for label, ops, mem in KDF_CONFIGS
    ]
    rows.append(
        (django_label, django_label, str(hasher.time_cost), f"{hasher.memory_cost >> 10} MiB")
    )
    for title, label, ops_text, mem_text in rows:
        stats = common.summary(times[label])
        pair = common.paired(times[label], production)
        results[label] = {"seconds": stats, "vs_production": pair}
        table.add(
            title,
            ops_text,
            mem_text,
            *(common.fmt_ms(stats[k]) for k in ("min", "median", "max")),
            "1.00x" if label == KDF_CONFIGS[0][0] else common.fmt_paired_ratio(pair),
        )

    # The unwrap + unseal part alone, to show the KDF is all of it.
    kek = crypto.new_key()
    wrapped = crypto.encrypt(kek, member_private)
    rest = common.per_op_us(
        lambda: crypto.unseal(crypto.decrypt(kek, wrapped), sealed_org_key), loops=500, rounds=5
    )
    results["unwrap_and_unseal_us"] = common.summary(rest)
    table.add("unwrap + unseal only", "-", "-", "", common.fmt_us(common.median(rest)), "", "")
    login = common.median(production) + common.median(times[django_label])
    results["login_total_median_estimate_s"] = login
    table.add("login total (medians summed)", "", "", "", common.fmt_ms(login), "", "")
    table.note += f" Load average at the end: {common.load_average()}."
    report.tables.append(table)
    report.data["login_unlock"] = results


# --- 2. seal and open a 2 KB value -------------------------------------------


def two_kb_text() -> str:
    """A 2048-byte UTF-8 value mixing Latin and Cyrillic, like a case narrative."""
    base = "Witness statement / Показання свідка: police stopped her at 21:40. "
    text = ""
    while len((text + base).encode()) <= VALUE_BYTES:
        text += base
    for char in base:
        if len((text + char).encode()) > VALUE_BYTES:
            break
        text += char
    text += "x" * (VALUE_BYTES - len(text.encode()))
    assert len(text.encode()) == VALUE_BYTES
    return text


def _seal_open(report: common.Report) -> None:
    common.progress(f"vault: seal and open a {VALUE_BYTES}-byte value ({SEAL_LOOPS} loops)")
    text = two_kb_text()
    org_private, org_public = crypto.new_keypair()
    key = crypto.new_key()
    sealed_key = crypto.seal_to(org_public, key)
    blob = crypto.encrypt_text(key, text)

    def seal() -> tuple[bytes, bytes]:
        data_key = crypto.new_key()
        return crypto.seal_to(org_public, data_key), crypto.encrypt_text(data_key, text)

    def open_() -> str:
        return crypto.decrypt_text(crypto.unseal(org_private, sealed_key), blob)

    assert open_() == text
    sealed, ciphertext = seal()
    assert crypto.decrypt_text(crypto.unseal(org_private, sealed), ciphertext) == text

    cases: list[tuple[str, str, Callable[[], object]]] = [
        ("seal", "seal: new data key + seal_to(org) + encrypt_text", seal),
        ("open", "open: unseal data key + decrypt_text", open_),
        (
            "seal_to",
            "  of which seal_to (X25519 sealed box)",
            lambda: crypto.seal_to(org_public, key),
        ),
        ("encrypt_text", "  of which encrypt_text 2 KB", lambda: crypto.encrypt_text(key, text)),
        ("unseal", "  of which unseal", lambda: crypto.unseal(org_private, sealed_key)),
        ("decrypt_text", "  of which decrypt_text 2 KB", lambda: crypto.decrypt_text(key, blob)),
    ]
    table = common.Table(
        f"Seal and open a {VALUE_BYTES}-byte value (median of {SEAL_ROUNDS} rounds "
        f"x {SEAL_LOOPS} calls)",
        ["Operation", "per op", "ops/s", "p95 of rounds"],
    )
    results: dict[str, Any] = {
        "value_bytes": VALUE_BYTES,
        "ciphertext_bytes": len(sealed) + len(ciphertext),
    }
    for name, label, fn in cases:
        rounds = common.per_op_us(fn, loops=SEAL_LOOPS, rounds=SEAL_ROUNDS)
        stats = common.summary(rounds)
        results[name] = {"us_per_op": stats, "ops_per_s": 1e6 / stats["median"]}
        table.add(
            label,
            common.fmt_us(stats["median"]),
            common.fmt_rate(1e6 / stats["median"]),
            common.fmt_us(stats["p95"]),
        )
    table.note = (
        f"Stored size of a sealed 2 KB value: {results['ciphertext_bytes']} bytes "
        f"({len(sealed)} sealed key + {len(ciphertext)} ciphertext)."
    )
    report.tables.append(table)
    report.data["seal_open"] = results


# --- 3. file encryption throughput ---------------------------------------------


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(IO_CHUNK):
        yield chunk


def plain_copy(source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        for chunk in _chunks(src):
            dst.write(chunk)


def encrypt_file(key: bytes, source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        for frame in crypto.encrypt_stream(key, _chunks(src)):
            dst.write(frame)


def decrypt_file(key: bytes, source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        for chunk in crypto.decrypt_stream(key, src):
            dst.write(chunk)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in _chunks(handle):
            digest.update(chunk)
    return digest.hexdigest()


def _timed(fn: Callable[[], None], target: Path) -> float:
    target.unlink(missing_ok=True)  # truncating a 64 MiB file is not what we measure
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1e9


def _files(report: common.Report) -> None:
    size_mib = FILE_BYTES >> 20
    common.progress(f"vault: file throughput, {size_mib} MiB random file x {FILE_REPEATS}")
    key = crypto.new_key()
    times: dict[str, list[float]] = {"plain": [], "encrypt": [], "decrypt": []}
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as tmp:
        source, plain, sealed, opened = (
            Path(tmp) / name for name in ("source.bin", "plain.bin", "sealed.bin", "opened.bin")
        )
        with source.open("wb") as handle:
            for _ in range(FILE_BYTES // (1 << 20)):
                handle.write(os.urandom(1 << 20))
        plain_copy(source, plain)  # warm the page cache and the code paths
        for _ in range(FILE_REPEATS):
            times["plain"].append(_timed(lambda: plain_copy(source, plain), plain))
            times["encrypt"].append(_timed(lambda: encrypt_file(key, source, sealed), sealed))
            times["decrypt"].append(_timed(lambda: decrypt_file(key, sealed, opened), opened))
        expected = _sha256(source)
        assert _sha256(plain) == expected
        assert _sha256(opened) == expected
        sealed_size = sealed.stat().st_size

    results: dict[str, Any] = {
        "file_bytes": FILE_BYTES,
        "io_chunk": IO_CHUNK,
        "ciphertext_bytes": sealed_size,
        "repeats": FILE_REPEATS,
    }
    table = common.Table(
        f"File throughput, {size_mib} MiB random file, {IO_CHUNK >> 10} KiB reads "
        f"({FILE_REPEATS} interleaved repeats after one warm-up copy)",
        ["Operation", "min / median", "MB/s (median)", "time vs plain copy (range)"],
        note=(
            "MB = 10^6 bytes of plaintext. Files live in a temporary directory; the page "
            "cache is warm and nothing is fsynced, so this is CPU cost, not disk speed. "
            "Ratios: of medians, with the smallest and largest per-repeat ratio (plain, "
            "encrypt, decrypt back to back in each repeat). "
            f"Ciphertext overhead: {sealed_size - FILE_BYTES:,} bytes "
            f"({(sealed_size - FILE_BYTES) / FILE_BYTES:.4%}). Load average at the end: "
            f"{common.load_average()}."
        ),
    )
    labels = {
        "plain": "plain streaming copy",
        "encrypt": "encrypt_stream",
        "decrypt": "decrypt_stream",
    }
    for name, samples in times.items():
        seconds = common.median(samples)
        rate = FILE_BYTES / seconds / MB
        pair = common.paired(samples, times["plain"])
        results[name] = {"seconds": common.summary(samples), "mb_per_s": rate, "vs_plain": pair}
        table.add(
            labels[name],
            common.fmt_min_median(results[name]["seconds"]),
            common.fmt_rate(rate),
            "1.00x" if name == "plain" else common.fmt_paired_ratio(pair),
        )
    results["ratio_encrypt_time_over_plain"] = results["encrypt"]["vs_plain"]["ratio"]
    results["ratio_decrypt_time_over_plain"] = results["decrypt"]["vs_plain"]["ratio"]
    results["ratio_encrypt_throughput_over_plain"] = (
        results["encrypt"]["mb_per_s"] / results["plain"]["mb_per_s"]
    )
    report.tables.append(table)
    report.data["file_throughput"] = results


if __name__ == "__main__":
    import sys

    from bench.__main__ import main

    sys.exit(main(["vault"]))

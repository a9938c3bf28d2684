"""Stage 3c: extract many responses at once: here, in a process pool, or on a Dask cluster.

Extraction (parse + extract of one RawLetter) is a pure function of the response
and the reference data, so it can run anywhere the same pccgraph is installed.
Each worker builds its Extractor (the compiled gazetteer and patterns) once and
keeps it for every batch it gets; results come back in input order, so the
output is the same for any number of workers and any executor.

- ``jobs=1``: in this process;
- ``jobs=N``: a pool of N processes on this machine;
- ``executor="dask://HOST:PORT"``: a running Dask distributed scheduler
  (``dask scheduler`` / ``dask worker tcp://HOST:PORT``); the reference data is
  sent to the workers, which must run the same pccgraph version.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import code_version, read_pickle, write_pickle
from .documents import parse_document, split_document
from .errors import PccgraphError
from .model import Document, Extraction, Problem, RawLetter
from .reference import Gazetteer

if TYPE_CHECKING:
    from .extract import Extractor

Progress = Callable[[int, int], None]
BATCH = 32  # responses sent to a worker at once
POOL_MIN_RESPONSES = 48  # fewer than this are extracted here: each worker builds its own extractor
DASK_SCHEME = "dask://"
CONNECT_TIMEOUT = 10  # seconds to reach the scheduler


class ExecutorError(PccgraphError):
    """The executor could not be reached or does not run the same pccgraph."""


_EXTRACTORS: dict[str, Extractor] = {}  # per process: reference key -> extractor


def _extractor(gazetteer: Gazetteer, key: str, folder: Path | None = None) -> Extractor:
    """This process's extractor for the reference data ``key``: built once, or (with
    ``folder``) read from the copy an earlier build pickled there, which is quicker
    than compiling the gazetteer's phrase matchers again."""
    found = _EXTRACTORS.get(key)
    if found is None:
        from .extract import Extractor  # imported when needed: spaCy is slow to import

        _EXTRACTORS.clear()
        saved = None
        if folder is not None:
            name = hashlib.sha256(f"{code_version()}\0{key}".encode()).hexdigest()[:32]
            saved = folder / f"extractor-{name}.pickle"
            loaded = read_pickle(saved)
            if isinstance(loaded, Extractor):
                found = loaded
        if found is None:
            found = Extractor(gazetteer)
            if saved is not None:
                _save_extractor(found, saved)
        _EXTRACTORS[key] = found
    return found


def _save_extractor(extractor: Extractor, path: Path) -> None:
    """Pickle ``extractor`` to ``path`` (atomically), removing copies made for other code or data."""
    with contextlib.suppress(OSError):
        for old in path.parent.glob("extractor-*.pickle"):
            old.unlink(missing_ok=True)
    write_pickle(path, extractor)


def extract_batch(
    batch: Sequence[RawLetter], gazetteer: Gazetteer, reference_key: str, folder: Path | None = None
) -> list[Extraction]:
    """Parse and extract a batch of responses with this process's extractor."""
    extractor = _extractor(gazetteer, reference_key, folder)
    return [extractor(parse_document(raw)) for raw in batch]


def _pool_start(gazetteer: Gazetteer, key: str, saved: Path | None = None) -> None:
    global _POOL_GAZETTEER, _POOL_KEY
    _POOL_GAZETTEER, _POOL_KEY = gazetteer, key
    _extractor(gazetteer, key, saved)


_POOL_GAZETTEER: Gazetteer | None = None
_POOL_KEY = ""


def _pool_batch(batch: Sequence[RawLetter]) -> list[Extraction]:
    assert _POOL_GAZETTEER is not None
    return extract_batch(batch, _POOL_GAZETTEER, _POOL_KEY)


def batches(letters: Sequence[RawLetter], workers: int) -> list[list[RawLetter]]:
    """Cut ``letters`` into batches: small enough to spread, big enough to be worth sending."""
    size = max(1, min(BATCH, -(-len(letters) // max(1, workers * 4))))
    return [list(letters[i : i + size]) for i in range(0, len(letters), size)]


SPLIT_POOL_MIN = 200  # fewer files than this are cut here


def split_many(docs: Sequence[Document], *, jobs: int = 1) -> list[tuple[list[RawLetter], list[Problem]]]:
    """Cut every document into responses (``documents.split_document``), in input order:
    in this process, or in ``jobs`` forked processes for a large corpus."""
    if jobs <= 1 or len(docs) < SPLIT_POOL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return [split_document(doc) for doc in docs]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(split_document, docs, chunksize=max(1, len(docs) // (jobs * 8))))


def default_jobs() -> int:
    """The machine's cores (``os.cpu_count()``), at least 1."""
    return max(1, os.cpu_count() or 1)


def extract_many(
    letters: Sequence[RawLetter],
    gazetteer: Gazetteer,
    key: str,
    *,
    jobs: int = 1,
    executor: str | None = None,
    progress: Progress | None = None,
    saved: Path | None = None,
) -> list[Extraction]:
    """Extract every response, in input order.

    Args:
        letters: the responses to extract.
        gazetteer: the reference data, loaded.
        key: names that reference data (its hash): a worker reuses its extractor for the same key.
        jobs: processes on this machine (1: in this process).
        executor: ``"dask://HOST:PORT"`` to run on a Dask distributed cluster instead.
        progress: called as ``progress(done, total)``.
        saved: a folder where the built extractor is kept between builds (this process
            and the pool's workers read it from there instead of building it).

    Raises:
        ExecutorError: the Dask scheduler cannot be reached or runs another pccgraph.
    """
    total = len(letters)
    report = progress or (lambda done, total: None)
    if not letters:
        return []
    if executor:
        return _extract_on_dask(letters, gazetteer, key, executor, report)
    if jobs <= 1 or total < POOL_MIN_RESPONSES:
        out = []
        for n, raw in enumerate(letters, 1):
            out.extend(extract_batch([raw], gazetteer, key, saved))
            report(n, total)
        return out
    parts = batches(letters, jobs)
    results: list[list[Extraction]] = [[] for _ in parts]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    done = 0
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(parts)), mp_context=context, initializer=_pool_start, initargs=(gazetteer, key, saved)
    ) as pool:
        futures = {pool.submit(_pool_batch, part): i for i, part in enumerate(parts)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done += len(parts[futures[future]])
            report(done, total)
    return [x for part in results for x in part]


def dask_address(executor: str) -> str:
    """``dask://HOST:PORT`` -> ``tcp://HOST:PORT`` (the scheduler's address).

    Raises:
        ExecutorError: not a ``dask://`` address.
    """
    if not executor.startswith(DASK_SCHEME) or not executor[len(DASK_SCHEME) :].strip("/"):
        raise ExecutorError(f"unknown executor {executor!r}: expected dask://HOST:PORT")
    return "tcp://" + executor[len(DASK_SCHEME) :].strip("/")


def _worker_version() -> str:
    return code_version()


def _extract_on_dask(
    letters: Sequence[RawLetter], gazetteer: Gazetteer, key: str, executor: str, report: Progress
) -> list[Extraction]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ExecutorError("the Dask executor needs dask[distributed] (pip install 'dask[distributed]')") from exc

    address = dask_address(executor)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        versions: dict[str, Any] = client.run(_worker_version)
        if not versions:
            raise ExecutorError(f"the Dask scheduler at {address} has no workers")
        mine = code_version()
        other = sorted(worker for worker, version in versions.items() if version != mine)
        if other:
            raise ExecutorError(
                f"Dask worker(s) {', '.join(other)} run another pccgraph ({versions[other[0]]}, here {mine}): "
                "install the same version on every worker"
            )
        parts = batches(letters, max(1, sum(client.nthreads().values())))
        shared = client.scatter(gazetteer, broadcast=True)
        futures = client.map(extract_batch, parts, gazetteer=shared, reference_key=key, pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        results: list[list[Extraction]] = [[] for _ in parts]
        done = 0
        for future in dask_completed(futures):
            i = index[future.key]
            results[i] = future.result()
            done += len(parts[i])
            report(done, len(letters))
        return [x for part in results for x in part]
    finally:
        client.close()

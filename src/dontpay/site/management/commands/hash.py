"""`dontpay hash FILE… [--json] [--dihedral] [--workers N]`: PDQ for images, vPDQ for videos.

What a file is comes from its first bytes, never its name. Files are hashed in parallel, one
per process, and printed in the order given: ``pdq HASH QUALITY FILE`` for an image and
``vpdq FRAME,QUALITY,HASH,TIME FILE`` for each sampled frame of a video, or with ``--json``
``{"files": [...]}``. With ``--dihedral`` an image gets its eight turns and flips, as a platform
sends them to ``POST /api/v1/match/dihedral``: ``pdq-dihedral HASH,…,HASH QUALITY FILE``, or in
JSON a ``dihedral`` list beside ``hash`` (the first of the eight). One file that cannot be
hashed fails the whole run (exit 2, one line naming it, nothing on stdout), with or without
``--json``, so scripts cannot miss it.
"""

import json
import multiprocessing
import os
from argparse import ArgumentParser
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

from dontpay.domain.signals import InvalidMedia, PdqDihedral, PdqHash, features_to_lines
from dontpay.domain.signals.media import Hashed, hash_media
from dontpay.site.commands import BadInput, ProductCommand


class Command(ProductCommand):
    help = "Print the PDQ hash of each image and the vPDQ features of each video."
    requires_system_checks = ()  # needs no database

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="print the hashes as JSON")
        parser.add_argument(
            "--dihedral",
            action="store_true",
            help="hash each image's eight turns and flips too (videos are unchanged)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes hashing at once (default: one per CPU)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise BadInput("workers: must be at least 1")
        paths: list[str] = options["files"]
        hashes = list(_hash_all(paths, options["workers"], dihedral=options["dihedral"]))
        if options["json"]:
            files = [_as_dict(path, hashed) for path, hashed in zip(paths, hashes, strict=True)]
            self.stdout.write(json.dumps({"files": files}, indent=2))
            return
        for path, hashed in zip(paths, hashes, strict=True):
            if isinstance(hashed, PdqHash):
                self.stdout.write(f"pdq {hashed.hex} {hashed.quality} {path}")
            elif isinstance(hashed, PdqDihedral):
                self.stdout.write(f"pdq-dihedral {','.join(hashed.hashes)} {hashed.quality} {path}")
            else:
                for line in features_to_lines(hashed):
                    self.stdout.write(f"vpdq {line} {path}")


def _hash_all(paths: list[str], workers: int, *, dihedral: bool) -> Iterator[Hashed]:
    """Each file's hash in the order given; the first failure, in that order, stops the run."""
    if workers == 1 or len(paths) == 1:
        for path in paths:
            yield _checked(path, partial(hash_media, path, dihedral=dihedral))
        return
    # Workers fork from a fresh server process, not from this one: forking a process that
    # already runs decoder threads can deadlock the child. The server imports the hashing code
    # once, so each worker starts with it loaded.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    pool = ProcessPoolExecutor(max_workers=min(workers, len(paths)), mp_context=context)
    try:
        futures = [pool.submit(hash_media, path, dihedral=dihedral) for path in paths]
        for path, future in zip(paths, futures, strict=True):
            yield _checked(path, future.result)
    finally:
        pool.shutdown(cancel_futures=True)


def _checked(path: str, compute: Callable[[], Hashed]) -> Hashed:
    try:
        return compute()
    except InvalidMedia as problem:
        raise BadInput(f"{path}: {problem}") from None
    except OSError as problem:
        raise BadInput(f"{path}: cannot read: {problem.strerror or problem}") from None


def _as_dict(path: str, hashed: Hashed) -> dict[str, Any]:
    if isinstance(hashed, PdqHash):
        return {"file": path, "type": "pdq", "hash": hashed.hex, "quality": hashed.quality}
    if isinstance(hashed, PdqDihedral):
        return {
            "file": path,
            "type": "pdq",
            "hash": hashed.hashes[0],
            "quality": hashed.quality,
            "dihedral": list(hashed.hashes),
        }
    features = [
        {
            "frame_number": feature.frame_number,
            "quality": feature.quality,
            "hash": feature.hash,
            "timestamp": feature.timestamp,
        }
        for feature in hashed
    ]
    return {"file": path, "type": "vpdq", "features": features}

"""Writing files that survive a crash: write every byte, sync the file, sync its directory."""

import os
from collections.abc import Buffer
from pathlib import Path


def write_all(fd: int, data: Buffer) -> None:
    """Write all of `data`, however many calls `os.write` needs."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def fsync_directory(directory: Path) -> None:
    """Make a new, renamed or deleted name in `directory` durable, not only the file's bytes."""
    fd = os.open(directory, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing these bytes to disk now, not at the next fsync.

    On Linux, ``POSIX_FADV_DONTNEED`` starts writeback of dirty pages without waiting for it,
    so the disk works while we encrypt the next piece and the final fsync has less left to do.
    It is only a hint: durability still comes from fsync. Elsewhere it does nothing.
    """
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)

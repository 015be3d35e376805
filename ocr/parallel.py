"""Work on many pages at once, keeping ``workers`` busy and results in page order.

Threads are enough for parallelism: the heavy work happens in Tesseract child processes and in
OpenCV/NumPy, which release the GIL. At most ``2 * workers`` rasterized pages wait in memory.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from ingest.rasterize import PageImage

T = TypeVar("T")
M_MMAP_THRESHOLD = -3  # glibc mallopt parameter (malloc.h)
MMAP_THRESHOLD_BYTES = 1 << 20


@functools.cache
def keep_page_buffers_out_of_arenas() -> bool:
    """Have glibc serve every allocation of 1 MiB or more by mmap, returned to the OS on free.

    Why: a 300 dpi page is 25 MB of RGB plus greys of 8 MB; glibc raises its mmap threshold
    after the first such free, and then each page thread keeps those buffers in its own arena,
    so the worker's RSS kept growing by whole page images (bench.speed memory). Returns whether
    the setting took (False off glibc, where nothing is changed).
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False


def map_pages(pages: Iterable[PageImage], work: Callable[[PageImage], T], *, workers: int,
              on_done: Callable[[T], None] | None = None) -> list[T]:
    """Apply ``work`` to every page in parallel; return the results in page order."""
    keep_page_buffers_out_of_arenas()
    results: list[T] = []
    pending: list[Future[T]] = []
    limit = 2 * max(1, workers)

    def collect() -> None:
        result = pending.pop(0).result()
        results.append(result)
        if on_done is not None:
            on_done(result)

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="page") as pool:
        for page in pages:
            pending.append(pool.submit(work, page))
            while sum(not f.done() for f in pending) >= limit:
                collect()
        while pending:
            collect()
    return results

"""Load a thing at most once per process, however many threads ask for it first."""

from __future__ import annotations

import threading
from collections.abc import Callable


def once[T](load: Callable[[], T]) -> Callable[[], T]:
    lock = threading.Lock()
    loaded: list[T] = []

    def get() -> T:
        if not loaded:
            with lock:
                if not loaded:
                    loaded.append(load())
        return loaded[0]

    return get

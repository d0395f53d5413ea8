"""Models load once per process, even when several threads ask for them at the same time."""

import threading

from holdspace.safety.once import once


def test_threads_asking_together_share_one_load() -> None:
    calls: list[int] = []
    start = threading.Barrier(8)

    def load() -> object:
        calls.append(1)
        return object()

    get = once(load)
    results: list[object] = []

    def ask() -> None:
        start.wait()
        results.append(get())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 8 and all(r is results[0] for r in results)

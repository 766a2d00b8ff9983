"""Whether a folder's owner process still runs: a process that ended is gone even while it is a
zombie nobody collected (a killed build's grandchild), so that the next build removes its folders."""

import multiprocessing
import operator
import os
import signal

import pytest

from pressroom.build import processes


def test_a_running_process_runs():
    assert processes.is_running(os.getpid())


def ended_child():
    """The id of a child that has ended and is not yet collected (a zombie)."""
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitid(os.P_PID, child, os.WEXITED | os.WNOWAIT)  # once it has ended, left uncollected
    return child


def test_an_ended_process_not_yet_collected_does_not_run():
    child = ended_child()
    try:
        assert processes.is_zombie(child)
        assert not processes.is_running(child)
    finally:
        os.waitpid(child, 0)
    assert not processes.is_running(child)


def test_a_zombies_folder_is_removed_and_a_living_owners_is_kept(tmp_path):
    child = ended_child()
    try:
        (tmp_path / f"recherche-{child}-abc").mkdir()
        (tmp_path / f"recherche-{os.getpid()}-def").mkdir()
        processes.remove_orphaned_folders(str(tmp_path), "recherche-")
        assert [p.name for p in tmp_path.iterdir()] == [f"recherche-{os.getpid()}-def"]
    finally:
        os.waitpid(child, 0)


def note_sigterm(folder):
    """A worker's initializer (after ``die_with_parent``, as ours): a SIGTERM it receives leaves a
    file in ``folder``, then ends it."""
    processes.die_with_parent(os.getppid())

    def noted(signum, frame):
        with open(os.path.join(folder, str(os.getpid())), "w") as mark:
            mark.write("SIGTERM")
        os._exit(1)

    signal.signal(signal.SIGTERM, noted)


def test_a_pool_whose_work_is_done_ends_without_signalling_its_workers(tmp_path):
    """Pool.terminate sends SIGTERM, which a worker still starting could lose (the pool then waits
    for it forever): a pool of ours ends by closing, its workers leaving at the end of their queue."""
    with processes.worker_pool(2, note_sigterm, (str(tmp_path),)) as pool:
        assert sorted(pool.imap_unordered(abs, range(-50, 0), chunksize=4)) == list(range(1, 51))
        workers = multiprocessing.active_children()
    assert workers and not any(worker.is_alive() for worker in workers)
    assert list(tmp_path.iterdir()) == []  # no worker was sent SIGTERM
    assert [worker.exitcode for worker in workers] == [0] * len(workers)


def blocked_signals():
    return signal.pthread_sigmask(signal.SIG_BLOCK, set())


def test_workers_are_forked_with_sigterm_blocked_and_let_it_in_once_it_stops_them(tmp_path):
    before = blocked_signals()
    with processes.worker_pool(2, note_sigterm, (str(tmp_path),)) as pool:
        assert blocked_signals() == before  # the build's own SIGTERM handler works again at once
        assert signal.SIGTERM not in pool.apply(blocked_signals)


def test_a_pool_whose_work_fails_ends_its_workers(tmp_path):
    with pytest.raises(ZeroDivisionError):
        with processes.worker_pool(2, note_sigterm, (str(tmp_path),)) as pool:
            workers = multiprocessing.active_children()
            pool.apply(operator.truediv, (1, 0))
    assert workers and not any(worker.is_alive() for worker in workers)

"""Whether a folder's owner process still runs: a process that ended is gone even while it is a
zombie nobody collected (a killed build's grandchild), so that the next build removes its folders."""

import os

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

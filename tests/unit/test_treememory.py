"""The benchmark's memory of a whole process tree: a parent and the child it starts, counted together."""

import subprocess
import sys

from pressroom.tools import treememory

# The parent starts a child that fills 200 MiB and says so; the parent relays the child's pid
# and waits to be told to stop (its stdin closed).
CHILD = (
    "import sys; block = bytearray(200 * 2**20); block[::4096] = b'x' * len(block[::4096]); "
    "print('ready', flush=True); sys.stdin.read()"
)
PARENT = f"""
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", {CHILD!r}], stdin=sys.stdin, stdout=subprocess.PIPE, text=True)
assert child.stdout.readline() == "ready\\n"
print(child.pid, flush=True)
child.wait()
"""


def test_the_peak_of_a_tree_counts_the_child_that_allocates():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        with treememory.TreePeak(parent.pid, interval=0.01) as peak:
            child = int(parent.stdout.readline())
            assert child in treememory.descendants(parent.pid)
            parent_alone, child_alone = treememory.resident_kib(parent.pid), treememory.resident_kib(child)
        assert peak.peak_kib > child_alone > parent_alone  # more than either alone: both are counted
        assert peak.mib == peak.peak_kib / 1024
    finally:
        parent.stdin.close()
        parent.wait(timeout=30)


def test_a_process_that_has_ended_counts_nothing():
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert treememory.resident_kib(ended.pid) == 0
    assert treememory.tree_kib(ended.pid) == 0

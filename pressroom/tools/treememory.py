"""Peak memory of a process and all its descendants together, sampled from /proc.

``ru_maxrss`` tells the peak of one process only; a build also starts workers and
Pagefind. A thread reads, every ``interval`` seconds, the proportional set size (PSS:
a page shared by n processes counts 1/n in each, so forked workers are not counted
twice) of the whole tree, and keeps the largest sum."""

import os
import pathlib
import threading

PROC = pathlib.Path("/proc")


def children_by_parent():
    """Every running process's id under its parent's id, read from /proc/<pid>/stat."""
    children = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = (PROC / entry.name / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])  # the command name may hold spaces
        children.setdefault(parent, []).append(int(entry.name))
    return children


def descendants(pid):
    """``pid`` and every process below it."""
    children, tree, waiting = children_by_parent(), [], [pid]
    while waiting:
        current = waiting.pop()
        tree.append(current)
        waiting += children.get(current, [])
    return tree


def resident_kib(pid):
    """The process's PSS in KiB (its RSS where smaps_rollup cannot be read); 0 once it has ended."""
    for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            text = (PROC / str(pid) / name).read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def tree_kib(pid):
    """The memory of ``pid`` and its descendants together, in KiB."""
    return sum(resident_kib(member) for member in descendants(pid))


class TreePeak:
    """Samples the tree of ``pid`` in a thread until stopped: ``with TreePeak(pid) as peak: ...``,
    then ``peak.mib``."""

    def __init__(self, pid, interval=0.1):
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self):
        """Until stopped, and once more when stopped."""
        while True:
            done = self.stopped.is_set()
            self.peak_kib = max(self.peak_kib, tree_kib(self.pid))
            if done:
                return
            self.stopped.wait(self.interval)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stopped.set()
        self.thread.join()

    @property
    def mib(self):
        return self.peak_kib / 1024

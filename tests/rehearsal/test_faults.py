"""Faults injected into the operation, each ending with nothing sent twice, nothing
lost, and the live site never half-updated: the list server failing half-way, the
push of the publication's records refused, two pipelines at once, a job run twice,
`kill -9` during a publication and during a sending, a list that would hold a post."""

import asyncio
import datetime
import os
import signal
import subprocess
import threading
import time

import pytest
from operation import LISTS
from parts import release_files
from stage import operation, sink  # noqa: F401 - fixtures

pytestmark = pytest.mark.rehearsal

ANNOUNCE_LISTS = sorted(LISTS[acronym]["annonces"] for acronym in ("INPS", "CMSS"))


def online_release(operation):
    """A release dated an hour ago, committed: the next pipeline publishes and announces it."""
    published = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0, tzinfo=None)
    published -= datetime.timedelta(hours=1)
    operation.commit("Communiqué", release_files(published))
    return f"/{published:%Y}/{published:%m}/inps-inscriptions-independants/"


def sent_to(sink):
    return sorted(message["To"] for message in sink.messages)


def file_names(operation):
    return [path.relative_to(operation.server).as_posix() for path in operation.server.rglob("*") if path.is_file()]


def site_files(operation):
    return {
        path.relative_to(operation.server).as_posix(): path.read_bytes()
        for path in operation.server.rglob("*")
        if path.is_file()
    }


def test_the_list_server_failing_half_way(operation):
    page = online_release(operation)
    operation.sink.handler.accept_only = 1  # the second message meets « 451 Panne simulée »
    first = operation.pipeline("push")
    assert first.status("publish") == 0 and first.status("adresses") == 0
    assert first.status("alertes") == 1 and "Panne simulée" in first.output("alertes")
    assert operation.get(page)[0] == 200  # the publication stands
    assert len(operation.sink.messages) == 1
    operation.sink.handler.accept_only = None
    second = operation.pipeline("schedule")
    assert second.status("alertes") == 0, second.output()
    assert sent_to(operation.sink) == ANNOUNCE_LISTS


def test_the_push_of_the_published_addresses_refused(operation):
    page = online_release(operation)
    operation.refuse_pushes()  # a protected main, or a GitLab project without PUSH_TOKEN
    first = operation.pipeline("push")
    assert first.status("publish") == 0 and operation.get(page)[0] == 200
    assert first.status("adresses") == 1 and "push refusé" in first.output("adresses")
    assert first.status("alertes") == 0 and sent_to(operation.sink) == ANNOUNCE_LISTS
    for _ in range(2):  # every quarter of an hour, as long as the branch stays protected
        later = operation.pipeline("schedule")
        assert later.status("adresses") == 1 and later.status("alertes") == 0, later.output()
    assert sent_to(operation.sink) == ANNOUNCE_LISTS
    operation.refuse_pushes(False)
    assert operation.pipeline("schedule").status("adresses") == 0
    operation.git("pull", "--quiet", "--rebase", "origin", "main")
    assert page.strip("/") in (operation.desk / "content" / "adresses-publiees.txt").read_text(encoding="utf-8")


class Slowed:
    """Makes the list server take a while over each message, so that two runs overlap."""

    def __init__(self, handler, seconds):
        self.original, self.seconds = handler.handle_DATA, seconds

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.seconds)
        return await self.original(server, session, envelope)


def at_once(operation, clones, arguments):
    """The same task started in each clone at the same moment (two pipelines of the forge)."""
    results = [None] * len(clones)

    def run(index):
        results[index] = operation.task(clones[index], arguments)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(clones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    return results


def test_two_pipelines_at_once(operation):
    online_release(operation)
    clones = [operation.checkout(), operation.checkout()]  # the push pipeline and the schedule
    for step in at_once(operation, clones, ["publish"]):
        assert step.status == 0, step.output
    operation.sink.handler.handle_DATA = Slowed(operation.sink.handler, seconds=2).handle_DATA
    try:
        results = at_once(operation, clones, ["alertes"])
    finally:
        del operation.sink.handler.handle_DATA
    assert [step.status for step in results] == [0, 0], [step.output for step in results]
    assert sent_to(operation.sink) == ANNOUNCE_LISTS


def test_a_job_run_twice(operation):
    online_release(operation)
    clone = operation.checkout()
    first = operation.pipeline("push", clone=clone)
    assert first.status("alertes") == 0
    rerun = operation.task(clone, ["alertes"])  # « Re-run job » on the forge
    assert rerun.status == 0, rerun.output
    assert sent_to(operation.sink) == ANNOUNCE_LISTS


def slow_rsync(folder):
    """A PATH whose rsync sends at 20 kB/s: a publication lasts long enough to be killed in the middle."""
    folder.mkdir()
    wrapper = folder / "rsync"
    wrapper.write_text('#!/bin/sh\nexec /usr/bin/rsync --bwlimit=20 "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return f"{folder}:{os.environ['PATH']}"


def wait_for(condition, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def rsync_leftover(name):
    """rsync's files in transit: its .~tmp~ folders and hidden partial files, removed by the next run."""
    return "~tmp~" in name or name.rsplit("/", 1)[-1].startswith(".") and name.count(".") >= 3


def test_kill_9_during_the_publication(operation, tmp_path):
    page = online_release(operation)
    before = site_files(operation)
    clone = operation.checkout()
    job = subprocess.Popen(
        **operation.command(clone, ["publish"], PATH=slow_rsync(tmp_path / "lent")),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    names = set(before)
    sending = wait_for(lambda: set(file_names(operation)) - names)  # rsync has begun writing
    os.killpg(job.pid, signal.SIGKILL)
    job.wait(timeout=60)
    assert sending, "la publication s'est terminée avant d'être interrompue"
    after = {name: data for name, data in site_files(operation).items() if not rsync_leftover(name)}
    assert after == before  # not one page replaced: the old site whole
    # rsync makes new folders at once (nginx answers 403 there instead of 404), files only at the end
    assert operation.get(page)[0] in (403, 404) and operation.sink.messages == []
    again = operation.pipeline("schedule")
    assert again.status("publish") == 0 and again.status("alertes") == 0, again.output()
    assert operation.get(page)[0] == 200 and sent_to(operation.sink) == ANNOUNCE_LISTS


class Stalling:
    """Makes the list server hang on the data of the next message, as a dying server does."""

    def __init__(self, handler):
        self.handler, self.reached = handler, threading.Event()
        self.to = []

    async def handle_DATA(self, server, session, envelope):
        self.to = list(envelope.rcpt_tos)
        self.reached.set()
        await asyncio.sleep(60)
        return "451 4.3.0 trop tard"


def test_kill_9_while_a_message_is_being_sent(operation):
    online_release(operation)
    clone = operation.checkout()
    assert operation.task(clone, ["publish"]).status == 0
    stalling = Stalling(operation.sink.handler)
    operation.sink.handler.handle_DATA = stalling.handle_DATA
    try:
        job = subprocess.Popen(
            **operation.command(clone, ["alertes"]),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert stalling.reached.wait(timeout=120)
        os.killpg(job.pid, signal.SIGKILL)
        job.wait(timeout=60)
    finally:
        del operation.sink.handler.handle_DATA
    rerun = operation.task(clone, ["alertes"])
    assert rerun.status == 1 and "Envoi incertain, non renvoyé" in rerun.output, rerun.output
    others = [address for address in ANNOUNCE_LISTS if address not in stalling.to]
    assert sent_to(operation.sink) == others  # the cut message is not sent again by itself; the rest is
    settled = operation.task(clone, ["alertes", "--incertains=renvoyer"])  # after checking the list's archive
    assert settled.status == 0, settled.output
    assert sent_to(operation.sink) == ANNOUNCE_LISTS
    assert operation.task(clone, ["alertes"]).status == 0 and sent_to(operation.sink) == ANNOUNCE_LISTS


def test_a_list_that_would_hold_the_post(operation):
    page = online_release(operation)
    first = operation.pipeline("push", ALERTES_LIST_APPROVE="")
    assert first.status("publish") == 0 and operation.get(page)[0] == 200
    assert first.status("alertes") == 2 and "ALERTES_LIST_APPROVE absent" in first.output("alertes")
    assert operation.sink.held == [] and operation.sink.messages == []
    fixed = operation.pipeline("schedule")
    assert fixed.status("alertes") == 0 and sent_to(operation.sink) == ANNOUNCE_LISTS
    assert operation.sink.held == []

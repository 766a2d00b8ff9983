"""Invoke tasks for the press site. Thin: each task calls the pressroom package."""

import os
import sys

from invoke import task

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, ROOT)

from pressroom import site  # noqa: E402

HOST, PORT = "127.0.0.1", 8000


def _exit_on_failure(status):
    if status:
        sys.exit(status)


@task
def build(c):
    """Construit le site dans output/ à partir de content/."""
    _exit_on_failure(site.build("pelicanconf.py"))
    print(f"Pour le consulter : make serve, puis ouvrez http://{HOST}:{PORT}/")


@task
def publish(c):
    """Construit le site de production (publishconf.py)."""
    _exit_on_failure(site.build("publishconf.py"))


@task
def clean(c):
    """Supprime output/."""
    c.run(f"rm -rf {os.path.join(ROOT, 'output')}")


@task
def serve(c):
    """Sert output/ sur http://127.0.0.1:8000/."""
    c.run(f"{sys.executable} -m pelican --listen --bind {HOST} --port {PORT} -s pelicanconf.py", pty=False)


@task
def livereload(c):
    """Construit le site puis le reconstruit à chaque modification, servi sur 127.0.0.1:8000."""
    c.run(f"{sys.executable} -m pelican --autoreload --listen --bind {HOST} --port {PORT} -s pelicanconf.py")


@task
def test(c):
    """Lance toute la suite de tests."""
    c.run(f"{sys.executable} -m pytest -q", pty=False)

"""Invoke tasks for the press site. Thin: each task calls the pressroom package."""

import os
import sys

from invoke import task

from pressroom import bench as benchmark
from pressroom import importer, preview, site
from pressroom import lint as content_lint
from pressroom import new as authoring
from pressroom import publish as publishing

ROOT = os.path.dirname(os.path.abspath(__file__))
HOST, PORT = "127.0.0.1", 8000


def _exit_on_failure(status):
    if status:
        sys.exit(status)


@task(help={"preview": "aperçu : montre aussi les brouillons et les articles sous embargo, marqués"})
def build(c, preview=False):
    """Construit le site dans output/ à partir de content/."""
    _exit_on_failure(site.build("pelicanconf.py", preview=preview))
    print(f"Pour le consulter : make serve, puis ouvrez http://{HOST}:{PORT}/")


@task(help={"dry_run": "montre ce que rsync enverrait, sans rien envoyer"})
def publish(c, dry_run=False):
    """Construit le site de production (publishconf.py) et l'envoie par rsync vers $PUBLISH_DEST."""
    _exit_on_failure(publishing.publish(dry_run=dry_run))


@task(
    help={
        "institution": "sigle de l'institution (registre content/institutions.yml)",
        "author": "nom de l'auteur (champ Author, obligatoire pour construire le site)",
        "event": "ajoute les champs d'un événement (Event, Event-Start…)",
    }
)
def new(c, title, institution, author="", event=False):
    """Crée content/articles/AAAA/<slug>.md, un brouillon dont tous les champs sont prêts à remplir."""
    try:
        path = authoring.new_article(title, institution, author=author, event=event)
    except (ValueError, authoring.ArticleExists, authoring.RegistryError) as error:
        print(f"Article non créé : {error}", file=sys.stderr)
        sys.exit(2)
    print(f"Article créé : {os.path.relpath(path, ROOT)}")


@task(
    help={
        "articles": "nombre d'articles de l'archive synthétique",
        "profile": "profile la construction complète (cProfile) au lieu de la chronométrer",
    }
)
def bench(c, articles=1000, profile=False):
    """Mesure la construction complète face à Pelican seul, et la reconstruction après une modification."""
    try:
        benchmark.profile(articles) if profile else benchmark.bench(articles)
    except benchmark.BuildFailed as error:
        print(f"Mesure interrompue : {error}", file=sys.stderr)
        sys.exit(1)


@task
def lint(c):
    """Vérifie tous les articles de content/ : un message par problème, code de sortie non nul s'il y en a."""
    _exit_on_failure(content_lint.run("pelicanconf.py"))


@task(
    name="import",
    help={
        "path": 'fichier .txt ou .html, dossier, ou motif entre guillemets ("seeds/*.txt")',
        "dry_run": "essai : affiche l'article et le rapport sans rien écrire",
    },
)
def import_articles(c, path, dry_run=False):
    """Importe des articles bruts (texte copié ou page HTML enregistrée) dans content/articles/AAAA/."""
    try:
        status = importer.import_paths(importer.expand_paths([path]), os.path.join(ROOT, "content"), dry_run=dry_run)
    except authoring.RegistryError as error:
        print(
            f"Import impossible : {len(error.problems)} problème(s) dans le registre des institutions.", file=sys.stderr
        )
        print(error, file=sys.stderr)
        sys.exit(2)
    _exit_on_failure(status)


@task
def clean(c):
    """Supprime output/ et le cache de contenu (cache/)."""
    c.run(f"rm -rf {os.path.join(ROOT, 'output')} {os.path.join(ROOT, 'cache')}")


@task
def serve(c):
    """Sert output/ sur http://127.0.0.1:8000/."""
    c.run(f"{sys.executable} -m pelican --listen --bind {HOST} --port {PORT} -s pelicanconf.py", pty=False)


@task
def livereload(c):
    """Aperçu sur 127.0.0.1:8000 : construit le site une fois, puis ne réécrit que les pages
    touchées par chaque enregistrement (brouillons et articles sous embargo montrés, marqués)."""
    _exit_on_failure(preview.serve("pelicanconf.py", host=HOST, port=PORT))


@task
def test(c):
    """Vérifie le code (ruff) puis lance toute la suite de tests."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    c.run(f"{sys.executable} -m ruff format --check .", pty=False)
    c.run(f"{sys.executable} -m pytest -q", pty=False)

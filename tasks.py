"""Invoke tasks for the press site. Thin: each task calls the pressroom package."""

import os
import shutil
import sys

from invoke import task

from pressroom.build import lint as content_lint
from pressroom.build import processes, report, site
from pressroom.content import embargo
from pressroom.preview import live as preview
from pressroom.publish import host as publishing
from pressroom.reach import alerts as email_alerts
from pressroom.reach.diffusion import run as diffusion_job
from pressroom.settings import registry_path
from pressroom.tools import bench as benchmark
from pressroom.tools import editor as web_editor
from pressroom.tools import guide as field_tables
from pressroom.tools import importer, reading
from pressroom.tools import new as authoring
from pressroom.tools.editor import local as local_editor
from pressroom.tools.importer import bench as import_bench

ROOT = os.path.dirname(os.path.abspath(__file__))
HOST, PORT = "127.0.0.1", 8000


def _exit_on_failure(status):
    if status:
        sys.exit(status)


@task(
    help={
        "preview": "aperçu : montre aussi les brouillons et les articles sous embargo, marqués",
        "annees": "une partie seulement, dans parties/ : les articles de ces années (2012-2015) ou « communes » "
        "(tout le reste) ; invoke fusion les réunit dans output/",
        "production": "avec --annees : une partie du site de production (publishconf.py, $SITEURL), "
        "pour invoke publish --parties",
    }
)
def build(c, preview=False, annees="", production=False):
    """Construit le site dans output/ à partir de content/."""
    processes.stop_with_parent()  # a killed make stops the build too
    if production:
        _exit_on_failure(publishing.build_part(annees) if annees else "--production va avec --annees")
        return
    command = f"invoke build{' --preview' if preview else ''}{f' --annees {annees}' if annees else ''}"
    _exit_on_failure(site.build("pelicanconf.py", command=command, part=annees, preview=preview))
    if not annees:
        print(f"Pour le consulter : make serve, puis ouvrez http://{HOST}:{PORT}/")


@task
def fusion(c):
    """Réunit dans output/ les parties construites par invoke build --annees (dossier parties/)."""
    processes.stop_with_parent()
    _exit_on_failure(site.merge_parts("pelicanconf.py"))


@task(
    help={
        "dry_run": "compte ce que la publication enverrait (nouveaux, modifiés, supprimés), sans rien envoyer",
        "init": "première publication : la destination n'a pas encore le site (témoin .site-pressroom, index.html)",
        "force": "accepte de supprimer plus de 10 % des fichiers de la destination",
        "parties": "envoie les parties de production réunies (invoke build --annees … --production) "
        "au lieu de construire le site",
    }
)
def publish(c, dry_run=False, init=False, force=False, parties=False):
    """Construit le site de production (publishconf.py, $SITEURL) à part et l'envoie par rsync vers $PUBLISH_DEST,
    ou par rclone vers le stockage objet $PUBLISH_BUCKET."""
    processes.stop_with_parent()
    _exit_on_failure(publishing.publish(dry_run=dry_run, init=init, force=force, from_parts=parties))


@task(
    help={
        "remote": "dépôt où enregistrer la liste (défaut : origin ; une adresse avec jeton est acceptée)",
        "branch": "branche publiée (défaut : main)",
    }
)
def adresses(c, remote="origin", branch="main"):
    """Enregistre dans le dépôt (commit et push) la liste des adresses publiées, lue sur $PUBLISH_DEST."""
    _exit_on_failure(publishing.record_addresses(ROOT, remote=remote, branch=branch))


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
        path = authoring.new_article(title, institution, author=author, event=event, settings=site.load_settings())
    except (ValueError, authoring.ArticleExists, authoring.RegistryError) as error:
        print(f"Article non créé : {error}", file=sys.stderr)
        sys.exit(2)
    print(f"Article créé : {os.path.relpath(path, ROOT)}")


@task(
    name="lien-embargo",
    help={"fichier": "l'article sous embargo (content/articles/…)", "revoke": "change le jeton : l'ancien lien cesse"},
)
def embargo_link(c, fichier, revoke=False):
    """Donne l'adresse secrète /apercu/…/ d'un communiqué sous embargo, pour les journalistes."""
    _exit_on_failure(embargo.run(fichier, site.load_settings(), revoke=revoke))


@task(
    help={
        "articles": "nombre d'articles de l'archive synthétique",
        "profile": "profile la construction complète (cProfile) au lieu de la chronométrer",
        "lecture": "seulement le temps de lecture d'un communiqué en 2G",
        "essais": "nombre de paires de constructions alternées (3 par défaut : la médiane est retenue)",
        "sans": "le site sans ces parties, pour en connaître le coût (recherche, legere, gzip : recherche,gzip)",
        "sans_apercu": "sans la mesure du serveur d'aperçu",
        "parties": "mesure aussi la construction découpée (invoke build --annees) en ce nombre de tranches d'années",
    }
)
def bench(c, articles=1000, profile=False, lecture=False, essais=3, sans="", sans_apercu=False, parties=0):
    """Mesure la construction complète face à Pelican seul, la reconstruction après une modification,
    et le temps de lecture d'un communiqué en 2G (page complète, version légère, Pelican seul)."""
    try:
        off = benchmark.without(sans)
    except ValueError as error:
        print(f"Mesure impossible : {error}", file=sys.stderr)
        sys.exit(2)
    try:
        if profile:
            benchmark.profile(articles, off=off)
            return
        if not lecture:
            benchmark.bench(articles, trials=essais, off=off, edits=0 if sans_apercu else 5, split=parties)
        reading.reading_report()
    except benchmark.BuildFailed as error:
        print(f"Mesure interrompue : {error}", file=sys.stderr)
        sys.exit(1)


@task
def lint(c):
    """Vérifie tous les articles de content/ : un message par problème, code de sortie non nul s'il y en a."""
    _exit_on_failure(content_lint.run("pelicanconf.py"))


@task
def guide(c):
    """Remet dans docs/ les tableaux des champs, tirés du schéma (pressroom/content/schema.py)."""
    _exit_on_failure(field_tables.run())


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
        sys.exit(report.failure(error, sys.stderr, "Import impossible"))
    _exit_on_failure(status)


@task(help={"sizes": "tailles des pages synthétiques en Mo, séparées par des virgules (défaut : 1,2,5,10)"})
def bench_import(c, sizes="1,2,5,10"):
    """Mesure l'import de pages synthétiques de taille croissante : le temps doit croître comme la taille."""
    import_bench.bench(registry_path(site.load_settings()), [float(size) for size in sizes.split(",")])


@task(
    help={
        "quotidien": "envoie le résumé du jour à la liste quotidienne de chaque institution",
        "init": "marque comme annoncé tout ce qui est déjà publié, sans rien envoyer",
        "dry_run": "essai : affiche ce qui serait envoyé, sans rien envoyer ni enregistrer",
        "state": "fichier d'état des envois (défaut : à côté de la publication, $PUBLISH_DEST → <dossier>.etat/)",
        "output": "dossier d'un site de production construit (défaut : le site publié, lu dans $PUBLISH_DEST)",
        "incertains": "messages dont l'envoi a été interrompu : renvoyer, ou envoye (arrivés)",
    }
)
def alertes(c, quotidien=False, init=False, dry_run=False, state="", output="", incertains=""):
    """Annonce par e-mail, une seule fois, chaque nouveau communiqué publié à la liste de son institution."""
    _exit_on_failure(
        email_alerts.main(
            daily=quotidien, init=init, dry_run=dry_run, state_path=state, output=output, uncertain=incertains
        )
    )


@task(
    help={
        "init": "marque comme publié sur chaque réseau tout ce qui est déjà en ligne, sans rien publier",
        "dry_run": "essai : affiche chaque publication (et le texte à copier sur WhatsApp), sans rien publier",
        "state": "fichier d'état des envois, partagé avec les alertes (défaut : à côté de la publication)",
        "output": "dossier du site publié (défaut : copié depuis la publication, PUBLISH_DEST)",
        "incertains": "publications restées « en cours » : renvoyer, ou envoye (elles sont en ligne)",
    }
)
def diffusion(c, init=False, dry_run=False, state="", output="", incertains=""):
    """Publie une seule fois chaque nouveau communiqué sur Telegram, Mastodon et Bluesky (registre « diffusion »)."""
    _exit_on_failure(
        diffusion_job.main(init=init, dry_run=dry_run, state_path=state, output=output, uncertain=incertains)
    )


@task(help={"upgrade": "prend les dernières versions publiées au lieu de garder celles du fichier"})
def lock(c, upgrade=False):
    """Refait requirements.txt, les versions exactes de tout ce que pyproject.toml demande (pip-compile)."""
    options = " --upgrade" if upgrade else ""
    c.run(
        f"{sys.executable} -m piptools compile --quiet --extra test --extra lint --strip-extras --no-emit-index-url "
        f"--no-emit-find-links --no-emit-trusted-host{options} --output-file requirements.txt pyproject.toml",
        env={"CUSTOM_COMPILE_COMMAND": "invoke lock"},
        pty=False,
    )


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
def editor(c):
    """Aperçu sur http://127.0.0.1:8000/ avec l'éditeur en ligne sur /admin/ (decap-server sur 127.0.0.1:8081)."""
    try:
        _exit_on_failure(local_editor.run("pelicanconf.py", port=PORT))
    except web_editor.EditorError as error:
        print(f"Éditeur non lancé : {error}", file=sys.stderr)
        sys.exit(2)


@task
def test(c):
    """Vérifie le code (ruff) puis lance toute la suite de tests (et ceux du format de l'éditeur, sous node)."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    c.run(f"{sys.executable} -m ruff format --check .", pty=False)
    if shutil.which("node"):
        c.run("node --test tests/js/", pty=False)
    elif os.environ.get("CI"):
        sys.exit("Node.js absent : les tests de tests/js/ (format de l'éditeur) ne peuvent pas tourner")
    else:
        print("Tests de tests/js/ sautés : Node.js absent (installez-le pour les lancer)", file=sys.stderr)
    c.run(f"{sys.executable} -m pytest -q", pty=False)

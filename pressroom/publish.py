"""Production build (publishconf.py) and its deployment by rsync to the
host and path named by the PUBLISH_DEST environment variable."""

import os
import shutil
import subprocess
import sys

from . import site

DESTINATION_VARIABLE = "PUBLISH_DEST"


class PublishError(Exception):
    pass


def destination(environ=os.environ):
    """Where to copy the site, e.g. ``user@host:/var/www/site/``; never stored in the repository."""
    value = environ.get(DESTINATION_VARIABLE, "").strip()
    if not value:
        raise PublishError(
            f"variable d'environnement {DESTINATION_VARIABLE} absente — indiquez la destination, par exemple : "
            f"{DESTINATION_VARIABLE}=utilisateur@serveur:/var/www/site/ invoke publish"
        )
    return value


def rsync_command(output, dest, dry_run=False):
    """rsync the *contents* of ``output`` to ``dest``, deleting files that no longer exist."""
    command = ["rsync", "--archive", "--compress", "--delete", "--human-readable", "--itemize-changes"]
    if dry_run:
        command.append("--dry-run")
    return command + [os.path.join(output, ""), dest]


def publish(dry_run=False, environ=os.environ, out=sys.stderr, **overrides):
    """Build with publishconf.py, then rsync output/ to $PUBLISH_DEST. Returns an exit status."""
    try:
        dest = destination(environ)
        if not shutil.which("rsync"):
            raise PublishError("rsync introuvable — installez-le (apt-get install rsync)")
    except PublishError as error:
        print(f"Publication impossible : {error}", file=out)
        return 2
    status = site.build("publishconf.py", out=out, **overrides)
    if status:
        print("Publication annulée : la construction a échoué.", file=out)
        return status
    output = overrides.get("output_path") or site.load_settings("publishconf.py")["OUTPUT_PATH"]
    command = rsync_command(output, dest, dry_run)
    print(("Essai à blanc : " if dry_run else "Envoi : ") + " ".join(command), file=out)
    result = subprocess.run(command, check=False)
    if result.returncode:
        print(f"Publication échouée : rsync a renvoyé le code {result.returncode}.", file=out)
        return result.returncode
    print(f"Site {'comparé avec' if dry_run else 'publié vers'} {dest}", file=out)
    return 0

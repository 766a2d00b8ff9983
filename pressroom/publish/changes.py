"""What a publication changes at its destination (``Changes``), the deletion guard, and the
French refusal (``PublishError``) that every destination raises: a server folder (rsync) or a
bucket (rclone)."""

import dataclasses

MAX_DELETED_SHARE = 0.10
# Below this many deletions the share is not looked at: withdrawing one article with its event deletes
# about 26 files (its page, lite page, calendar, agenda months, a theme's page and feed, their .gz copies,
# the search index's renamed chunks), more than a tenth of a site of a few articles.
MIN_DELETIONS_GUARDED = 50


class PublishError(Exception):
    """A refusal; the message is French and says how to go on."""


@dataclasses.dataclass
class Changes:
    """Files (not folders) that the publication adds, changes, deletes or keeps at the destination."""

    new: int = 0
    changed: int = 0
    deleted: int = 0
    kept: int = 0
    new_folders: list = dataclasses.field(default_factory=list)  # that rsync creates, parents first
    sent_folders: set = dataclasses.field(default_factory=set)  # that receive a new or changed file

    @property
    def existing(self):
        return self.changed + self.deleted + self.kept

    def summary(self):
        return f"{self.new} nouveaux, {self.changed} modifiés, {self.deleted} supprimés"


def check_deletions(changes, force):
    """Refuse a mass deletion: more than a tenth of the destination's files, and more than a withdrawal
    or two would delete, unless ``force``."""
    if force or changes.deleted <= max(MAX_DELETED_SHARE * changes.existing, MIN_DELETIONS_GUARDED):
        return
    raise PublishError(
        f"la publication supprimerait {changes.deleted} des {changes.existing} fichiers de la destination "
        f"(plus de {MAX_DELETED_SHARE:.0%}) — vérifiez la destination et le contenu, puis relancez avec "
        "--force si ces suppressions sont voulues"
    )

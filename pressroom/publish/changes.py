"""What a publication changes at its destination (``Changes``), the deletion guard, and the
French refusal (``PublishError``) that every destination raises: a server folder (rsync) or a
bucket (rclone)."""

import dataclasses

MAX_DELETED_SHARE = 0.10


class PublishError(Exception):
    """A refusal; the message is French and says how to go on."""


@dataclasses.dataclass
class Changes:
    """Files (not folders) that the publication adds, changes, deletes or keeps at the destination."""

    new: int = 0
    changed: int = 0
    deleted: int = 0
    kept: int = 0

    @property
    def existing(self):
        return self.changed + self.deleted + self.kept

    def summary(self):
        return f"{self.new} nouveaux, {self.changed} modifiés, {self.deleted} supprimés"


def check_deletions(changes, force):
    if force or not changes.existing or changes.deleted <= MAX_DELETED_SHARE * changes.existing:
        return
    raise PublishError(
        f"la publication supprimerait {changes.deleted} des {changes.existing} fichiers de la destination "
        f"(plus de {MAX_DELETED_SHARE:.0%}) — vérifiez la destination et le contenu, puis relancez avec "
        "--force si ces suppressions sont voulues"
    )

"""Media kits (pressroom.build.mediakit): one name per file in the archive, and the same bytes for the
same entries."""

import io
import zipfile

from pressroom.build import mediakit


def test_two_attachments_of_one_name_get_names_of_their_own():
    found = [
        mediakit.Member("annexe.pdf", "fichiers/a/annexe.pdf", ("Annexe A",)),
        mediakit.Member("Annexe.pdf", "fichiers/b/Annexe.pdf", ("Annexe B",)),
        mediakit.Member("annexe.pdf", "fichiers/c/annexe.pdf", ("Annexe C",)),
    ]
    assert [member.name for member in mediakit.unique_names(found)] == ["annexe.pdf", "2-Annexe.pdf", "3-annexe.pdf"]


def test_archive_is_the_same_bytes_for_the_same_entries_and_keeps_their_order():
    entries = [("LISEZMOI.txt", b"Titre\r\n"), ("photo.jpg", b"\xff\xd8 jpeg"), ("b.pdf", b"%PDF-1.4")]
    first, second = mediakit.archive_bytes(entries), mediakit.archive_bytes(list(entries))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["LISEZMOI.txt", "photo.jpg", "b.pdf"]
        assert archive.getinfo("photo.jpg").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("LISEZMOI.txt").compress_type == zipfile.ZIP_DEFLATED
        assert archive.read("b.pdf") == b"%PDF-1.4"

"""Which file a link of a body names, and which documents may be attached (checked by content)."""

import zipfile

import pytest

from pressroom.content import files, statics


@pytest.mark.parametrize(
    "value, expected",
    [
        ("{static}/images/a.jpg", "images/a.jpg"),
        ("{attach}../../images/a.jpg", "images/a.jpg"),  # from articles/2024/
        ("{static}brouillon.md", "articles/2024/brouillon.md"),
        ("{static}/../../etc/passwd", "../../etc/passwd"),
        ("|static|/fichiers/a%20b.pdf", "fichiers/a b.pdf"),
        ("/images/a.jpg?v=2#x", "images/a.jpg"),
        ("/fichiers/../index.html", None),
        ("{filename}/images/a.jpg", "images/a.jpg"),
        ("{filename}/articles/2024/autre.md", None),
        ("https://presse.example.org/images/a.jpg", "images/a.jpg"),
        ("https://ailleurs.example.org/images/a.jpg", None),
        ("//ailleurs.example.org/images/a.jpg", None),
        ("images/a.jpg", None),
        ("/2024/03/article/", None),
    ],
)
def test_linked_path_follows_pelican_and_the_site_root(value, expected):
    assert statics.linked_path(value, "articles/2024", "https://presse.example.org") == expected


def test_only_paths_inside_the_two_folders_may_be_published(tmp_path):
    for path in ("articles/2024/brouillon.md", "../../etc/passwd", "index.html", "images", "theme/x.css"):
        assert statics.file_problem(path, str(tmp_path), 1000)[0].startswith("fichier hors de content/images/")


def office(path, names, mimetype=None):
    with zipfile.ZipFile(path, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, "x")
    return path


@pytest.mark.parametrize(
    "name, make, problem",
    [
        ("a.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n"), None),
        ("a.pdf", lambda p: p.write_text("<script>alert(1)</script>"), "le contenu n'est pas celui d'un fichier PDF"),
        ("a.odt", lambda p: office(p, ["content.xml"], files.ODF_MIMETYPES["odt"]), None),
        ("a.odt", lambda p: office(p, ["content.xml", "Basic/Standard/Module1.xml"], files.ODF_MIMETYPES["odt"]), "le"),
        ("a.ods", lambda p: office(p, ["content.xml"], files.ODF_MIMETYPES["odt"]), "le contenu"),
        ("a.docx", lambda p: office(p, ["[Content_Types].xml", "word/document.xml"]), None),
        ("a.docx", lambda p: office(p, ["[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"]), "le"),
        ("a.xlsx", lambda p: office(p, ["[Content_Types].xml", "word/document.xml"]), "le contenu"),
        ("a.zip", lambda p: office(p, ["page.html"]), None),
        ("a.zip", lambda p: p.write_bytes(b"PK pas une archive"), "le contenu"),
        ("a.csv", lambda p: p.write_bytes("nom;taux\nCMSS;3,5\n".encode("cp1252")), None),
        ("a.txt", lambda p: p.write_bytes(b"\x00\x01binaire"), "le contenu"),
        ("a.svg", lambda p: p.write_text("<svg/>"), "type de fichier refusé (.svg)"),
        ("a.html", lambda p: p.write_text("<p>"), "type de fichier refusé (.html)"),
        ("a.docm", lambda p: office(p, ["[Content_Types].xml", "word/document.xml"]), "type de fichier refusé"),
        ("sans-extension", lambda p: p.write_bytes(b"%PDF-1.7"), "type de fichier refusé (sans extension)"),
    ],
)
def test_attachments_are_checked_by_type_and_content(tmp_path, name, make, problem):
    path = tmp_path / name
    make(path)
    found = files.attachment_problem(str(path))
    if problem is None:
        assert found is None
    else:
        assert found is not None and found[0].startswith(problem), found

// The Pelican header format of the web editor (pressroom/tools/editor/static/pelican-format.js),
// run by node's test runner: `node --test tests/js/` (part of `invoke test`).
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const test = require("node:test");

const PelicanFormat = require("../../pressroom/tools/editor/static/pelican-format.js");

const ROOT = path.resolve(__dirname, "..", "..");
const ARTICLES = path.join(ROOT, "content", "articles");
const FIELDS = ["Title", "Date", "Author", "Institutions", "Tags", "Category", "Summary", "Image", "Slug", "Lang"];
const FIELDS_AND_EVENT = [...FIELDS.slice(0, 8), "Event", "Event-Start", "Event-End", "Event-Location", ...FIELDS.slice(8)];
const ORDER = [...FIELDS_AND_EVENT, "Status", "body"];
const format = PelicanFormat.create({
  implicit: { Status: "published" },
  fields: [...FIELDS_AND_EVENT, "Status"], lists: ["Institutions", "Tags"], lines: ["Attachments"],
});

// What Decap does between reading and writing: data goes through JSON-like copies.
function roundTrip(text, edit = (data) => data) {
  const data = JSON.parse(JSON.stringify(format.fromFile(text)));
  return format.toFile(edit(data), ORDER);
}

function seedArticles() {
  return fs
    .readdirSync(ARTICLES, { recursive: true })
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join(ARTICLES, name));
}

test("there are seed articles to read", () => {
  assert.ok(seedArticles().length >= 5);
});

for (const file of seedArticles()) {
  test(`round trip of ${path.relative(ROOT, file)} is byte for byte`, () => {
    const text = fs.readFileSync(file, "utf8");
    assert.equal(roundTrip(text), text);
  });

  test(`editing the summary of ${path.basename(file)} changes that line only`, () => {
    const text = fs.readFileSync(file, "utf8");
    const saved = roundTrip(text, (data) => ({ ...data, summary: "Un résumé réécrit, « accents » compris." }));
    const before = text.split("\n");
    const after = saved.split("\n");
    assert.equal(after.length, before.length);
    const changed = before.map((line, i) => [line, after[i]]).filter(([a, b]) => a !== b);
    assert.deepEqual(changed.map(([, b]) => b), ["Summary: Un résumé réécrit, « accents » compris."]);
  });
}

test("fields are read with accents, lists split", () => {
  const data = format.fromFile("Title: L’été à Ségou\nInstitutions: CMSS,  UNTM\nTags: a, b\n\nCorps\n");
  assert.equal(data.title, "L’été à Ségou");
  assert.deepEqual(data.institutions, ["CMSS", "UNTM"]);
  assert.deepEqual(data.tags, ["a", "b"]);
  assert.equal(data.body, "Corps\n");
});

test("a name written in another case is read as the field and written back as it was", () => {
  const text = "title: Bonjour\nDATE: 2024-10-08\n\nTexte\n";
  const data = format.fromFile(text);
  assert.equal(data.title, "Bonjour");
  assert.equal(data.date, "2024-10-08");
  assert.equal(roundTrip(text), text);
});

test("unknown keys are kept, in their place, through an edit of another field", () => {
  const text = "Title: Bonjour\nX-Interne: à garder\nSummary: Ancien\n\nTexte\n";
  const saved = roundTrip(text, (data) => ({ ...data, summary: "Nouveau" }));
  assert.equal(saved, "Title: Bonjour\nX-Interne: à garder\nSummary: Nouveau\n\nTexte\n");
});

test("an unknown key is kept even when the editor drops it from the data", () => {
  const text = "Title: Bonjour\nX-Interne: à garder\n\nTexte\n";
  const saved = roundTrip(text, (data) => {
    delete data["x-interne"];
    return data;
  });
  assert.equal(saved, text);
});

test("continuation lines are read as one value and kept when unchanged", () => {
  const text = "Title: Un titre\n    sur deux lignes\nSummary: Court\n\nTexte\n";
  const data = format.fromFile(text);
  assert.equal(data.title, "Un titre sur deux lignes");
  assert.equal(roundTrip(text), text);
  assert.equal(
    roundTrip(text, (d) => ({ ...d, title: "Un seul" })),
    "Title: Un seul\nSummary: Court\n\nTexte\n",
  );
});

test("one value per line for fields holding lines", () => {
  const text = "Title: T\nAttachments: fichiers/a.pdf\n    fichiers/b.pdf\n\nTexte\n";
  const data = format.fromFile(text);
  assert.deepEqual(data.attachments, ["fichiers/a.pdf", "fichiers/b.pdf"]);
  assert.equal(roundTrip(text), text);
  const added = roundTrip(text, (d) => ({ ...d, attachments: [...d.attachments, "fichiers/c.pdf"] }));
  assert.equal(added, "Title: T\nAttachments: fichiers/a.pdf\n    fichiers/b.pdf\n    fichiers/c.pdf\n\nTexte\n");
});

test("lines of two halves: a file and its label, joined by a dash", () => {
  const paired = PelicanFormat.create({ fields: ["Title", "Attachments"], lines: ["Attachments"],
    pairs: { Attachments: ["fichier", "libelle"] } });
  const text = "Title: T\nAttachments: fichiers/a.pdf — Communiqué signé\n    fichiers/b.pdf\n\nTexte\n";
  const data = JSON.parse(JSON.stringify(paired.fromFile(text)));
  assert.deepEqual(data.attachments, [
    { fichier: "fichiers/a.pdf", libelle: "Communiqué signé" }, { fichier: "fichiers/b.pdf", libelle: "" }]);
  assert.equal(paired.toFile(data, ["Title", "Attachments", "body"]), text);
  data.attachments.push({ fichier: "fichiers/c.ods", libelle: "Barème" });
  assert.equal(paired.toFile(data, ["Title", "Attachments", "body"]),
    "Title: T\nAttachments: fichiers/a.pdf — Communiqué signé\n    fichiers/b.pdf\n    fichiers/c.ods — Barème\n\nTexte\n");
});

test("the body is kept byte for byte unless edited, then ends with a newline", () => {
  const text = "Title: T\n\n\n- un\n- deux\n\n";
  assert.equal(roundTrip(text), text);
  assert.equal(roundTrip(text, (d) => ({ ...d, body: "Nouveau" })), "Title: T\n\n\nNouveau\n");
});

test("a new field goes to its place in the schema's order, an emptied one disappears", () => {
  const text = "Title: T\nDate: 2024-10-08\nAuthor: A\nSlug: t\n\nTexte\n";
  const saved = roundTrip(text, (d) => ({ ...d, summary: "Résumé", author: "" }));
  assert.equal(saved, "Title: T\nDate: 2024-10-08\nSummary: Résumé\nSlug: t\n\nTexte\n");
});

test("a new article is written in the schema's order with a blank line before the body", () => {
  const data = {
    status: "draft",
    title: "Nouvel article",
    institutions: ["CMSS", "INPS"],
    date: "2026-12-02 10:30",
    "event-start": "2026-12-10",
    event: "Atelier",
    tags: [],
    slug: "nouvel-article",
    body: "Le texte.",
  };
  assert.equal(
    format.toFile(data, ORDER),
    "Title: Nouvel article\nDate: 2026-12-02 10:30\nInstitutions: CMSS, INPS\nEvent: Atelier\n" +
      "Event-Start: 2026-12-10\nSlug: nouvel-article\nStatus: draft\n\nLe texte.\n",
  );
});

test("a value is kept on one line", () => {
  const saved = format.toFile({ title: "Deux\nlignes", body: "" }, ORDER);
  assert.equal(saved, "Title: Deux lignes\n\n");
});

test("Windows line ends and a byte order mark survive", () => {
  const text = "\uFEFFTitle: T\r\nSummary: S\r\n\r\nTexte\r\n";
  assert.equal(roundTrip(text), text);
  assert.equal(roundTrip(text, (d) => ({ ...d, summary: "Autre" })), "\uFEFFTitle: T\r\nSummary: Autre\r\n\r\nTexte\r\n");
});

test("a file without a header is all body", () => {
  const text = "Juste du texte\n";
  assert.equal(format.fromFile(text).body, text);
  assert.equal(roundTrip(text), text);
});

test("slugs are those of the site: ASCII, ’ and quotes dropped like pelican's slugify", () => {
  const cases = {
    "CMSS : une centaine de syndicalistes de l’UNTM formés aux relations professionnelles":
      "cmss-une-centaine-de-syndicalistes-de-luntm-formes-aux-relations-professionnelles",
    "L’œuvre « sociale » de l’INPS : bilan 2024": "loeuvre-sociale-de-linps-bilan-2024",
    "Ça va — très bien !": "ca-va-tres-bien",
    "Éducation & santé / Sénégal": "education-sante-senegal",
  };
  for (const [title, slug] of Object.entries(cases)) assert.equal(PelicanFormat.slugify(title), slug);
});

test("a missing field reads as the value it stands for, and is written only once changed", () => {
  const text = "Title: T\nSlug: t\nLang: fr\n\nTexte\n";
  assert.equal(format.fromFile(text).status, "published");
  assert.equal(roundTrip(text), text);
  assert.equal(roundTrip(text, (d) => ({ ...d, status: "draft" })), "Title: T\nSlug: t\nLang: fr\nStatus: draft\n\nTexte\n");
  assert.equal(format.fromFile("Title: T\nStatus: draft\n\nTexte\n").status, "draft");
});

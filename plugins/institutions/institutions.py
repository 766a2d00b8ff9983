"""Institutions: links each article to the institution registry and writes
an index of institutions, one page and one Atom feed per institution.

Signals: ``article_generator_finalized`` resolves the ``Institutions``
metadata of every article (an unknown acronym fails the build);
``get_generators`` adds the generator that writes the pages and feeds.
"""

import os

from pelican import signals
from pelican.generators import Generator

from pressroom.problems import ContentError, problem_at
from pressroom.registry import Registry

__all__ = ["register"]

DEFAULTS = {
    "INSTITUTIONS_REGISTRY": "institutions.yml",
    "INSTITUTIONS_URL": "institutions/",
    "INSTITUTIONS_SAVE_AS": "institutions/index.html",
    "INSTITUTION_URL": "institutions/{slug}/",
    "INSTITUTION_SAVE_AS": "institutions/{slug}/index.html",
    "INSTITUTION_FEED_ATOM": "feeds/institutions/{slug}.atom.xml",
}


def get_setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def load_registry(settings):
    """The registry named by INSTITUTIONS_REGISTRY, relative to the content folder."""
    path = os.path.join(settings["PATH"], get_setting(settings, "INSTITUTIONS_REGISTRY"))
    return Registry.load(path)


class InstitutionPage:
    """An institution of the registry, with its URLs and its articles."""

    def __init__(self, institution, settings):
        self.institution = institution
        self.url = get_setting(settings, "INSTITUTION_URL").format(slug=institution.slug)
        self.save_as = get_setting(settings, "INSTITUTION_SAVE_AS").format(slug=institution.slug)
        self.feed_save_as = get_setting(settings, "INSTITUTION_FEED_ATOM").format(slug=institution.slug)
        self.articles = []

    def __getattr__(self, name):
        return getattr(self.institution, name)

    def __str__(self):
        return self.institution.acronym


def split_names(value):
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [name.strip() for name in str(value or "").split(",") if name.strip()]


def resolve_institutions(generator):
    """Replace each article's ``institutions`` text by the registry's pages."""
    settings = generator.settings
    pages = {i.acronym: InstitutionPage(i, settings) for i in load_registry(settings)}
    registry = Registry([page.institution for page in pages.values()])
    problems = []
    contents = generator.articles + generator.translations + generator.drafts + generator.drafts_translations
    for article in contents:
        names = split_names(getattr(article, "institutions", ""))
        article.institutions = []
        for name in names:
            institution = registry.find(name)
            if institution is None:
                problems.append(
                    problem_at(
                        article.source_path,
                        "Institutions",
                        f"institution inconnue « {name} »",
                        "corrigez le sigle ou ajoutez l'institution au registre content/institutions.yml",
                        root=settings["PATH"],
                    )
                )
            elif pages[institution.acronym] not in article.institutions:
                article.institutions.append(pages[institution.acronym])
    if problems:
        raise ContentError(problems)
    for article in sorted(generator.articles, key=lambda a: a.date, reverse=True):
        for page in article.institutions:
            page.articles.append(article)
    generator.context["institutions"] = list(pages.values())


class InstitutionsGenerator(Generator):
    """Writes the institutions index, a page and an Atom feed per institution."""

    def generate_output(self, writer):
        institutions = self.context.get("institutions", [])
        relative_urls = self.settings["RELATIVE_URLS"]
        writer.write_file(
            get_setting(self.settings, "INSTITUTIONS_SAVE_AS"),
            self.get_template("institutions"),
            self.context,
            relative_urls,
            template_name="institutions",
            url=get_setting(self.settings, "INSTITUTIONS_URL"),
            institutions=institutions,
        )
        for page in institutions:
            writer.write_file(
                page.save_as,
                self.get_template("institution"),
                self.context,
                relative_urls,
                paginated={"articles": page.articles, "dates": page.articles},
                template_name="institution",
                url=page.url,
                institution=page,
                articles=page.articles,
                dates=page.articles,
            )
            if page.feed_save_as:
                writer.write_feed(
                    page.articles, self.context, page.feed_save_as, feed_type="atom", feed_title=page.name
                )


def get_generators(pelican):
    return InstitutionsGenerator


def register():
    signals.article_generator_finalized.connect(resolve_institutions)
    signals.get_generators.connect(get_generators)

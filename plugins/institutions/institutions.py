"""Institutions: links each article to the institution registry and writes
an index of institutions, the press contacts page (``/contacts-presse/``),
one page and one Atom feed per institution, and a vCard per spokesperson.

Signals: the pipeline's ``institutions`` stage replaces the ``Institutions``
text of every article by the registry's institution pages (an unknown acronym
fails the build; the content gate has reported it before);
``get_generators`` adds the generator that writes the pages and feeds.
"""

from pelican import signals
from pelican.generators import Generator

from pressroom.build import pipeline
from pressroom.build.output import write_output
from pressroom.content import jsonld, schema
from pressroom.content.contacts import press_contact, site_contact, spokesperson_cards, vcard
from pressroom.content.problems import ContentError, problem_at
from pressroom.content.registry import Registry
from pressroom.settings import registry_path, registry_shown, setting

__all__ = ["register"]


class InstitutionPage:
    """An institution of the registry, with its URLs and its articles."""

    def __init__(self, institution, settings):
        self.institution = institution
        self.url = setting(settings, "INSTITUTION_URL").format(slug=institution.slug)
        self.save_as = setting(settings, "INSTITUTION_SAVE_AS").format(slug=institution.slug)
        self.feed_save_as = setting(settings, "INSTITUTION_FEED_ATOM").format(slug=institution.slug)
        self.articles = []
        self.events_ics = ""  # set by the events stage when the institution organises an event
        self.spokesperson_cards = spokesperson_cards(self, settings)
        self.site_url, self.index_url = settings["SITEURL"], setting(settings, "INSTITUTIONS_URL")

    @property
    def contact(self):
        return press_contact(self)

    @property
    def structured_data(self):
        """The page's JSON-LD: the institution as a GovernmentOrganization, and its breadcrumbs."""
        trail = [("Accueil", ""), ("Institutions", self.index_url), (self.name, self.url)]
        return [jsonld.government_organization(self, self.site_url), jsonld.breadcrumb_list(self.site_url, trail)]

    def __getattr__(self, name):
        return getattr(self.institution, name)

    def __str__(self):
        return self.institution.acronym


def resolve_institutions(generators):
    """Give each article the registry's pages of the institutions and of the event organisers its
    metadata names."""
    settings, context = generators[0].settings, generators[0].context
    pages, registry = institution_pages(settings, context.get("institutions"))
    problems = []
    for article in pipeline.articles(generators):
        fields = schema.fields_of(article)
        for field, names, attribute in (
            ("Institutions", fields.institutions, "institutions"),
            ("Event-Organizers", fields.event_organizers, "organisers"),
        ):
            found = getattr(article, attribute)
            for name in names:
                institution = registry.find(name)
                if institution is None:
                    problems.append(unknown(article, field, name, settings))
                elif pages[institution.acronym] not in found:
                    found.append(pages[institution.acronym])
    if problems:
        raise ContentError(problems)
    for article in sorted(pipeline.listed_articles(generators), key=lambda a: a.date, reverse=True):
        for page in article.institutions:
            page.articles.append(article)
    context["institutions"] = list(pages.values())


def institution_pages(settings, earlier):
    """A page per institution of the registry, with no article yet, and the registry. When the
    preview server runs the stage again for the articles it read again (a changed registry
    rebuilds everything), the other articles keep the pages they were given: the same pages
    are emptied and filled again, and the registry is the one they were made from."""
    if earlier:
        for page in earlier:
            page.articles, page.events_ics = [], ""
        return {page.acronym: page for page in earlier}, Registry([page.institution for page in earlier])
    registry = Registry.load(registry_path(settings))
    return {i.acronym: InstitutionPage(i, settings) for i in registry}, registry


def unknown(article, field, name, settings):
    return problem_at(
        article.source_path,
        field,
        f"institution inconnue « {name} »",
        f"corrigez le sigle ou ajoutez l'institution au registre {registry_shown(settings)}",
        root=settings["PATH"],
    )


class InstitutionsGenerator(Generator):
    """Writes the institutions index, the press contacts page, a page and an Atom feed per institution."""

    def generate_output(self, writer):
        institutions = self.context.get("institutions", [])
        relative_urls = self.settings["RELATIVE_URLS"]
        self.context["SITE_PRESS_CONTACT"] = site_contact(self.settings)
        for template in ("contacts", "institutions"):  # the two pages that list every institution
            writer.write_file(
                setting(self.settings, f"{template.upper()}_SAVE_AS"),
                self.get_template(template),
                self.context,
                relative_urls,
                template_name=template,
                url=setting(self.settings, f"{template.upper()}_URL"),
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
            self.write_vcards(page)

    def write_vcards(self, page):
        for card in page.spokesperson_cards:
            write_output(self.output_path, card.vcard_url, lambda card=card: vcard(card))


def get_generators(pelican):
    return InstitutionsGenerator


def register():
    pipeline.connect("institutions", resolve_institutions)
    signals.get_generators.connect(get_generators)

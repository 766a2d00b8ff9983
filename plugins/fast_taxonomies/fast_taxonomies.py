"""Fast taxonomies: Pelican writes each tag, category and author page after
picking its ``dates`` with ``[a for a in self.dates if a in articles]``, a
list membership test for every article of the site, once per taxonomy:
quadratic in the number of articles (3 to 4 s of a 10,000-article build,
measured with ``invoke bench --profile``). Here those article lists answer
``in`` from a set; they stay lists, in the same order, for the templates.

Signals: ``article_generator_finalized``, once the taxonomies are complete;
the generator and the context get the same new lists.
"""

from pelican import signals

__all__ = ["register", "ArticleList"]


class ArticleList(list):
    """A list of articles whose ``in`` is a set lookup. Articles compare by
    identity (Pelican's contents define no equality), so this gives the same
    answers as a plain list. Built once, when the taxonomy is complete."""

    def __init__(self, articles):
        super().__init__(articles)
        self._ids = {id(article) for article in self}

    def __contains__(self, article):
        return id(article) in self._ids


def index_taxonomies(generator):
    for tag, articles in generator.tags.items():
        generator.tags[tag] = ArticleList(articles)
    generator.context["tags"] = list(generator.tags.items())  # as Pelican's _update_context
    for pairs in (generator.categories, generator.authors):  # the context holds these very lists
        pairs[:] = [(name, ArticleList(articles)) for name, articles in pairs]


def register():
    signals.article_generator_finalized.connect(index_taxonomies)

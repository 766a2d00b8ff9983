"""Release: what happened to a release after it was published, its corrections and its withdrawal.

Signals: ``article_generator_pretaxonomy`` takes a withdrawn article (its ``Withdrawn`` field) out
of every listing, feed, calendar and search index, its page staying online under a banner; the
pipeline's ``addresses`` stage gives every article its ``corrections`` (oldest first) and its
``withdrawal``, read from the metadata the gate checked (``pressroom.content.schema``).
"""

from pelican import signals

from pressroom.build import pipeline
from pressroom.content import schema

__all__ = ["register"]


def leave_listings_when_withdrawn(generator):
    """A withdrawn article is written (its page stays online, under a banner) but, like a hidden one,
    in no listing, feed, calendar or search index: everything published reads ``generator.articles``."""
    withdrawn = [article for article in generator.articles if pipeline.withdrawal(article)]
    if not withdrawn:
        return
    generator.articles = [article for article in generator.articles if article not in withdrawn]
    generator.hidden_articles += withdrawn


def attach_release_history(generators):
    """``corrections`` and ``withdrawal`` of every article, read from its checked metadata."""
    for article in pipeline.articles(generators):
        article.corrections = schema.fields_of(article).corrections
        article.withdrawal = pipeline.withdrawal(article)


def register():
    signals.article_generator_pretaxonomy.connect(leave_listings_when_withdrawn)
    pipeline.connect("addresses", attach_release_history)

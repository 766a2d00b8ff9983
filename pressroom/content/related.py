"""Related releases: for each article, up to three others that share its institutions, its event
or its themes, found in one pass over the archive through an inverted index.

Each article is known by its keys (``institution:CMSS``, ``event:…``, ``theme:…``). The index
lists, for each key, the articles that hold it from the most recent; an article's candidates are
its neighbours in time within each of its keys' lists (``WINDOW`` on each side), scored by what
they share (an event weighs most, then a theme, then an institution). The cost is the number of
articles times their keys times the window: linear in the size of the archive, never one scan of
the archive per article.
"""

import collections
import heapq

from pressroom.content import schema
from pressroom.content.registry import normalize

WEIGHTS = {"event": 4, "theme": 2, "institution": 1}
WINDOW = 8  # neighbours taken on each side in each key's list
LIMIT = 3


def keys_of(article):
    """The keys an article shares with others: its institutions, its event, its themes."""
    keys = {("institution", page.acronym) for page in getattr(article, "institutions", [])}
    keys |= {("theme", normalize(str(tag))) for tag in getattr(article, "tags", None) or []}
    event = schema.fields_of(article).event
    if event:
        keys.add(("event", normalize(event)))
    return keys


def related_releases(articles, limit=LIMIT, window=WINDOW, keys=keys_of):
    """{id(article): [up to ``limit`` related articles, most recent first]} for ``articles``."""
    ranked = sorted(articles, key=lambda article: article.date, reverse=True)
    postings = collections.defaultdict(list)  # key -> ranks, most recent first
    places = []  # for each rank: (key, place of the rank in the key's list)
    for rank, article in enumerate(ranked):
        own = []
        for key in sorted(keys(article)):
            own.append((key, len(postings[key])))
            postings[key].append(rank)
        places.append(own)
    found = {}
    for rank, article in enumerate(ranked):
        scores = collections.Counter()
        for key, place in places[rank]:
            neighbours = postings[key][max(0, place - window) : place + window + 1]
            for other in neighbours:
                if other != rank:
                    scores[other] += WEIGHTS[key[0]]
        best = heapq.nsmallest(limit, scores, key=lambda other: (-scores[other], abs(other - rank), other))
        found[id(article)] = [ranked[other] for other in sorted(best)]
    return found

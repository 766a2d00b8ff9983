"""Sharing and news indexing: absolute permalinks, descriptions, images and
a JSON-LD ``NewsArticle`` for each article (read by ``includes/meta.html``),
plus ``sitemap.xml`` and ``robots.txt``.

Signals: the pipeline's ``sharing`` stage gives every article and page its
``permalink``, ``description``, ``image_url`` (from the media stage's
``share_image``; and articles their
``news_article`` and ``breadcrumb_list`` dicts, serialised by the ``json_ld`` filter);
``get_generators`` adds the generator that writes the sitemap (published
articles and pages only, absolute URLs, sorted, so that rebuilds give the same
bytes) and ``robots.txt``. The ``.gz`` copies are made by the
gzip_copies plugin, after every ``finalized`` receiver.
"""

import xml.etree.ElementTree as ElementTree
from urllib.parse import quote

from pelican import signals
from pelican.generators import Generator

from pressroom.build import pipeline
from pressroom.build.output import write_output
from pressroom.content import jsonld
from pressroom.content.text import absolute_url, plain_text
from pressroom.settings import setting

__all__ = ["register", "news_article"]

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
URL_SAFE = ":/?#[]@!$&'()*+,;=%"  # a sitemap's <loc> is an encoded URL: only other characters are quoted


def site_url(settings, url):
    return absolute_url(settings["SITEURL"], url)


def shorten(text, limit):
    """``text`` cut at a word boundary with « … » so that it fits in ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rstrip()
    return cut[: cut.rfind(" ")].rstrip(" ,;:\u202f") + "…" if " " in cut else cut + "…"


def image_url(content, settings):
    """Absolute URL of the sharing image (the media stage's 1200×630 JPEG)."""
    return site_url(settings, content.share_image) if content.share_image else ""


def _iso(value):
    return value.isoformat() if value else None


def news_article(article, settings):
    """The schema.org ``NewsArticle`` of an article, as a dict for ``json_ld``."""
    site_name = setting(settings, "SEO_PUBLISHER_NAME") or settings["SITENAME"]
    modified = getattr(article, "modified", None) or article.date
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": shorten(article.title, setting(settings, "SEO_HEADLINE_MAX_LENGTH")),
        "description": article.description,
        "datePublished": _iso(article.date),
        "dateModified": _iso(modified),
        "inLanguage": getattr(article, "lang", "fr") or "fr",
        "url": article.permalink,
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.permalink},
        "author": [{"@type": "Person", "name": str(author)} for author in getattr(article, "authors", [])],
        "publisher": {"@type": "Organization", "name": site_name, "url": site_url(settings, "")},
    }
    if article.image_url:
        data["image"] = [article.image_url]
    institutions = getattr(article, "institutions", None) or []
    if institutions:
        data["about"] = [
            {"@type": "Organization", "name": i.name, "alternateName": i.acronym, "url": site_url(settings, i.url)}
            for i in institutions
        ]
    return data


def breadcrumbs(article, settings):
    """Home › release type › release, as a schema.org ``BreadcrumbList``."""
    trail = [("Accueil", ""), (article.category, article.category.url), (article.title, article.url)]
    return jsonld.breadcrumb_list(settings["SITEURL"], trail)


def describe(content, settings):
    content.permalink = site_url(settings, content.url)
    content.description = plain_text(getattr(content, "summary", "") or "")
    content.image_url = image_url(content, settings)


def attach_sharing_data(generators):
    """Permalink, description and image of every article and page; the NewsArticle of every article."""
    settings = generators[0].settings
    for article in pipeline.articles(generators):
        describe(article, settings)
        article.news_article = news_article(article, settings)
        article.breadcrumb_list = breadcrumbs(article, settings)
    for page in pipeline.pages(generators, drafts=False):
        describe(page, settings)


def sitemap_xml(entries):
    """The sitemap document for (absolute URL, last modification) pairs."""
    ElementTree.register_namespace("", SITEMAP_NAMESPACE)
    root = ElementTree.Element(f"{{{SITEMAP_NAMESPACE}}}urlset")
    for url, modified in entries:
        node = ElementTree.SubElement(root, f"{{{SITEMAP_NAMESPACE}}}url")
        ElementTree.SubElement(node, f"{{{SITEMAP_NAMESPACE}}}loc").text = quote(url, safe=URL_SAFE)
        if modified:
            ElementTree.SubElement(node, f"{{{SITEMAP_NAMESPACE}}}lastmod").text = modified.isoformat()
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def robots_txt(sitemap_url):
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"


class SitemapGenerator(Generator):
    """Writes sitemap.xml (published articles and pages, institution pages) and robots.txt."""

    def published_contents(self):
        contents = list(self.context.get("articles", [])) + list(self.context.get("pages", []))
        for article in self.context.get("articles", []):
            contents += [t for t in article.translations if t.status == "published"]
        return [c for c in contents if pipeline.is_published(c)]

    def institution_entries(self):
        """One entry per institution page (institutions plugin), dated by its latest article."""
        return {
            (site_url(self.settings, i.url), max((a.date for a in i.articles), default=None))
            for i in self.context.get("institutions", [])
        }

    def generate_output(self, writer):
        entries = {
            (site_url(self.settings, c.url), getattr(c, "modified", None) or getattr(c, "date", None))
            for c in self.published_contents()
        }
        entries = sorted(entries | self.institution_entries(), key=lambda entry: entry[0])
        sitemap_as = setting(self.settings, "SEO_SITEMAP_SAVE_AS")
        # Made when written: the preview server's writer makes it between two saves.
        write_output(self.output_path, sitemap_as, lambda: sitemap_xml(entries))
        write_output(
            self.output_path,
            setting(self.settings, "SEO_ROBOTS_SAVE_AS"),
            robots_txt(site_url(self.settings, sitemap_as)),
        )


def get_generators(pelican):
    return SitemapGenerator


def register():
    pipeline.connect("sharing", attach_sharing_data)
    signals.get_generators.connect(get_generators)

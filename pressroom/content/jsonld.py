"""JSON-LD for templates: a dict serialised so that it is safe inside
``<script type="application/ld+json">`` whatever the metadata contains; and the
schema.org dicts shared by plugins (breadcrumbs, institutions)."""

import json

from markupsafe import Markup

from pressroom.content.text import absolute_url


def json_ld(data):
    """Serialise ``data``; ``<``, ``>`` and ``&`` are escaped so a title such as
    ``</script>`` cannot end the script element."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def breadcrumb_list(site_url, trail):
    """schema.org ``BreadcrumbList`` of a page: ``trail`` is (name, relative URL) from the home page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": rank, "name": str(name), "item": absolute_url(site_url, url)}
            for rank, (name, url) in enumerate(trail, start=1)
        ],
    }


def government_organization(institution, site_url):
    """schema.org ``GovernmentOrganization`` of an institution page (its registry entry)."""
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": institution.name,
        "alternateName": institution.acronym,
        "url": absolute_url(site_url, institution.url),
        "description": institution.description,
        "address": {"@type": "PostalAddress", "addressCountry": institution.country},
    }
    if institution.website:
        data["sameAs"] = [institution.website]
    people = [
        {"@type": "ContactPoint", "contactType": "relations presse", "name": card.name, "telephone": card.phone}
        | ({"email": card.email} if card.email else {})
        for card in getattr(institution, "spokesperson_cards", [])
    ]
    if people:
        data["contactPoint"] = people
    return data

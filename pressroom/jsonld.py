"""JSON-LD for templates: a dict serialised so that it is safe inside
``<script type="application/ld+json">`` whatever the metadata contains."""

import json

from markupsafe import Markup


def json_ld(data):
    """Serialise ``data``; ``<``, ``>`` and ``&`` are escaped so a title such as
    ``</script>`` cannot end the script element."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)

"""Hostile article bodies (HTML and Markdown that would run script or send readers
elsewhere) and the check of what a built site shows: shared by the property tests
(tests/site/test_body_properties.py) and the browser test (tests/browser/test_body_browser.py)."""

import html
import pathlib
import re

import feedparser
from bs4 import BeautifulSoup

SNIPPETS = [
    "<script>alert(1)</script>",
    '<script src="/fichiers/outil.js"></script>',
    "<img src=x onerror=alert(1)>",
    '<img src="{static}/images/x.jpg" onerror="alert(1)">',
    "![photo](javascript:alert(1))",
    "[lien](javascript:alert(1))",
    "[lien](JaVaScRiPt:alert(1))",
    '<a href="java&#x09;script:alert(1)">lien</a>',
    '<a href=" javascript:alert(1)">lien</a>',
    "[vb](vbscript:msgbox(1))",
    '<a href="data:text/html,<script>alert(1)</script>">données</a>',
    "<iframe src=https://evil.example/></iframe>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>Envoyer</button></form>",
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">paragraphe</p>',
    'Un paragraphe.\n{: onclick="alert(1)" }',
    '<div markdown="1" onmouseover="alert(1)">*texte*</div>',
    "<!--<script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<scr<script>ipt>alert(1)</script>",
    "<textarea><script>alert(1)</script></textarea>",
    "<xmp><script>alert(1)</script></xmp>",
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    "`<script>alert(1)</script>` reste du texte",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u202eTexte à l'envers\u202c",
]
MARKDOWN = [
    "## Intertitre",
    "> Une citation\n> sur deux lignes",
    "- un\n- deux\n    - trois",
    "**Gras** et *italique*",
    "| a | b |\n| --- | --- |\n| 1 | 2 |",
    "Une note[^1].\n\n[^1]: La note.",
    "Le « taux » : 15 h 30 ; 10 000 FCFA !",
    "[Site de la CMSS](https://cmss.example.ml/) et [nous écrire](mailto:presse@cmss.example.ml)",
    "```\n<script>alert(1)</script>\n```",
]

EXECUTABLE = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "base",
    "link",
    "style",
    "svg",
    "math",
    "meta",
    "noscript",
    "template",
    "textarea",
    "details",
}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc")
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):")
URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


def dangers(fragment):
    """What could run or send the reader elsewhere in an HTML fragment (a body, a feed entry)."""
    found = []
    for element in BeautifulSoup(fragment, "html.parser").find_all(True):
        if element.name in EXECUTABLE:
            found.append(f"<{element.name}>")
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(f"{name}= in <{element.name}>")
            if name.lower() in URL_ATTRIBUTES and BAD_SCHEME.match(URL_NOISE.sub("", html.unescape(value)).lower()):
                found.append(f"{name}={value} in <{element.name}>")
    return found


def page_dangers(path):
    """Dangers in the body of an article or page, and any meta refresh or on* attribute in the whole page."""
    soup = BeautifulSoup(pathlib.Path(path).read_text(encoding="utf-8"), "html.parser")
    bodies = soup.select("div.body")  # the redirect pages, which have none, are made of a meta refresh
    refreshes = [meta for meta in soup.find_all("meta") if meta.get("http-equiv", "").lower() == "refresh"]
    found = [f"meta refresh in {path}" for _ in refreshes if bodies]
    for body in bodies:
        found += dangers(body.decode_contents())
    found += [
        f"{name}= in <{element.name}>"
        for element in soup.find_all(True)
        for name in element.attrs
        if name.lower().startswith("on")
    ]
    return found


def feed_dangers(path):
    """Dangers in the contents and summaries of a feed's entries."""
    found = []
    for entry in feedparser.parse(pathlib.Path(path).read_bytes(), sanitize_html=False).entries:
        for part in [*entry.get("content", []), entry.get("summary_detail")]:
            if part:
                found += dangers(part["value"])
    return found


def site_dangers(output):
    """Every danger in the HTML pages and the feeds of a built site."""
    output = pathlib.Path(output)
    found = []
    for page in output.rglob("*.html"):
        found += page_dangers(page)
    for feed in [*output.rglob("*.atom.xml"), *output.rglob("*.rss.xml")]:
        found += feed_dangers(feed)
    return found

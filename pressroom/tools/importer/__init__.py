"""Importer: turns raw press articles (.txt copied from a page, or a saved .html page)
into Markdown articles of content/articles/YYYY/, with a French report of what to check.

It never invents a value: what the text does not give stays empty and is reported."""

from pressroom.tools.importer.article import ImportedArticle, import_file  # noqa: F401
from pressroom.tools.importer.batch import expand_paths, import_paths  # noqa: F401

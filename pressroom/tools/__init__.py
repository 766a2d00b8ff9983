"""Tools of the officers and maintainers around the site: the importer of old pages, the web
editor's configuration and local server, ``invoke new``, the benchmarks. May import every other
part of ``pressroom``."""

"""The preview server (`make serve`): the site kept in memory and rebuilt in place, and its writer
of only what changed. May import ``build``, ``content`` and ``settings``."""

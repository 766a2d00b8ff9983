"""Code of the press site that is not a Pelican plugin, in layers; each layer imports only the
layers below it (tests/unit/test_layers.py):

- ``pressroom.settings``: every setting with its default; imports nothing of ours.
- ``content``: what an article, a page and the registry may hold, and the French problems.
- ``build``: the Pelican build around our plugins: one writer, the lock, the cache, the gate's check.
- ``preview`` and ``publish``: the preview server; the production build and its sending.
- ``reach``: the channels that announce a publication (e-mail alerts, Telegram, Mastodon, Bluesky).
- ``tools``: the officers' and maintainers' tools (importer, editor, ``new``, benchmarks).

Plugins (``plugins/``) import this package; this package never imports a plugin."""

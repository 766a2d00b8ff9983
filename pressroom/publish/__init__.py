"""Publication: the production build and its sending to the host (``host``), and the outbox that
records what each channel has sent beside the published site (``outbox``). May import ``build``,
``content`` and ``settings``."""

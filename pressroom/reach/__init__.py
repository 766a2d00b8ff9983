"""The channels that announce a publication to its readers: e-mail alerts (``alerts``) and the
social networks (``diffusion``), each sending a release exactly once through the publication's
outbox. May import ``publish``, ``build``, ``content`` and ``settings``."""

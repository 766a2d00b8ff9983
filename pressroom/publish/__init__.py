"""Publication: the production build and its sending (``host``) to a server folder by rsync or to
an S3-compatible bucket by rclone (``bucket``), what a sending changes and its refusals
(``changes``), and the outbox that records what each channel has sent beside the published site
(``outbox``). May import ``build``, ``content`` and ``settings``."""

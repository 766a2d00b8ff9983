from .gzip_copies import *  # noqa: F403

from .unchanged_pages import *  # noqa: F403

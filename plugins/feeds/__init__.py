from .feeds import *  # noqa: F403

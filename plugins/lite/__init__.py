from .lite import *  # noqa: F403

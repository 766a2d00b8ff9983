from .media import *  # noqa: F403

from .release import *  # noqa: F403

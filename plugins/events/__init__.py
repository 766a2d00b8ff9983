from .events import *  # noqa: F403

from .editor import *  # noqa: F403

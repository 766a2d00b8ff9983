from .press import *  # noqa: F403

from .institutions import *  # noqa: F403

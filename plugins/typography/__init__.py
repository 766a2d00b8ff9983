from .typography import *  # noqa: F403

from .content_gate import *  # noqa: F403

from .fast_taxonomies import *  # noqa: F403

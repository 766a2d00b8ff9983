from .redirects import *

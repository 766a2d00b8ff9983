from .manifest import *

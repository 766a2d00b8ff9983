"""Pelican readers with a mixin of ours in front (French dates, typography…):
one way to install a mixin on every enabled reader, shared by the plugins."""


def with_mixin(mixin, reader_class):
    """``reader_class`` with ``mixin`` in front of it (once only)."""
    if issubclass(reader_class, mixin):
        return reader_class
    return type(f"{mixin.__name__}{reader_class.__name__}", (mixin, reader_class), {})


def add_reader_mixin(readers, mixin):
    """Put ``mixin`` in front of every enabled reader of a ``pelican.readers.Readers``."""
    for extension, reader_class in readers.reader_classes.items():
        if reader_class is None:  # disabled by the READERS setting
            continue
        readers.reader_classes[extension] = with_mixin(mixin, reader_class)
        if extension in readers.readers:  # already built: called after readers_init
            readers.readers[extension] = readers.reader_classes[extension](readers.settings)

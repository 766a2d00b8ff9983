"""The build around Pelican: running it (``site``), every use of Pelican's private API
(``engine``), the one writer of the output folder (``output``), atomic files, the lock of a
working tree, child processes, the reader cache, the enrichment pipeline, the readers' mixins and
the gate's check shared with `invoke lint` (``lint``).
May import ``pressroom.content`` and ``pressroom.settings``."""

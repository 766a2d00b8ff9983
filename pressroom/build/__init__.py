"""The build around Pelican: running it (``site``), every use of Pelican's private API
(``engine``), the one writer of the output folder (``output``), atomic files, the lock of a
working tree, child processes, the reader cache, the enrichment pipeline, the readers' mixins,
which files are sources (``discovery``), the gate's check shared with `invoke lint` (``lint``) and
the one way a command reports its failure (``report``).
May import ``pressroom.content`` and ``pressroom.settings``."""

"""Code of the press site that is not a Pelican plugin: French dates, the
institution registry, content errors and the build entry point."""

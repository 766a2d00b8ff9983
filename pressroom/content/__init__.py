"""What an article, a page and the institution registry may hold: the schema of fields, the header
reader, the allow-lists of the text and of the files it names, the published addresses, French dates
and the French problems every check reports. Pure functions of the sources and the settings: may
import ``pressroom.settings`` only, never build, write or send anything."""

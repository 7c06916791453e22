"""Reading: files on disk become prompts (sources, formats, templates, sentences), through the one safe
reader and writer every layer uses for files (:mod:`promptaudit.reading.files`)."""

"""Reading: files on disk become prompts (sources, formats, templates, sentences)."""

"""Files: atomic writes (text, JSON, CSV, parquet), documents (Markdown and HTML from one block list) and the
survey template. Knows nothing of the model; the outputs and study layers write through it."""

"""Vocabulary and plumbing every layer shares: paths (config), errors, the canonical tables (schema),
cell values (parse), shared words and numbers (vocab), issues, files, the processed store, templates."""

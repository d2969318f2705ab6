"""Raw files of any layout → canonical tables: what a file really is (filecheck), reading sheets and
tidy tables (tables), official 自评表 workbooks (forms), contracts (validate), a whole folder (folder),
analyst narratives (narratives)."""

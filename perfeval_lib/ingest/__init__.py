"""Raw files of any layout → canonical tables.

One file, in the order it is read: what the file really is (``filecheck``) → every sheet as cells
(``readers``) → the header row and parsed columns (``sheets``) → merged cells, 合计 rows and derived
columns (``normalise``) → the table contracts (``validate``) → the result, one table per file
(``tables``: ``read_table``, ``load_*``). Official 自评表 workbooks (``forms``), a whole folder
(``folder``), analyst narratives (``narratives``).
"""

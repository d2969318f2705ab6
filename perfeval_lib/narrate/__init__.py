"""Results → words: the sentences of a 自评报告 (sentences) and the report as a document model (draft),
with no file format in sight (that is :mod:`perfeval_lib.render`)."""

"""复核: rulesets, execution rates (metrics), indicator scores, totals and grades (scoring), findings
(audit), and all of it per unit-year (evaluation) — tables in, tables out."""

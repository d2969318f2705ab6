"""Whole runs: the ingest run (raw → processed, evaluated), and the reports run — papermill per unit on
warm kernels, through a process pool or Dask, with its index and run record."""

"""Demo data and synthetic populations for the demo and the benchmarks."""

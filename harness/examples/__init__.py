"""One conformance check per example, written once and run for every cell."""

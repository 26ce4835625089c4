"""The assignment's calculator: TCP and UDP servers and clients (docs/protocols/calc.md)."""

"""The lecture's multithreaded TCP server and interactive client."""

"""The lecture's Python TCP echo server and client (and its naive client, kept on purpose)."""

"""The crosswire bench: manifest, runner, sandbox, reports and the `crosswire` CLI."""

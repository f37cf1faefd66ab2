"""Use cases: each takes plain arguments, owns its unit of work and returns `Changes`."""

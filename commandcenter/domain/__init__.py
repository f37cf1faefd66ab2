"""Plain dataclasses and pure rules of the command hall: no I/O, no Qt."""

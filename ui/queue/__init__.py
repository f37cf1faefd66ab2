"""The case queue: a thin table model over case snapshots, and its sort/filter proxy."""

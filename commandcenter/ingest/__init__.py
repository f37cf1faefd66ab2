"""Inbound adapters and the single ingest writer."""

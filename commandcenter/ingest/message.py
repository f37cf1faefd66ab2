"""The unit of inbound traffic, as every transport hands it to the ingest writer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """Raw bytes on a topic: MQTT, the HJ 212 gateway and the in-process simulator all make these.

    `token` is the transport's acknowledgement handle (an MQTT message), acked only after the
    transaction that stores the message has committed; None for in-process sources.
    """

    topic: str
    payload: bytes
    received_at: datetime
    token: object = None

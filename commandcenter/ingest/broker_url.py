"""Parse the hall's broker address: `mqtt://[user[:password]@]host[:1883]` or `mqtts://…:8883`.

TLS options (CA file, client certificate) come as query parameters, so one setting carries the
whole connection: `mqtts://cc:secret@10.0.0.5?ca=C:/certs/ca.pem&cert=…&key=…`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from commandcenter.domain.errors import KnownError


class BrokerUrlError(KnownError):
    pass


@dataclass(frozen=True, slots=True)
class BrokerUrl:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    insecure: bool = False  # skip hostname check (self-signed lab brokers only)

    @property
    def display(self) -> str:
        """For logs and the status bar: never the password."""
        scheme = "mqtts" if self.tls else "mqtt"
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}"

    @classmethod
    def parse(cls, text: str) -> BrokerUrl:
        parts = urlsplit(text.strip())
        if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
            raise BrokerUrlError(
                f"消息服务器地址应以 mqtt:// 或 mqtts:// 开头：{_redact(text)}")
        tls = parts.scheme in ("mqtts", "ssl")
        if not parts.hostname:
            raise BrokerUrlError(f"消息服务器地址缺少主机名：{_redact(text)}")
        try:
            port = parts.port or (8883 if tls else 1883)
        except ValueError:
            raise BrokerUrlError(f"消息服务器端口无效：{_redact(text)}") from None
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return cls(
            host=parts.hostname, port=port, tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            ca_file=query.get("ca"), cert_file=query.get("cert"), key_file=query.get("key"),
            insecure=query.get("insecure") in ("1", "true", "yes"),
        )


def _redact(text: str) -> str:
    parts = urlsplit(text)
    if parts.password:
        return text.replace(f":{parts.password}@", ":***@")
    return text

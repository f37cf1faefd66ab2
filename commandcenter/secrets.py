"""The broker and database passwords: kept in the OS credential store (keyring) where there is
one, so the config file holds URLs without passwords; otherwise they stay in the config file.

A password belongs to the URL's `user@host:port`, so a URL pointed at another server never gets
the old server's password. `keyring` is imported only when a password is stored or looked up.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "CommandCenter"
# The settings whose URL may carry a password.
SECRET_SETTINGS = ("broker_url", "db_url")
NO_CREDENTIAL_STORE = "此电脑没有系统凭据存储，密码将保存在配置文件中"


class SecretStore:
    """Passwords under the service name "CommandCenter"; `backend=None` means no store."""

    def __init__(self, backend: KeyringBackend | None) -> None:
        self.backend = backend

    @classmethod
    def system(cls) -> SecretStore:
        """The OS credential store (Windows Credential Manager, macOS Keychain, Secret
        Service), or a store without a backend when this computer has none.

        Backends from other packages (keyrings.alt's plain-text file, say) do not count: they
        are no safer than the config file, so the config file it is, with a warning.
        """
        try:
            import keyring
            from keyring.backends import chainer
        except ImportError:
            log.warning("keyring is not installed: passwords are kept in the config file")
            return cls(None)
        backend = keyring.get_keyring()
        candidates = (backend.backends if isinstance(backend, chainer.ChainerBackend)
                      else [backend])
        for candidate in candidates:
            if _is_os_store(candidate):
                return cls(candidate)
        log.info("no OS credential store (keyring backend %s)", type(backend).__name__)
        return cls(None)

    @property
    def available(self) -> bool:
        return self.backend is not None

    @property
    def name(self) -> str:
        """The store's own name, for the settings dialog ("Windows WinVaultKeyring")."""
        if self.backend is None:
            return ""
        return str(getattr(self.backend, "name", type(self.backend).__name__))

    def get(self, key: str) -> str | None:
        if self.backend is None:
            return None
        from keyring.errors import KeyringError

        try:
            return self.backend.get_password(SERVICE, key)
        except KeyringError as exc:
            log.warning("cannot read the password for %s from %s: %s", key, self.name, exc)
            return None

    def put(self, key: str, password: str) -> bool:
        """Store it; False when there is no store or it refused (locked, denied)."""
        if self.backend is None:
            return False
        from keyring.errors import KeyringError

        try:
            self.backend.set_password(SERVICE, key, password)
        except KeyringError as exc:
            log.warning("cannot store the password for %s in %s: %s", key, self.name, exc)
            return False
        return True

    def delete(self, key: str) -> None:
        if self.backend is None:
            return
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self.backend.delete_password(SERVICE, key)
        except PasswordDeleteError:
            pass  # there was none: nothing to delete
        except KeyringError as exc:
            log.warning("cannot delete the password for %s from %s: %s", key, self.name, exc)


def _is_os_store(backend: KeyringBackend) -> bool:
    from keyring.backends import fail

    module = type(backend).__module__
    return (module.startswith("keyring.backends.") and not isinstance(backend, fail.Keyring)
            and not module.startswith(("keyring.backends.null", "keyring.backends.chainer"))
            and backend.priority > 0)


# --- passwords inside URLs (mqtt://, mqtts://, postgresql+psycopg://, …) ---------------------
def split_password(url: str) -> tuple[str, str | None]:
    """`scheme://user:pw@host/…` -> (`scheme://user@host/…`, "pw"); the password unquoted,
    None when there is none (an empty one included)."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url, None
    user, _, password = userinfo.partition(":")
    netloc = f"{user}@{hostport}" if user else hostport
    return urlunsplit(parts._replace(netloc=netloc)), unquote(password) or None


def with_password(url: str, password: str) -> str:
    """Put `password` into a URL that names a user (and has no password yet)."""
    parts = urlsplit(url)
    user, at, hostport = parts.netloc.rpartition("@")
    if not at or not user:
        return url
    user = user.partition(":")[0]
    netloc = f"{user}:{quote(password, safe='')}@{hostport}"
    return urlunsplit(parts._replace(netloc=netloc))


def secret_key(setting: str, url: str) -> str | None:
    """The credential's name, e.g. `broker_url:cc@10.0.0.5:1883`; None without a user."""
    netloc = urlsplit(url).netloc
    userinfo, at, hostport = netloc.rpartition("@")
    user = unquote(userinfo.partition(":")[0])
    if not at or not user:
        return None
    return f"{setting}:{user}@{hostport}"


def store_passwords(values: Mapping[str, str], store: SecretStore) -> tuple[dict[str, str],
                                                                            list[str]]:
    """Move the passwords out of the URLs into `store`.

    Returns the values to write to the config file and the settings whose password stayed in
    it (no store, or the store refused) — the caller tells the user.
    """
    out = dict(values)
    kept_in_file = []
    for setting in SECRET_SETTINGS:
        url = out.get(setting, "")
        bare, password = split_password(url)
        key = secret_key(setting, url)
        if key is None:
            continue
        if password is None:
            out[setting] = bare
            store.delete(key)  # the server takes no password any more: forget the old one
            continue
        if store.put(key, password):
            out[setting] = bare
        else:
            kept_in_file.append(setting)
    if kept_in_file:
        log.warning("%s: the password of %s is kept in the config file",
                    "no OS credential store" if not store.available
                    else "the OS credential store refused it", ", ".join(kept_in_file))
    return out, kept_in_file


def restore_passwords(values: Mapping[str, str], store: SecretStore | None = None
                      ) -> dict[str, str]:
    """Put the stored passwords back into URLs that name a user but carry no password.

    The OS store is asked only when such a URL is there (a plain config never loads keyring).
    """
    out = dict(values)
    for setting in SECRET_SETTINGS:
        url = out.get(setting, "")
        key = secret_key(setting, url)
        if key is None or split_password(url)[1] is not None:
            continue
        if store is None:
            store = SecretStore.system()
        password = store.get(key)
        if password is not None:
            out[setting] = with_password(url, password)
    return out

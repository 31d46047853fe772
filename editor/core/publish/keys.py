"""The application password in the system keyring (service "photocaption", user "NAME@SITE").

Never in a plain file: when no keyring is available the GUI keeps the password for the session
only and says so. Every keyring failure (none installed, locked, refused) is a sentence.
"""

from __future__ import annotations

SERVICE = "photocaption"


def keyring_user(user: str, site: str) -> str:
    return f"{user}@{site}"


def get_password(user: str, site: str) -> tuple[str, str]:
    """(password or "", why there is none: "" when found or simply not stored)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return "", "the keyring package is not installed"
    try:
        value = keyring.get_password(SERVICE, keyring_user(user, site))
    except (KeyringError, RuntimeError, OSError) as err:
        return "", f"the system keyring cannot be read ({err or type(err).__name__})"
    return (value or "").strip(), ""


def set_password(user: str, site: str, password: str) -> str:
    """Store the password; "" when stored, else why not (one sentence)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return "the keyring package is not installed"
    try:
        keyring.set_password(SERVICE, keyring_user(user, site), password)
    except (KeyringError, RuntimeError, OSError) as err:
        return f"no system keyring could keep it ({err or type(err).__name__})"
    return ""

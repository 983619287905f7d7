"""The reviewers of a team server: a YAML or JSON file of names with their tokens, stored hashed
(scrypt with a salt per reviewer), so the file never holds a usable secret."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from pathlib import Path

import yaml

SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class ReviewersError(ValueError):
    pass


def _hash(token: str, salt: bytes) -> str:
    return hashlib.scrypt(token.encode("utf-8"), salt=salt, dklen=32, **SCRYPT).hex()


def load(path: str | Path) -> list[dict]:
    """Entries `{name, salt, hash}`; a missing file is an empty team."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}  # JSON is YAML too
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ReviewersError(f"{path}: not a reviewers file ({err})") from None
    entries = data.get("reviewers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ReviewersError(f"{path}: expected a 'reviewers' list")
    for n, entry in enumerate(entries, start=1):
        if not (isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("name", "salt", "hash"))):
            raise ReviewersError(f"{path}: reviewer {n} needs name, salt and hash")
    return entries


def add_reviewer(path: str | Path, name: str) -> str:
    """Add (or give a new token to) reviewer `name`; returns the token, which is not stored."""
    name = re.sub(r"\s+", " ", name).strip()
    if not name:
        raise ReviewersError("a reviewer needs a name")
    path = Path(path)
    entries = [e for e in load(path) if e["name"] != name]
    token = secrets.token_urlsafe(24)
    salt = secrets.token_bytes(16)
    entries.append({"name": name, "salt": salt.hex(), "hash": _hash(token, salt)})
    text = json.dumps({"reviewers": entries}, indent=2) if path.suffix == ".json" else \
        yaml.safe_dump({"reviewers": entries}, sort_keys=False)
    path.write_text(text, "utf-8")
    return token


def who(entries: list[dict], token: str) -> str | None:
    """The reviewer whose token this is, or None."""
    found = None
    for entry in entries:
        if hmac.compare_digest(_hash(token, bytes.fromhex(entry["salt"])), entry["hash"]):
            found = entry["name"]
    return found

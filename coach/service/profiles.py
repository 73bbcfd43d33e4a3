"""Profiles: create, delete, export, import (a document), the demo; names compared without
regard to case."""

from __future__ import annotations

from datetime import date
from typing import Any

from coach.errors import InvalidInput
from coach.profile import Profile, check_name, name_key
from coach.records import ProfileRef, Store
from coach.service import common


def create_profile(store: Store, name: str, **fields: Any) -> Profile:
    """A new profile; a name that differs from another only in case is refused."""
    check_name_free(store, check_name(name))
    created: Profile = store.create_profile(name, **fields)
    return created


def delete_profile(store: Store, profile: ProfileRef) -> None:
    store.delete_profile(profile)


def export_profile(store: Store, profile: ProfileRef) -> dict[str, Any]:
    doc: dict[str, Any] = store.export_profile(profile)
    return doc


def import_profile(
    store: Store,
    doc: dict[str, Any] | str | bytes,
    *,
    replace: bool = False,
    file: str = "profile.json",
) -> Profile:
    """Create a profile from an export document (parsed, or its JSON text); all or nothing.

    Text is bounded before it is parsed (size, then depth and numbers, as JSON from
    outside always is); the document is checked whole, then against the profile's
    playbook when it is installed (the draft must answer its questions). A profile
    whose name differs only in case or invisible characters is the same profile:
    refused, or replaced with `replace` (the stored spelling stays).
    """
    from coach.store import transfer

    data = _profile_document(doc, file) if isinstance(doc, str | bytes) else doc
    parsed = transfer.parse(data)
    book = common.find_playbook(Profile(id=0, **parsed.profile))
    if book is not None:
        transfer.check_against(parsed, book)
    name = str(parsed.profile["name"])
    same = [p for p in store.list_profiles() if name_key(p.name) == name_key(name)]
    if same and all(p.name != name for p in same):
        if not replace:
            raise InvalidInput("tracking.error.profile_exists", name=same[0].name)
        data = {**data, "profile": {**data["profile"], "name": same[0].name}}
    imported: Profile = store.import_profile(data, replace=replace)
    return imported


def _profile_document(text: str | bytes, file: str) -> Any:
    """An export document's JSON text, bounded, parsed; InvalidInput with a sentence otherwise."""
    import json

    from coach import safejson
    from coach.store import transfer

    size = len(text)  # characters or bytes: either way, far over the bound when hostile
    if size > transfer.MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            "importers.profile.too_big",
            file=file,
            size=round(size / 1024 / 1024, 1),
            max=transfer.MAX_DOCUMENT_BYTES // 1024 // 1024,
        )
    try:
        body = text.decode("utf-8-sig") if isinstance(text, bytes) else text.lstrip("\ufeff")
        return safejson.loads(body, file=file)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput("tracking.error.import_not_json", path=file) from None


def create_demo(store: Store, lang: str, today: date | None = None) -> Profile:
    """The demo profile, created or refreshed."""
    from coach.demo import build_demo

    return build_demo(store, today=today, lang=lang)


# ---- profile names compared without regard to case (hardening, round two) -----------------------


def find_profile(store: Store, name: ProfileRef) -> Profile:
    """The profile `name` designates: spelt as stored, or differing only in case.

    "sophie gagnon" finds "Sophie Gagnon" (names are normalised and casefolded, see
    coach.profile.name_key). When two stored profiles differ only in case (made before
    names were compared this way), only the exact spelling finds either.
    """
    from coach.errors import NotFound

    try:
        found: Profile = store.get_profile(name)
        return found
    except NotFound:
        if not isinstance(name, str):
            raise
        key = name_key(name)
        same = [p for p in store.list_profiles() if name_key(p.name) == key]
        if len(same) != 1:
            raise
        return same[0]


def check_name_free(store: Store, name: str, keep: Profile | None = None) -> None:
    """InvalidInput "already exists" when another profile has this name, in any case.

    `keep` is the profile being renamed: changing only the case of its own name is allowed.
    """
    key = name_key(name)
    for other in store.list_profiles():
        if name_key(other.name) == key and (keep is None or other.id != keep.id):
            raise InvalidInput("tracking.error.profile_exists", name=other.name)

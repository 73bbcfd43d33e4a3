"""Why a file could not be read or written, in the user's words (the OS says it in English)."""

from __future__ import annotations

import errno

from coach.i18n import has_key, t

_NAMES = {
    errno.ENOENT: "not_found",
    errno.EACCES: "denied",
    errno.EPERM: "denied",
    errno.EISDIR: "folder",
    errno.ENOTDIR: "not_a_folder",
    errno.ENOSPC: "disk_full",
    errno.EROFS: "read_only",
}


def os_reason(err: OSError, lang: str) -> str:
    """A short phrase for `err` in `lang`; the system's own text when there is no translation."""
    key = f"engine.os.{_NAMES.get(err.errno or 0, '')}"
    return t(key, lang) if has_key(key, lang) else (err.strerror or str(err))

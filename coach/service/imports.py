"""Platform exports: the preview, then the weeks saved, checked again in the saving transaction."""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, Any

from coach.checkin import CheckIn
from coach.records import ProfileRef, Store
from coach.service.common import today_for

if TYPE_CHECKING:
    from coach.importers.plan import ImportPreview


def preview_import(
    store: Store,
    profile: ProfileRef,
    source: str | os.PathLike[str] | bytes,
    filename: str | None = None,
    *,
    today: date | None = None,
    **options: Any,
) -> ImportPreview:
    """Parse a platform export and compare it with the saved weeks; writes nothing."""
    from coach import importers

    found = store.get_profile(profile)
    return importers.preview_import(
        store, found.name, source, filename, today=today or today_for(found), **options
    )


def apply_import(
    store: Store, profile: ProfileRef, preview: ImportPreview, today: date | None = None
) -> dict[str, str]:
    """Save what the preview would write, checked again and written in one transaction.

    The check against the saved weeks runs inside the saving transaction, so a week
    typed by hand after the preview was shown is never overwritten without consent.
    """
    from coach.importers.plan import plan_import

    found = store.get_profile(profile)

    def recheck(saved: list[CheckIn]) -> list[CheckIn]:
        fresh = plan_import(
            saved,
            [week.figures for week in preview.weeks],
            source=preview.source,
            fields=preview.fields,
            overwrite_typed=preview.overwrite_typed,
            today=date.max,  # the preview already left out future weeks
        )
        return list(fresh.to_save())

    return store.save_checkins_rechecked(found, recheck, today=today or today_for(found))

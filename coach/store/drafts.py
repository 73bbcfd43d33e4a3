"""Before you post, in the database: a profile's "never say" list and the drafts saved to it.

Tables (made by the Alembic revision `0004_drafts`, registered on `schema.METADATA` when
this module loads, which `coach.store` does):

- `never_say_phrases`: one row per phrase of a profile's list, in the order added;
- `post_drafts`: a draft the manager saved, with its network, the verdict it had, when
  it was saved and a version counter.

Two people working on one profile never erase each other's work: the list changes by
phrase (adding one keeps everyone else's, removing one removes only it), and a saved
draft is changed or deleted only at the version the person opened; otherwise
`review.saved.changed` says so and nothing is written. Deleting a profile deletes both.
coach/review/saved.py holds the checks and caps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from coach import clock
from coach.errors import CoachError, InvalidInput, NotFound
from coach.records import PostDraft, ProfileRef
from coach.review.saved import (
    MAX_PHRASE_CHARS,
    check_list_size,
    check_phrase,
    check_phrases,
    check_saved,
    check_saved_count,
    phrase_key,
)
from coach.store.rows import Repository
from coach.store.schema import METADATA, UTCDateTime

DRAFT_TABLES = ("never_say_phrases", "post_drafts")


def _owner() -> Column[int]:
    """The profile a row belongs to (deleted with it)."""
    return Column(
        "profile_id", Integer, ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False
    )


def draft_tables(md: MetaData) -> dict[str, Table]:
    """The tables as revision 0004_drafts makes them."""
    phrases = Table(
        "never_say_phrases",
        md,
        Column("id", Integer, primary_key=True),
        _owner(),
        Column("phrase", String(MAX_PHRASE_CHARS), nullable=False),
        Column("added_at", UTCDateTime, nullable=False),
        Index("ix_never_say_phrases_profile", "profile_id", "id"),
    )
    drafts = Table(
        "post_drafts",
        md,
        Column("id", Integer, primary_key=True),
        _owner(),
        Column("saved_at", UTCDateTime, nullable=False),
        Column("version", Integer, nullable=False),
        Column("network", String(16), nullable=False),
        Column("verdict", String(8), nullable=False),
        Column("text", Text, nullable=False),
        Index("ix_post_drafts_profile", "profile_id", "saved_at"),
    )
    return {"never_say_phrases": phrases, "post_drafts": drafts}


TABLES = draft_tables(METADATA)
never_say_t = TABLES["never_say_phrases"]
post_drafts_t = TABLES["post_drafts"]


def _post_draft(row: Row[Any]) -> PostDraft:
    return PostDraft(
        row.text, row.network, row.verdict, row.saved_at, int(row.id), int(row.version)
    )


class DraftRepository(Repository):
    """The never-say list and saved drafts of a profile (see the module's docstring)."""

    # ---- the never-say list ---------------------------------------------------------------------

    def never_say(self, profile: ProfileRef) -> list[str]:
        """The profile's never-say phrases, in the order they were added."""
        result: list[str] = self._read(lambda c: self._never_say(c, self._profile_id(c, profile)))
        return result

    def _never_say(self, conn: Connection, pid: int) -> list[str]:
        query = (
            select(never_say_t.c.phrase)
            .where(never_say_t.c.profile_id == pid)
            .order_by(never_say_t.c.id)
        )
        return [str(p) for p in conn.execute(query).scalars()]

    def add_never_say(self, profile: ProfileRef, phrases: Sequence[str]) -> list[str]:
        """Add phrases to the list (one already there is left as it is); the ones added.

        InvalidInput, and nothing written, for an empty, too long or multi-line phrase or
        a list that would grow beyond its cap.
        """
        checked = check_phrases(phrases)
        if not checked:
            raise InvalidInput("review.never_say.empty")

        def write(conn: Connection) -> list[str]:
            pid = self._profile_id(conn, profile)
            kept = {phrase_key(p) for p in self._never_say(conn, pid)}
            new = [p for p in checked if phrase_key(p) not in kept]
            check_list_size(len(kept) + len(new))
            self._insert_phrases(conn, pid, new)
            return new

        result: list[str] = self._run(write)
        return result

    def _insert_phrases(self, conn: Connection, pid: int, phrases: Sequence[str]) -> None:
        now = clock.now()
        for phrase in phrases:  # one by one: the ids keep the order they were given in
            conn.execute(insert(never_say_t).values(profile_id=pid, phrase=phrase, added_at=now))

    def remove_never_say(self, profile: ProfileRef, phrase: str) -> bool:
        """Take one phrase off the list (as the review reads it); False when it was not on it."""
        key = phrase_key(check_phrase(phrase))

        def write(conn: Connection) -> bool:
            pid = self._profile_id(conn, profile)
            rows = conn.execute(
                select(never_say_t.c.id, never_say_t.c.phrase).where(
                    never_say_t.c.profile_id == pid
                )
            ).all()
            ids = [int(r.id) for r in rows if phrase_key(r.phrase) == key]
            if ids:
                conn.execute(delete(never_say_t).where(never_say_t.c.id.in_(ids)))
            return bool(ids)

        result: bool = self._run(write)
        return result

    # ---- saved drafts ---------------------------------------------------------------------------

    def post_drafts(self, profile: ProfileRef) -> list[PostDraft]:
        """The drafts saved to the profile, the latest saved first."""
        result: list[PostDraft] = self._read(
            lambda c: self._post_drafts(c, self._profile_id(c, profile))
        )
        return result

    def _post_drafts(self, conn: Connection, pid: int) -> list[PostDraft]:
        query = (
            select(post_drafts_t)
            .where(post_drafts_t.c.profile_id == pid)
            .order_by(post_drafts_t.c.saved_at.desc(), post_drafts_t.c.id.desc())
        )
        return [_post_draft(r) for r in conn.execute(query)]

    def get_post_draft(self, profile: ProfileRef, draft_id: int) -> PostDraft:
        """One saved draft of the profile; NotFound when it is not (or no longer) saved."""

        def read(conn: Connection) -> PostDraft:
            return _post_draft(
                self._post_draft_row(conn, self._profile_id(conn, profile), draft_id)
            )

        result: PostDraft = self._read(read)
        return result

    def _post_draft_row(self, conn: Connection, pid: int, draft_id: int) -> Row[Any]:
        row = conn.execute(
            select(post_drafts_t).where(
                post_drafts_t.c.id == draft_id, post_drafts_t.c.profile_id == pid
            )
        ).first()
        if row is None:
            raise NotFound("review.saved.gone")
        return row

    def save_post_draft(self, profile: ProfileRef, draft: PostDraft) -> PostDraft:
        """Save a new draft (`id` 0), or change draft `id` if it is still at `version`.

        InvalidInput for a draft that cannot be saved or a profile that keeps its cap;
        CoachError `review.saved.changed` when someone changed or deleted it meanwhile.
        """
        check_saved(draft.text, draft.network, draft.verdict)
        values: dict[str, Any] = {"text": draft.text, "network": draft.network}
        values |= {"verdict": draft.verdict, "saved_at": clock.now()}

        def write(conn: Connection) -> PostDraft:
            pid = self._profile_id(conn, profile)
            if draft.id:
                self._check_version(conn, pid, draft)
                change = update(post_drafts_t).where(post_drafts_t.c.id == draft.id)
                conn.execute(change.values(version=post_drafts_t.c.version + 1, **values))
                return _post_draft(self._post_draft_row(conn, pid, draft.id))
            kept = select(func.count()).where(post_drafts_t.c.profile_id == pid)
            check_saved_count(int(conn.execute(kept).scalar_one()) + 1)
            added = insert(post_drafts_t).values(profile_id=pid, version=1, **values)
            key = conn.execute(added).inserted_primary_key
            return _post_draft(self._post_draft_row(conn, pid, int(key[0]) if key else 0))

        result: PostDraft = self._run(write)
        return result

    def _check_version(self, conn: Connection, pid: int, draft: PostDraft) -> None:
        query = select(post_drafts_t.c.version).where(
            post_drafts_t.c.id == draft.id, post_drafts_t.c.profile_id == pid
        )
        found = conn.execute(query).scalar_one_or_none()
        if found is None or int(found) != draft.version:
            raise CoachError("review.saved.changed")

    def delete_post_draft(self, profile: ProfileRef, draft: PostDraft) -> None:
        """Delete a saved draft if it is still at the version listed (`review.saved.changed`)."""

        def write(conn: Connection) -> None:
            pid = self._profile_id(conn, profile)
            self._check_version(conn, pid, draft)
            conn.execute(delete(post_drafts_t).where(post_drafts_t.c.id == draft.id))

        self._run(write)

    # ---- whole profile (export, import, deletion) ----------------------------------------------

    def _write_post_parts(
        self, conn: Connection, pid: int, phrases: Sequence[str], drafts: Sequence[PostDraft]
    ) -> None:
        """An imported profile's list and drafts, already checked by the document's parser."""
        self._insert_phrases(conn, pid, phrases)
        for d in reversed(drafts):  # oldest first, so the ids follow the saving order
            values = {"text": d.text, "network": d.network, "verdict": d.verdict}
            conn.execute(
                insert(post_drafts_t).values(
                    profile_id=pid, saved_at=d.saved_at, version=1, **values
                )
            )

    def _delete_post_parts(self, conn: Connection, pid: int) -> None:
        # Explicit, like the profile's other rows (SQLite honours ON DELETE CASCADE only
        # on connections that enabled foreign keys).
        for table in (never_say_t, post_drafts_t):
            conn.execute(delete(table).where(table.c.profile_id == pid))

"""The employees' side in the database: pulse rounds and answers, employee links, the inbox.

Tables (coach/store/employee_tables.py; created by the Alembic revision
`0003_employees`; docs/PULSE.md explains each):

- `employee_links`: a link employees use (kind `pulse` or `inbox`); only the
  token's SHA-256 digest is kept, so a copy of the database hands out no link;
- `link_hits`: times of a link's accepted submissions within the longest rate
  window (older rows are deleted at each write); no address, no answer id;
- `pulse_rounds`: one round, with the pulse section pinned when it opened;
- `pulse_answers`: one answer: a random id (no counter, and no row id on SQLite,
  so nothing tells the order answers came in), the day, its release batch, the
  scores and texts. No identity, no address, no time of day;
- `inbox_questions`: employees' questions and the manager's answers.

Every method is one transaction. Submissions take a callback that decides
(token, rate limit, batch) inside the transaction that writes, so two answers
arriving together can never overfill a batch: SQLite runs writes one at a time
(`BEGIN IMMEDIATE`), PostgreSQL locks the link's row (`SELECT ... FOR UPDATE`).
The application layer (coach/service/) is the only caller: it alone turns
answers into what a manager may see.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Row,
    delete,
    func,
    insert,
    select,
    update,
)

from coach.errors import CoachError, NotFound
from coach.inbox import InboxQuestion
from coach.pulse.links import Link, LinkKind
from coach.pulse.results import PulseAnswer, PulseRound
from coach.records import ProfileRef
from coach.store.db import Database
from coach.store.employee_tables import EMPLOYEE_TABLES
from coach.store.rows import Repository, from_row, row_values
from coach.store.schema import METADATA

T = TypeVar("T")
HITS_KEPT = timedelta(minutes=10)  # the longest rate window (coach.pulse.links.RATE_RULES)


TABLES = {name: METADATA.tables[name] for name in EMPLOYEE_TABLES}
links_t = TABLES["employee_links"]
hits_t = TABLES["link_hits"]
rounds_t = TABLES["pulse_rounds"]
answers_t = TABLES["pulse_answers"]
questions_t = TABLES["inbox_questions"]


# domain field -> column, where the names differ (the other fields are their own column)
LINK_COLUMNS = {
    "digest": "token_hash",
    "created": "created_at",
    "expires": "expires_at",
    "closed": "closed_at",
}
ROUND_COLUMNS = {
    "opened": "opened_on",
    "expires": "closes_on",
    "closed": "closed_on",
    "threshold": "min_answers",
}
QUESTION_COLUMNS = {"received": "received_at"}


def new_id() -> str:
    """A random id: nothing in it tells when or in which order a row was written."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class StoredLink:
    id: str
    profile_id: int
    link: Link


@dataclass(frozen=True)
class StoredRound:
    round: PulseRound
    profile_id: int
    link_id: str | None
    playbook_id: str
    playbook_version: str
    pulse: dict[str, Any]  # the pinned section (coach.pulse.definition.pulse_to_dict)


@dataclass(frozen=True)
class Submission:
    """What a submission callback sees, inside the writing transaction."""

    link: StoredLink
    profile_name: str
    timezone: str  # the profile's, for the day an answer is kept under
    round: StoredRound | None  # the link's open round (pulse links)
    hits: tuple[datetime, ...]  # the link's accepted submissions in the kept window
    batch_counts: dict[int, int]  # answers per batch of the round


def _link(row: Row[Any]) -> StoredLink:
    kind: LinkKind = "inbox" if row.kind == "inbox" else "pulse"
    link = from_row(Link, row, LINK_COLUMNS, kind=kind)
    return StoredLink(row.id, int(row.profile_id), link)


def _round(row: Row[Any]) -> StoredRound:
    pulse_round = from_row(PulseRound, row, ROUND_COLUMNS, threshold=int(row.min_answers))
    return StoredRound(
        pulse_round,
        int(row.profile_id),
        row.link_id,
        row.playbook_id,
        row.playbook_version,
        dict(row.questions),
    )


def _answer(row: Row[Any]) -> PulseAnswer:
    return PulseAnswer(row.answered_on, int(row.batch), dict(row.scores), dict(row.texts))


def _question(row: Row[Any]) -> InboxQuestion:
    return from_row(InboxQuestion, row, QUESTION_COLUMNS)


class PulseRepository(Repository):
    """Pulse rounds, answers, employee links and inbox questions of every profile.

    Made from a store (`PulseRepository.of(store)`): a profile is found, and access
    checked, exactly as that store does it, so a signed-in user's scoped store
    refuses a profile they may not read or change here too. Employee use cases
    (by token) use the plain store: no person is signed in.
    """

    def __init__(self, db: Database, owner: Repository | None = None) -> None:
        self.db = db
        self.owner = owner
        if owner is not None:
            self.organisation_id = owner.organisation_id
            self.user_id = owner.user_id

    @classmethod
    def of(cls, store: Repository) -> PulseRepository:
        return cls(store.db, store)

    def _profile_row(
        self, conn: Connection, profile: ProfileRef, *, authorize: bool = True
    ) -> Row[Any]:
        if self.owner is not None:
            return self.owner._profile_row(conn, profile, authorize=authorize)
        return super()._profile_row(conn, profile, authorize=authorize)

    # ---- links ----------------------------------------------------------------------------------

    def add_link(self, profile: ProfileRef, link: Link, *, replace_open: bool = False) -> str:
        """Keep a new link (its digest only); with `replace_open`, open links of its kind close."""

        def write(conn: Connection) -> str:
            pid = self._profile_id(conn, profile)
            if replace_open:
                self._close_open_links(conn, pid, link.kind, link.created)
            return self._insert_link(conn, pid, link)

        return self._run(write)

    def _insert_link(self, conn: Connection, pid: int, link: Link) -> str:
        link_id = new_id()
        values = row_values(link, LINK_COLUMNS)
        conn.execute(insert(links_t).values(id=link_id, profile_id=pid, **values))
        return link_id

    def _close_open_links(self, conn: Connection, pid: int, kind: str, now: datetime) -> int:
        query = (
            update(links_t)
            .where(
                links_t.c.profile_id == pid, links_t.c.kind == kind, links_t.c.closed_at.is_(None)
            )
            .values(closed_at=now)
        )
        return int(conn.execute(query).rowcount or 0)

    def close_links(self, profile: ProfileRef, kind: LinkKind, now: datetime) -> int:
        """Close the profile's open links of `kind`; how many were open."""

        def write(conn: Connection) -> int:
            return self._close_open_links(conn, self._profile_id(conn, profile), kind, now)

        return self._run(write)

    def links(self, profile: ProfileRef, kind: LinkKind) -> list[StoredLink]:
        """The profile's links of `kind`, newest first."""

        def read(conn: Connection) -> list[StoredLink]:
            pid = self._profile_id(conn, profile)
            query = (
                select(links_t)
                .where(links_t.c.profile_id == pid, links_t.c.kind == kind)
                .order_by(links_t.c.created_at.desc())
            )
            return [_link(r) for r in conn.execute(query)]

        return self._read(read)

    def _link_by_digest(self, conn: Connection, digest: str, lock: bool) -> StoredLink | None:
        query = select(links_t).where(links_t.c.token_hash == digest)
        if lock:
            query = query.with_for_update()
        row = conn.execute(query).first()
        return None if row is None else _link(row)

    def _profile_name(self, conn: Connection, pid: int) -> str:
        return str(self._profile_row(conn, pid).name)

    def by_token(self, digest: str) -> tuple[StoredLink, str, StoredRound | None] | None:
        """(link, manager's name, its round) for a token's digest; None when unknown."""

        def read(conn: Connection) -> tuple[StoredLink, str, StoredRound | None] | None:
            found = self._link_by_digest(conn, digest, lock=False)
            if found is None:
                return None
            return found, self._profile_name(conn, found.profile_id), self._link_round(conn, found)

        return self._read(read)

    def _link_round(self, conn: Connection, found: StoredLink) -> StoredRound | None:
        if found.link.kind != "pulse":
            return None
        row = conn.execute(select(rounds_t).where(rounds_t.c.link_id == found.id)).first()
        return None if row is None else _round(row)

    def submit(
        self,
        digest: str,
        now: datetime,
        decide: Callable[[Submission | None], T],
        store_row: Callable[[Connection, Submission, T], None],
    ) -> T:
        """Check then write in one transaction: `decide` raises to refuse, `store_row` writes.

        `decide` sees the link (None when unknown), its round, its recent accepted
        submissions and the round's batch sizes; an accepted submission is recorded
        as a hit, and hits older than the longest rate window are deleted.
        """

        def write(conn: Connection) -> T:
            found = self._link_by_digest(conn, digest, lock=True)
            if found is None:
                decide(None)
                raise NotFound("pulse.link.unknown_pulse")  # decide always refuses first
            conn.execute(delete(hits_t).where(hits_t.c.at < now - HITS_KEPT))
            hits = tuple(
                conn.execute(select(hits_t.c.at).where(hits_t.c.link_id == found.id)).scalars()
            )
            stored_round = self._link_round(conn, found)
            counts: dict[int, int] = {}
            if stored_round is not None:
                counts = self._batch_counts(conn, stored_round.round.id)
            row = self._profile_row(conn, found.profile_id)  # no second connection
            seen = Submission(found, str(row.name), str(row.timezone), stored_round, hits, counts)
            decision = decide(seen)
            store_row(conn, seen, decision)
            conn.execute(insert(hits_t).values(link_id=found.id, at=now))
            return decision

        return self._run(write)

    # ---- rounds and answers ---------------------------------------------------------------------

    def _batch_counts(self, conn: Connection, round_id: str) -> dict[int, int]:
        query = (
            select(answers_t.c.batch, func.count())
            .where(answers_t.c.round_id == round_id)
            .group_by(answers_t.c.batch)
        )
        return {int(b): int(n) for b, n in conn.execute(query)}

    def insert_answer(self, conn: Connection, round_id: str, answer: PulseAnswer) -> None:
        """One answer, inside a `submit` transaction."""
        self._insert_answers(conn, round_id, [answer])

    def _insert_answers(
        self, conn: Connection, round_id: str, answers: Sequence[PulseAnswer]
    ) -> None:
        rows = [
            {
                "id": new_id(),
                "round_id": round_id,
                "answered_on": a.day,
                "batch": a.batch,
                "scores": dict(a.scores),
                "texts": dict(a.texts),
            }
            for a in answers
        ]
        if rows:
            conn.execute(insert(answers_t), rows)

    def open_rounds(self, conn: Connection, pid: int, today: date) -> list[StoredRound]:
        query = select(rounds_t).where(
            rounds_t.c.profile_id == pid,
            rounds_t.c.closed_on.is_(None),
            rounds_t.c.closes_on >= today,
        )
        return [_round(r) for r in conn.execute(query)]

    def add_round(
        self,
        profile: ProfileRef,
        stored: StoredRound,
        link: Link | None,
        answers: Sequence[PulseAnswer] = (),
        *,
        today: date,
    ) -> StoredRound:
        """Keep a new round (with its link, or with an import's answers): one transaction.

        A link round is refused (`pulse.error.already_open`) while another round is open.
        """

        def write(conn: Connection) -> StoredRound:
            pid = self._profile_id(conn, profile)
            if link is not None and self.open_rounds(conn, pid, today):
                raise CoachError("pulse.error.already_open")
            link_id = self._insert_link(conn, pid, link) if link is not None else None
            r = stored.round
            pinned = {
                "playbook_id": stored.playbook_id,
                "playbook_version": stored.playbook_version,
                "questions": stored.pulse,
            }
            values = row_values(r, ROUND_COLUMNS) | pinned
            conn.execute(insert(rounds_t).values(profile_id=pid, link_id=link_id, **values))
            self._insert_answers(conn, r.id, answers)
            row = conn.execute(select(rounds_t).where(rounds_t.c.id == r.id)).one()
            return _round(row)

        return self._run(write)

    def close_round(self, profile: ProfileRef, today: date, now: datetime) -> StoredRound | None:
        """Close the profile's open round and its link; None when none was open."""

        def write(conn: Connection) -> StoredRound | None:
            pid = self._profile_id(conn, profile)
            found = self.open_rounds(conn, pid, today)
            if not found:
                return None
            for stored in found:
                conn.execute(
                    update(rounds_t).where(rounds_t.c.id == stored.round.id).values(closed_on=today)
                )
                if stored.link_id is not None:
                    conn.execute(
                        update(links_t)
                        .where(links_t.c.id == stored.link_id, links_t.c.closed_at.is_(None))
                        .values(closed_at=now)
                    )
            row = conn.execute(select(rounds_t).where(rounds_t.c.id == found[0].round.id)).one()
            return _round(row)

        return self._run(write)

    def rounds_with_answers(
        self, profile: ProfileRef
    ) -> list[tuple[StoredRound, list[PulseAnswer]]]:
        """Every round of the profile, oldest first, with its raw answers (for the service only)."""

        def read(conn: Connection) -> list[tuple[StoredRound, list[PulseAnswer]]]:
            pid = self._profile_id(conn, profile)
            by_date = (rounds_t.c.opened_on, rounds_t.c.id)
            found = [_round(r) for r in self._owned_rows(conn, rounds_t, pid, *by_date)]
            out = []
            for stored in found:
                rows = conn.execute(
                    select(answers_t).where(answers_t.c.round_id == stored.round.id)
                )
                out.append((stored, [_answer(r) for r in rows]))
            return out

        return self._read(read)

    # ---- inbox ----------------------------------------------------------------------------------

    def insert_question(self, conn: Connection, pid: int, question: InboxQuestion) -> None:
        """One question, inside a `submit` transaction."""
        values = row_values(question, QUESTION_COLUMNS)
        conn.execute(
            insert(questions_t).values(profile_id=pid, updated_at=question.received, **values)
        )

    def questions(self, profile: ProfileRef) -> list[InboxQuestion]:
        """The profile's questions, newest first."""

        def read(conn: Connection) -> list[InboxQuestion]:
            pid = self._profile_id(conn, profile)
            newest = (questions_t.c.received_at.desc(), questions_t.c.id)
            return [_question(r) for r in self._owned_rows(conn, questions_t, pid, *newest)]

        return self._read(read)

    def change_question(
        self,
        profile: ProfileRef,
        question_id: str,
        change: Callable[[InboxQuestion], InboxQuestion],
        now: datetime,
    ) -> InboxQuestion:
        """Read, change and write one question in one transaction (NotFound when unknown)."""

        def write(conn: Connection) -> InboxQuestion:
            pid = self._profile_id(conn, profile)
            row = conn.execute(
                select(questions_t)
                .where(questions_t.c.id == question_id, questions_t.c.profile_id == pid)
                .with_for_update()
            ).first()
            if row is None:
                raise NotFound("pulse.inbox.unknown_question")
            changed = change(_question(row))
            conn.execute(
                update(questions_t)
                .where(questions_t.c.id == question_id)
                .values(
                    state=changed.state,
                    answered_at=changed.answered_at,
                    answer=changed.answer,
                    updated_at=now,
                )
            )
            return changed

        return self._run(write)

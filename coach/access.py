"""Who may do what: users, organisations, roles, and the one decision about a profile.

Pure domain: no streamlit, no SQL. The application layer builds a `User` from
the signed-in person's claims and the store's memberships, builds a
`ProfileAccess` from the profile's owner and coach assignments, and asks
`decide(user, action, profile)` (or `require(...)`) before it touches anything.
Pages, exports, imports and caches never decide for themselves.

Rules:
- A user is keyed by the identity provider's issuer and subject (`iss` + `sub`);
  e-mail and name are labels, since e-mails change and get reused.
- Nobody ever reaches a profile of another organisation, whatever their role.
- A **manager** owns their profile: read, change, export, import, replace,
  delete (assigning coaches is the admin's).
- A **coach** reads, changes and exports the profiles assigned to them; they do
  not delete them or replace them wholesale by an import.
- An **admin** manages the organisation (users, roles, assignments, playbooks)
  and sees the list of its profiles to assign them, but not their content:
  being admin is not a licence to read a manager's coaching notes. An admin who
  also coaches a profile gets it through the assignment, like any coach. An
  admin may delete a profile (someone who left).
- In local mode (no sign-in configured) the one person at the keyboard is
  `LOCAL_USER`, owner of every profile of the local organisation: the app
  behaves exactly as before.

Extending (the employees' side): roles are data, stored as text one row per
membership, so an `employee` role is a new value, not a new column. Pulse
answers and inbox questions reach a profile through an unguessable link, not
through a user, and so never carry an identity; their actions join `Action`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from coach.errors import CoachError

LOCAL_ISSUER = "local"
LOCAL_ORG = "local"


class Role(StrEnum):
    MANAGER = "manager"
    COACH = "coach"
    ADMIN = "admin"


class Action(StrEnum):
    """What a use case is about to do to one profile."""

    READ = "read"  # snapshot, plan, check-ins, progress, board pack on screen
    CHANGE = "change"  # step states, goals, check-ins, assessment, settings
    EXPORT = "export"  # board pack files, profile JSON, CSV
    IMPORT = "import"  # platform exports and check-in files into the profile
    REPLACE = "replace"  # import a whole profile document over this one
    DELETE = "delete"
    ASSIGN = "assign"  # see the profile in the organisation's list, assign coaches


class Forbidden(CoachError):
    """The signed-in user may not do this. Says nothing about whether the profile exists."""


@dataclass(frozen=True, order=True)
class Identity:
    """The provider's key for a person: issuer and subject together."""

    issuer: str
    subject: str

    def __post_init__(self) -> None:
        if not self.issuer.strip() or not self.subject.strip():
            raise CoachError("access.error.no_identity")

    def __str__(self) -> str:
        return f"{self.issuer}#{self.subject}"


@dataclass(frozen=True)
class Organisation:
    key: str  # stable slug, e.g. "acme"
    name: str


@dataclass(frozen=True)
class User:
    """A signed-in person as the application layer sees them, in one organisation."""

    identity: Identity
    organisation: str  # Organisation.key
    roles: frozenset[Role] = frozenset()
    email: str = ""  # label only
    name: str = ""  # label only
    active: bool = True

    def has(self, role: Role) -> bool:
        return self.active and role in self.roles


@dataclass(frozen=True)
class ProfileAccess:
    """What the decision needs to know about one profile."""

    organisation: str
    owner: Identity | None  # the manager whose profile it is (None: not yet claimed)
    coaches: frozenset[Identity] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # why, for the audit log and tests: owner, coach, admin, other_org, ...

    def __bool__(self) -> bool:
        return self.allowed


OWNER_ACTIONS = frozenset(Action) - {Action.ASSIGN}
COACH_ACTIONS = frozenset({Action.READ, Action.CHANGE, Action.EXPORT, Action.IMPORT})
ADMIN_ACTIONS = frozenset({Action.ASSIGN, Action.DELETE})

LOCAL_USER = User(
    identity=Identity(LOCAL_ISSUER, "me"),
    organisation=LOCAL_ORG,
    roles=frozenset({Role.MANAGER, Role.ADMIN}),
)


def decide(user: User, action: Action, profile: ProfileAccess) -> Decision:
    """May `user` do `action` to this profile? One place, every front."""
    if not user.active:
        return Decision(False, "inactive")
    if user.organisation != profile.organisation:
        return Decision(False, "other_org")
    if profile.owner is not None and user.identity == profile.owner:
        return Decision(action in OWNER_ACTIONS, "owner")
    if user.has(Role.COACH) and user.identity in profile.coaches and action in COACH_ACTIONS:
        return Decision(True, "coach")
    if user.has(Role.ADMIN) and action in ADMIN_ACTIONS:
        return Decision(True, "admin")
    if user.identity == LOCAL_USER.identity and profile.organisation == LOCAL_ORG:
        return Decision(True, "local")
    return Decision(False, "not_yours")


def require(user: User, action: Action, profile: ProfileAccess) -> Decision:
    """`decide`, raising Forbidden when the answer is no."""
    decision = decide(user, action, profile)
    if not decision:
        raise Forbidden("access.error.forbidden")
    return decision


def visible(
    user: User, profiles: Iterable[tuple[str, ProfileAccess]], action: Action = Action.READ
) -> list[str]:
    """The keys of the profiles `user` may `action`, in the given order (lists, portfolio)."""
    return [key for key, access in profiles if decide(user, action, access)]


def may_manage_organisation(user: User, organisation: str) -> bool:
    """Users, roles, assignments and playbooks of `organisation`: its admins only."""
    return user.organisation == organisation and user.has(Role.ADMIN)


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    """Roles as stored (text, one per membership row); an unknown one is an error, not ignored."""
    roles = set()
    for value in values:
        try:
            roles.add(Role(value.strip().lower()))
        except ValueError:
            raise CoachError("access.error.unknown_role", role=value) from None
    return frozenset(roles)


def identity_from_claims(claims: Mapping[str, object]) -> Identity:
    """The identity in an ID token's claims (st.user): `iss` and `sub`, never the e-mail."""
    issuer = claims.get("iss")
    subject = claims.get("sub")
    if not isinstance(issuer, str) or not isinstance(subject, str):
        raise CoachError("access.error.no_identity")
    return Identity(issuer, subject)  # compared exactly, as OpenID Connect requires


def labels_from_claims(claims: Mapping[str, object]) -> tuple[str, str]:
    """E-mail and display name from the claims, for labels only (empty when absent).

    Microsoft Entra ID sends `email` only when configured as an optional claim;
    its `preferred_username` (usually the sign-in address) stands in for it.
    """
    email = claims.get("email") or claims.get("preferred_username")
    name = claims.get("name")
    email = email.strip().lower() if isinstance(email, str) else ""
    name = name.strip() if isinstance(name, str) else ""
    return email, name or email

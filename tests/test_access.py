"""Who may read or change a profile: owner, assigned coach, admin, other organisation, local mode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach import access
from coach.access import Action, Forbidden, Identity, ProfileAccess, Role, User
from coach.errors import CoachError

ISSUER = "https://login.example.com/tenant-1/v2.0"
OTHER_ISSUER = "https://accounts.other.example"


def person(sub: str, *roles: Role, org: str = "acme", issuer: str = ISSUER, **labels) -> User:
    return User(Identity(issuer, sub), org, frozenset(roles), **labels)


ANNE = person("anne", Role.MANAGER, email="anne@acme.example")
BRUNO = person("bruno", Role.MANAGER)
CLAIRE = person("claire", Role.COACH)  # coaches Anne only
DAVID = person("david", Role.ADMIN)
EVE = person("eve", Role.MANAGER, Role.COACH, Role.ADMIN, org="globex")

ANNE_PROFILE = ProfileAccess("acme", ANNE.identity, frozenset({CLAIRE.identity}))
BRUNO_PROFILE = ProfileAccess("acme", BRUNO.identity)


def test_a_manager_does_everything_to_their_own_profile_but_assign_coaches():
    for action in Action:
        expected = action is not Action.ASSIGN
        assert bool(access.decide(ANNE, action, ANNE_PROFILE)) is expected, action
    assert access.decide(ANNE, Action.READ, ANNE_PROFILE).reason == "owner"


@pytest.mark.parametrize("action", list(Action))
def test_a_manager_never_reaches_another_managers_profile(action):
    decision = access.decide(ANNE, action, BRUNO_PROFILE)
    assert not decision
    assert decision.reason == "not_yours"
    with pytest.raises(Forbidden):
        access.require(ANNE, action, BRUNO_PROFILE)


def test_a_coach_reads_changes_exports_and_imports_only_assigned_profiles():
    for action in (Action.READ, Action.CHANGE, Action.EXPORT, Action.IMPORT):
        assert access.decide(CLAIRE, action, ANNE_PROFILE).reason == "coach"
        assert not access.decide(CLAIRE, action, BRUNO_PROFILE)
    for action in (Action.DELETE, Action.REPLACE, Action.ASSIGN):
        assert not access.decide(CLAIRE, action, ANNE_PROFILE)


def test_being_assigned_is_not_enough_without_the_coach_role():
    former = person("claire", Role.MANAGER)  # same person, coach role removed
    assert not access.decide(former, Action.READ, ANNE_PROFILE)


def test_an_admin_manages_the_organisation_but_does_not_read_profiles():
    assert access.decide(DAVID, Action.ASSIGN, ANNE_PROFILE).reason == "admin"
    assert access.decide(DAVID, Action.DELETE, ANNE_PROFILE)
    for action in (Action.READ, Action.CHANGE, Action.EXPORT, Action.IMPORT, Action.REPLACE):
        assert not access.decide(DAVID, action, ANNE_PROFILE)
    assert access.may_manage_organisation(DAVID, "acme")
    assert not access.may_manage_organisation(CLAIRE, "acme")
    assert not access.may_manage_organisation(DAVID, "globex")


@pytest.mark.parametrize("action", list(Action))
def test_no_role_crosses_organisations(action):
    globex_coach_of_anne = ProfileAccess("acme", ANNE.identity, frozenset({EVE.identity}))
    decision = access.decide(EVE, action, globex_coach_of_anne)
    assert not decision and decision.reason == "other_org"


def test_the_same_subject_from_another_issuer_is_another_person():
    impostor = person("anne", Role.MANAGER, issuer=OTHER_ISSUER)
    assert not access.decide(impostor, Action.READ, ANNE_PROFILE)


def test_the_same_email_is_not_the_same_person():
    new_anne = person("anne-2", Role.MANAGER, email="anne@acme.example")
    assert new_anne.email == ANNE.email
    assert not access.decide(new_anne, Action.READ, ANNE_PROFILE)


def test_a_deactivated_user_can_do_nothing_even_to_their_own_profile():
    gone = User(ANNE.identity, "acme", frozenset({Role.MANAGER}), active=False)
    decision = access.decide(gone, Action.READ, ANNE_PROFILE)
    assert not decision and decision.reason == "inactive"


def test_an_unclaimed_profile_is_nobodys_but_assignable():
    unclaimed = ProfileAccess("acme", None)
    assert not access.decide(ANNE, Action.READ, unclaimed)
    assert access.decide(DAVID, Action.ASSIGN, unclaimed)


def test_local_mode_is_one_person_who_owns_everything_local():
    local_profile = ProfileAccess(access.LOCAL_ORG, None)
    for action in Action:
        assert access.decide(access.LOCAL_USER, action, local_profile)
    assert not access.decide(access.LOCAL_USER, Action.READ, ANNE_PROFILE)


def test_visible_lists_only_what_the_user_may_read_in_order():
    profiles = [("bruno", BRUNO_PROFILE), ("anne", ANNE_PROFILE)]
    assert access.visible(CLAIRE, profiles) == ["anne"]
    assert access.visible(BRUNO, profiles) == ["bruno"]
    assert access.visible(DAVID, profiles) == []
    assert access.visible(DAVID, profiles, Action.ASSIGN) == ["bruno", "anne"]


def test_identity_comes_from_issuer_and_subject_never_from_the_email():
    claims = {"iss": ISSUER, "sub": "anne", "email": " Anne@ACME.example ", "name": "Anne"}
    assert access.identity_from_claims(claims) == ANNE.identity
    assert access.labels_from_claims(claims) == ("anne@acme.example", "Anne")
    assert access.labels_from_claims({"email": "x@y.example"}) == ("x@y.example", "x@y.example")
    entra = {"iss": ISSUER, "sub": "k3", "preferred_username": "Kim@Acme.example", "name": "Kim"}
    assert access.labels_from_claims(entra) == ("kim@acme.example", "Kim")
    for broken in ({"sub": "anne"}, {"iss": ISSUER}, {"iss": ISSUER, "sub": "  "}, {}):
        with pytest.raises(CoachError) as caught:
            access.identity_from_claims(broken)
        assert caught.value.key == "access.error.no_identity"


def test_roles_are_read_from_text_and_an_unknown_one_is_refused():
    assert access.parse_roles(["Coach", " admin"]) == {Role.COACH, Role.ADMIN}
    with pytest.raises(CoachError) as caught:
        access.parse_roles(["manager", "boss"])
    assert "boss" in caught.value.message("en")
    assert "boss" in caught.value.message("fr")


def test_refusals_read_well_in_both_languages_and_do_not_reveal_the_profile():
    with pytest.raises(Forbidden) as caught:
        access.require(ANNE, Action.READ, BRUNO_PROFILE)
    english, french = caught.value.message("en"), caught.value.message("fr")
    assert english.startswith("This profile is not available to you.")
    assert french.startswith("Ce profil ne vous est pas accessible.")
    assert "bruno" not in english + french


def test_the_access_module_is_pure_domain():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(access))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[0] in {"streamlit", "sqlalchemy"}}


# ---- property: nobody reaches a profile that is neither theirs nor assigned to them ----------

subjects = st.sampled_from(["anne", "bruno", "claire", "david"])
issuers = st.sampled_from([ISSUER, OTHER_ISSUER])
orgs = st.sampled_from(["acme", "globex"])
identities = st.builds(Identity, issuers, subjects)
users = st.builds(
    User,
    identities,
    orgs,
    st.frozensets(st.sampled_from(list(Role))),
    active=st.booleans(),
)
profiles = st.builds(
    ProfileAccess, orgs, st.none() | identities, st.frozensets(identities, max_size=3)
)
CONTENT = (Action.READ, Action.CHANGE, Action.EXPORT, Action.IMPORT, Action.REPLACE)


@given(users, profiles, st.sampled_from(CONTENT))
def test_profile_content_is_reached_only_by_its_owner_or_an_assigned_coach(user, profile, action):
    allowed = bool(access.decide(user, action, profile))
    is_owner = profile.owner == user.identity
    is_coach = Role.COACH in user.roles and user.identity in profile.coaches
    same_org = user.organisation == profile.organisation
    if allowed:
        assert (
            user.active and same_org and (is_owner or (is_coach and action is not Action.REPLACE))
        )

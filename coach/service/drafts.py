"""Before you post, what a profile keeps: its own "never say" list and the drafts saved to it.

Every review of a profile's draft looks for the profile's list (`review_post`, which the page
and `python -m coach review --profile` use). A draft is stored only when the manager saves it,
with the verdict the review gives it then. Nothing written here can erase someone else's
work: the list changes phrase by phrase, and a saved draft is changed or deleted only at the
version the person opened (`review.saved.changed` otherwise, and nothing is written).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypedDict, Unpack

from coach import clock
from coach.model import Playbook
from coach.records import PostDraft, ProfileRef, Store
from coach.review import Review
from coach.service.focus import review_draft

__all__ = [
    "ReviewOptions",
    "add_never_say",
    "delete_post_draft",
    "never_say_list",
    "open_post_draft",
    "post_drafts",
    "remove_never_say",
    "review_post",
    "save_post_draft",
]


class ReviewOptions(TypedDict, total=False):
    never_say: Sequence[str]  # phrases for this review only, on top of the stored list
    playbook: Playbook | None  # the profile's, already loaded (else found from its id)


def never_say_list(store: Store, profile: ProfileRef) -> list[str]:
    """The profile's own "never say" phrases, in the order they were added."""
    return store.never_say(profile)


def add_never_say(store: Store, profile: ProfileRef, phrases: Sequence[str]) -> list[str]:
    """Add phrases to the profile's list; the ones that were not on it yet.

    Only what is added is written: a phrase someone else added meanwhile stays. An empty,
    too long or multi-line phrase, or a full list, is InvalidInput and writes nothing.
    """
    return store.add_never_say(profile, phrases)


def remove_never_say(store: Store, profile: ProfileRef, phrase: str) -> bool:
    """Take one phrase off the list; False when someone already had."""
    return store.remove_never_say(profile, phrase)


def review_post(
    store: Store,
    profile: ProfileRef | None,
    text: str,
    network: str,
    lang: str,
    **more: Unpack[ReviewOptions],
) -> Review:
    """A draft reviewed as `review_draft` does, with the profile's stored never-say list.

    Without a profile, the default playbook and no stored list. Writes nothing.
    """
    phrases = [
        *(store.never_say(profile) if profile is not None else ()),
        *more.get("never_say", ()),
    ]
    book = more.get("playbook")
    return review_draft(store, profile, text, network, lang, never_say=phrases, playbook=book)


def save_post_draft(
    store: Store,
    profile: ProfileRef,
    text: str,
    network: str,
    over: PostDraft | None = None,
    **more: Unpack[ReviewOptions],
) -> PostDraft:
    """Save a draft to the profile with the verdict the review gives it now.

    A new draft, or the saved draft `over` (as it was opened) changed, only if nobody
    changed it since (CoachError `review.saved.changed` otherwise: nothing is written).
    """
    # the messages' language changes no verdict: any will do
    verdict = review_post(store, profile, text, network, "en", **more).verdict
    draft = PostDraft(text, network, verdict, clock.now())
    if over is not None:
        draft = dataclasses.replace(draft, id=over.id, version=over.version)
    return store.save_post_draft(profile, draft)


def post_drafts(store: Store, profile: ProfileRef) -> list[PostDraft]:
    """The drafts saved to the profile, the latest first."""
    return store.post_drafts(profile)


def open_post_draft(store: Store, profile: ProfileRef, draft_id: int) -> PostDraft:
    """One saved draft, to put back in the editor; NotFound when it was deleted."""
    return store.get_post_draft(profile, draft_id)


def delete_post_draft(store: Store, profile: ProfileRef, draft: PostDraft) -> None:
    """Delete a saved draft, if nobody changed it since it was listed."""
    store.delete_post_draft(profile, draft)

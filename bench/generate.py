"""Synthetic playbooks for benchmarks and property tests (deterministic for a seed)."""

from __future__ import annotations

import random
from typing import Any


def _text(label: str) -> dict[str, str]:
    return {"fr": f"{label} (fr)", "en": f"{label} (en)"}


def synthetic_playbook(
    actions: int = 1000, questions: int = 300, dimensions: int = 10, seed: int = 7
) -> dict[str, Any]:
    """A valid playbook document of the requested size, with dependencies and conditions."""
    rng = random.Random(seed)
    dims = [f"d{i}" for i in range(dimensions)]
    doc: dict[str, Any] = {
        "id": "synthetic",
        "version": "1",
        "languages": ["fr", "en"],
        "title": _text("Synthetic"),
        "description": _text("Generated"),
        "levels": [
            {"level": n, "name": _text(f"L{n}"), "description": _text(f"Level {n}"), "min_score": s}
            for n, s in zip(range(1, 6), (0, 20, 40, 60, 80), strict=True)
        ],
        "dimensions": [{"id": d, "title": _text(d), "description": _text(d)} for d in dims],
        "questions": [],
        "actions": [],
        "goals": [
            {
                "id": "posts",
                "title": _text("Posts"),
                "description": _text("Posts"),
                "metric": "posts",
                "unit": _text("posts"),
                "direction": "at_least",
                "targets": {1: 1, 2: 1, 3: 2, 4: 3, 5: 3},
            }
        ],
    }
    options = [{"id": f"o{k}", "label": _text(f"o{k}"), "score": k / 3} for k in range(4)]
    for i in range(questions):
        question = {
            "id": f"q{i}",
            "dimension": dims[i % dimensions],
            "type": "single",
            "text": _text(f"Q{i}"),
            "options": options,
        }
        if i and rng.random() < 0.2:
            question["show_if"] = {"answer": f"q{rng.randrange(i)}", "in": ["o1", "o2", "o3"]}
        doc["questions"].append(question)
    for i in range(actions):
        action = {
            "id": f"a{i}",
            "dimension": dims[i % dimensions],
            "level": 1 + i % 5,
            "title": _text(f"A{i}"),
            "why": _text("why"),
            "how": [_text("step one"), _text("step two")],
            "effort_hours": rng.choice([0.5, 1, 2, 3, 4, 6, 8]),
            "duration_weeks": rng.choice([1, 1, 2, 3, 4]),
            "starter": _text("start"),
            "quick_win": rng.random() < 0.2,
            "when": {
                "any": [
                    {"answer": f"q{rng.randrange(questions)}", "in": ["o0", "o1"]},
                    {"score": dims[i % dimensions], "lt": 70},
                ]
            },
        }
        if i and rng.random() < 0.5:
            action["depends_on"] = sorted(
                {f"a{rng.randrange(i)}" for _ in range(rng.randint(1, 3))}
            )
        doc["actions"].append(action)
    return doc


def synthetic_answers(doc: dict[str, Any], seed: int = 7) -> dict[str, str]:
    rng = random.Random(seed)
    return {q["id"]: f"o{rng.randrange(4)}" for q in doc["questions"]}

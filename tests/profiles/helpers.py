"""Form posts of the profile steps, as a browser sends them."""

from __future__ import annotations

ABOUT_FORM = {
    "job_title": "Data analyst",
    "department": "Operations",
    "level": "2",
    "location": "Lisbon",
    "timezone": "Europe/Lisbon",
    "languages": "Portuguese, English",
    "interests": "Climbing, podcasts",
    "resource_groups": "",
    "bio": "",
    "shared": ["job_title", "department"],
}


def rows_form(prefix: str, rows: list[tuple], **extra) -> dict:
    """A post of the offers or gaps step: rows of (skill, rating, text)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    for index, (skill, rating, text) in enumerate(rows):
        data[f"{prefix}-{index}-skill"] = skill
        if rating is not None:
            data[f"{prefix}-{index}-rating"] = str(rating)
        data[f"{prefix}-{index}-text"] = text
    return {**data, **extra}


PRACTICALITIES_FORM = {"meeting_mode": "video", "cadence_days": "14", "availability": ""}

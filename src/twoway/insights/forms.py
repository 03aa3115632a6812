"""The health dashboard's sort and filter controls, read from GET parameters."""

from __future__ import annotations

from django import forms

from twoway.insights.selectors.health import FLAG_FILTERS, SORTS, STATUS_FILTERS


class HealthFilterForm(forms.Form):
    sort = forms.ChoiceField(label="Sort", choices=list(SORTS.items()), required=False)
    flag = forms.ChoiceField(label="Flag", choices=list(FLAG_FILTERS.items()), required=False)
    status = forms.ChoiceField(label="Status", choices=list(STATUS_FILTERS.items()), required=False)

    def choices_made(self) -> dict[str, str]:
        """The valid choices; a bad one (a hand-edited address) falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "sort": data.get("sort") or "flags",
            "flag": data.get("flag") or "",
            "status": data.get("status") or "",
        }

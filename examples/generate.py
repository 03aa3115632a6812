"""Regenerate the example inputs deterministically from the synthetic organisation.

.venv/bin/python examples/generate.py
"""

from pathlib import Path

from twoway.matching.formats import input_to_csv, input_to_json
from twoway.matching.synthetic import generate_organisation

HERE = Path(__file__).resolve().parent


def main() -> None:
    (HERE / "org-240.json").write_text(input_to_json(generate_organisation(240, seed=7)), "utf-8")
    (HERE / "org-60.csv").write_text(input_to_csv(generate_organisation(60, seed=11)), "utf-8")


if __name__ == "__main__":
    main()

"""Does Finnish analysis improve the likely-duplicate hint? Prints precision and recall.

    python bench/duplicates.py

Compares, on bench/duplicate_pairs.yml, the hint kehto uses (character similarity of the
normalised titles, difflib ratio >= 0.9) with a hint on base forms (the titles' words
reduced to base forms by Voikko, as sets; Jaccard similarity >= a threshold).
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from kehto import finnish, yamlio  # noqa: E402
from kehto.validate import DUPLICATE_RATIO, normalise_title  # noqa: E402


def current(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, normalise_title(a), normalise_title(b)).ratio() >= DUPLICATE_RATIO


def base_forms(analyser: finnish.Analyser, title: str) -> set[str]:
    words = [w.lower() for w in re.findall(r"[A-Za-zÅÄÖåäö]+", title) if len(w) >= 3]
    out = set()
    for word in words:
        import pyvoikko

        analyses = pyvoikko.analyse(word)
        out.add(analyses[0].BASEFORM.replace("=", "").lower() if analyses else word)
    return out


def with_analysis(analyser, threshold: float):
    def same(a: str, b: str) -> bool:
        x, y = base_forms(analyser, a), base_forms(analyser, b)
        return len(x & y) / len(x | y) >= threshold if x | y else False
    return same


def truncated(threshold: float, length: int = 6):
    """Words cut to their first letters (a crude Finnish stem), as sets; Jaccard >= threshold."""
    def stems(title: str) -> set[str]:
        return {w[:length] for w in re.findall(r"[a-zåäö]+", title.lower()) if len(w) >= 3}

    def same(a: str, b: str) -> bool:
        x, y = stems(a), stems(b)
        return len(x & y) / len(x | y) >= threshold if x | y else False
    return same


def score(pairs, method) -> tuple[float, float]:
    predicted = [(method(p["a"], p["b"]), p["same"]) for p in pairs]
    true_pos = sum(1 for guess, truth in predicted if guess and truth)
    flagged = sum(1 for guess, _ in predicted if guess)
    actual = sum(1 for _, truth in predicted if truth)
    return (true_pos / flagged if flagged else 1.0), true_pos / actual


def main() -> None:
    pairs = yamlio.parse((REPO / "bench/duplicate_pairs.yml").read_text(encoding="utf-8")).data
    analyser = finnish.Analyser(None)
    print("| hint | precision | recall |\n|---|---:|---:|")
    precision, recall = score(pairs, current)
    print(f"| normalised title, difflib ratio >= {DUPLICATE_RATIO} (kehto today) | {precision:.2f} | {recall:.2f} |")
    for threshold in (1.0, 0.75, 0.6):
        precision, recall = score(pairs, with_analysis(analyser, threshold))
        print(f"| base forms of the title words (Voikko), Jaccard >= {threshold} | {precision:.2f} | {recall:.2f} |")
    for threshold in (0.75, 0.6):
        precision, recall = score(pairs, truncated(threshold))
        print(f"| first 6 letters of the title words, Jaccard >= {threshold} | {precision:.2f} | {recall:.2f} |")


if __name__ == "__main__":
    main()

"""Search snippets read as text: one window inside one field, matches marked once, no title glued on."""

from __future__ import annotations

from methodic import Chronicle
from methodic_server.store.snippets import WINDOW_WORDS, make_snippet

TAKEAWAYS = {
    "summary": "lr=0.05 converged: final loss 1.2e-05 after a crash and a resume from checkpoint",
    "key_findings": ["checkpoint resume lost no steps", "higher learning rate converged"],
}


def test_the_best_field_is_shown_with_adjacent_matches_marked_once() -> None:
    text = "\n".join([TAKEAWAYS["summary"], *TAKEAWAYS["key_findings"]])
    assert make_snippet(text, TAKEAWAYS["summary"], ["learning", "rate", "converged"]) == (
        "higher **learning rate converged**"
    )


def test_a_long_field_is_cut_around_its_matches_with_ellipses_and_stems_are_marked() -> None:
    words = [f"w{i}" for i in range(100)] + ["the", "learning", "rate,", "converged."] + [f"x{i}" for i in range(50)]
    snippet = make_snippet(" ".join(words), "title", ["learning", "rate", "converge"])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "the **learning rate**, **converged**." in snippet
    assert len(snippet.split()) <= WINDOW_WORDS + 2


def test_no_repeated_fields_and_no_title_only_fields() -> None:
    text = "Spiky loss\nthe loss spikes at step 40\nthe loss spikes at step 40"
    assert make_snippet(text, "Spiky loss", ["spikes"]) == "the loss **spikes** at step 40"
    assert make_snippet("Only a title", "Only a title", ["title"]) == "Only a **title**"  # all there is
    assert make_snippet("", "t", ["x"]) == ""


def test_search_results_over_http_carry_the_readable_snippet(client: Chronicle) -> None:
    client.assets.create_inline(asset_type="takeaways_report", content=TAKEAWAYS)
    hits = client.search.query("learning rate converged", filters={"asset_types": ["takeaways_report"]})
    assert [h.snippet for h in hits.results] == ["higher **learning rate converged**"]

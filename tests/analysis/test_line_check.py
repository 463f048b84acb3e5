"""The line check: what a take said against the line it was meant to say."""

from __future__ import annotations

import pytest

from closer_desktop.analysis.line_check import Change, LineMatch, check_line, number_words, words_of

LINE = "What are the next steps in your hiring process?"


def test_the_whole_line_said_is_a_full_match() -> None:
    match = check_line("What are the next steps in your hiring process?", LINE, ["next steps"])
    assert match.score == 1.0 and not (match.missed or match.changed or match.added)
    assert match.key_missed == () and not match.different
    assert match.summary() == "All of the line, in order."


def test_hesitations_punctuation_and_case_cost_nothing() -> None:
    said = "Um, what are the, uh, NEXT steps in your hiring process"
    assert check_line(said, LINE).score == 1.0


def test_missed_changed_and_added_words_are_named() -> None:
    said = "So what are the next stages in your process"
    match = check_line(said, LINE, ["next steps"])
    assert match.missed == ("hiring",)
    assert match.changed == (Change(said="stages", expected="steps"),)
    assert match.added == ("so",)
    assert match.key_missed == ("next steps",)  # said whatever the score
    # The line's content words: next, steps, hiring, process; "steps" and "hiring" not said.
    assert match.score == pytest.approx(2 / 4)
    assert "Left out: \u201cnext steps\u201d" in match.summary()


def test_reordered_words_score_lower_than_the_line_in_order() -> None:
    reordered = check_line("In your hiring process what are the next steps", LINE)
    assert reordered.score < 1.0 and reordered.missed and reordered.added


def test_contractions_and_numbers_are_normalised() -> None:
    said = " ".join(words_of("I'm sure it's what we'd want; don't you?"))
    assert said == "i am sure it is what we would want do not you"
    numbers = " ".join(words_of("In 2 weeks, or 1,500 days"))
    assert numbers == "in two weeks or one thousand five hundred days"
    assert number_words(305) == "three hundred five"
    line = "I am glad I have two more weeks"
    assert check_line("I'm glad I've 2 more weeks", line).score == 1.0


def test_a_different_question_is_called_that_not_a_percentage() -> None:
    other = "When do you expect to make a decision?"
    match = check_line("When do you expect to make a decision", LINE, other_lines=[LINE, other])
    assert match.different and match.other_line == other
    assert "another line of the deck" in match.summary() and "%" not in match.summary()
    unrelated = check_line("I really enjoyed the tour of the office today", LINE)
    assert unrelated.different and unrelated.other_line is None
    assert unrelated.summary() == "That was a different question entirely."


def test_a_key_phrase_reworded_by_one_word_still_counts() -> None:
    match = check_line("what are the next few steps", LINE, ["next steps", "hiring process"])
    assert match.key_missed == ("hiring process",)


def test_silence_is_no_match_but_not_a_different_question() -> None:
    match = check_line("", LINE)
    assert match.score == 0.0 and not match.different and len(match.missed) == len(words_of(LINE))


def test_json_round_trip() -> None:
    match = check_line("what are the next stages", LINE, ["next steps"])
    data = match.to_json()
    assert set(data) >= {"score", "missed", "changed", "added", "key_missed"}
    assert data["changed"] == [{"said": "stages", "expected": "steps"}]
    assert LineMatch.from_json(data) == match


def test_an_answer_cut_short_is_not_a_different_question() -> None:
    """Ended early ("What are the next..."), a take says a quarter of the line and nothing
    else: a low match, not another question."""
    other = "When will you be making a decision?"
    match = check_line("What are the next", LINE, other_lines=[LINE, other])
    assert not match.different and match.score == 0.25
    assert "25 % of the line" in match.summary()


def test_a_changed_small_word_is_not_called_the_whole_line() -> None:
    match = check_line("What are the next steps of your hiring process", LINE)
    assert match.score == 1.0 and match.changed == (Change(said="of", expected="in"),)
    assert match.summary() == "Every word that carries the line, in order (1 small word differs)."

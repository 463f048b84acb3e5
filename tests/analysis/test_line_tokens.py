"""The line check laid back on the line as written: each written word (its capitals,
punctuation and contractions) takes the alignment steps of the normalised words it stands for."""

from __future__ import annotations

from closer_desktop.analysis.line_check import LineMatch, LineToken, check_line, line_tokens

LINE = "Based on my background, how well do I fit the profile you're looking for? Don't stop at 5."


def test_each_written_word_is_marked_as_written() -> None:
    said = "so based on my experience how well do I fit the profile you are for do stop at five"
    tokens = line_tokens(check_line(said, LINE), LINE)
    assert tokens is not None
    assert [t.text for t in tokens] == LINE.split()  # the deck's wording, nothing normalised
    marks = {t.text: (t.kind, t.said) for t in tokens}
    assert marks["Based"] == ("said", "")  # said in lower case: still the line's capital
    assert marks["background,"] == ("changed", "experience")
    assert marks["you're"] == ("said", "")  # "you are" is the contraction said in full
    assert marks["looking"] == ("missed", "")
    assert marks["Don't"] == ("changed", "do")  # half of it said: what was said for it
    assert marks["5."] == ("said", "")  # "five" is the number


def test_words_that_carry_nothing_compared_stay_plain() -> None:
    line = "So \u2014 what are the next steps?"
    tokens = line_tokens(check_line("so what are the next steps", line), line)
    assert tokens is not None
    assert LineToken("\u2014", "plain") in tokens
    assert all(t.kind in ("said", "plain") for t in tokens)


def test_no_alignment_or_another_wording_gives_nothing_to_mark() -> None:
    stored = LineMatch.from_json(check_line("what are the steps", LINE).to_json())
    assert line_tokens(stored, LINE) is None  # read back from storage: no steps
    match = check_line("what are the next steps", "What are the next steps?")
    assert line_tokens(match, LINE) is None  # checked against another wording

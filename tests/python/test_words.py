"""The terminal's pace words follow the same table as the page's (tests/fixtures/pace-words.json)."""

import json
from pathlib import Path

import pytest

from backend.words import amount, duration, pace_text, parse_iso, percent, status_label

TABLE = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "pace-words.json").read_text())
NOW = parse_iso(TABLE["now"]).timestamp()


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["name"] for c in TABLE["cases"]])
def test_pace_words_match_the_shared_table(case):
    assert pace_text(case["quota"], NOW) == case["text"]


@pytest.mark.parametrize("seconds, text", [(0, "0 s"), (125, "2 min 5 s"), (300, "5 min"), (600, "10 min"), (8040, "2 h 14 min"),
                                           (36000, "10 h"), (86400, "1 d"), (144000, "1 d 16 h"),
                                           (39 * 86400 + 4 * 3600, "39 days")])
def test_durations_round_like_a_person(seconds, text):
    assert duration(seconds) == text


def test_amounts_percent_and_labels():
    assert (amount(31.2745, "usd"), amount(231, "ai_credits"), amount(37, "percent")) == ("$31.27", "231 credits", "37 %")
    assert (percent(62.5), percent(4.25), percent(None)) == ("63 %", "4.3 %", "—")
    assert status_label({"status": "critical", "remaining": 0, "kind": "window"}) == "Limit reached"
    assert status_label({"status": "warning", "remaining": 3}) == "Watch it"

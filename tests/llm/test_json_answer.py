from id_card_scan.llm.json_answer import parse_json_object


def test_plain_object() -> None:
    assert parse_json_object('{"id_number": "079094012345"}') == {"id_number": "079094012345"}


def test_object_wrapped_in_prose_and_fences() -> None:
    content = 'Here it is:\n```json\n{"full_name": "NGUYỄN VĂN A", "sex": null}\n```'
    assert parse_json_object(content) == {"full_name": "NGUYỄN VĂN A", "sex": None}


def test_raw_newline_inside_a_string_does_not_lose_the_answer() -> None:
    content = '{"address": "Phường Bến Nghé,\nQuận 1"}'
    assert parse_json_object(content) == {"address": "Phường Bến Nghé,\nQuận 1"}


def test_no_object_gives_none() -> None:
    assert parse_json_object("I cannot read this card.") is None
    assert parse_json_object('["a", "b"]') is None
    assert parse_json_object('{"unterminated": "') is None


def test_first_valid_object_after_broken_braces() -> None:
    assert parse_json_object('{oops} then {"a": "b"}') == {"a": "b"}


def test_answer_cut_off_by_max_tokens_keeps_the_complete_pairs() -> None:
    content = '{"id_number": "079094012345", "sex": null, "address": "Phường Bến Nghé, 1.13.20'
    assert parse_json_object(content) == {"id_number": "079094012345", "sex": None}


def test_answer_cut_off_before_any_value_gives_none() -> None:
    assert parse_json_object('{"id_number": "0790') is None


def test_an_answer_of_braces_is_parsed_from_a_bounded_number_of_starts() -> None:
    # Tried from every brace, 60,000 of them cost minutes; from a few, no time at all.
    assert parse_json_object("{" * 60_000) is None
    assert parse_json_object("{ " * 40 + '{"id_number": "1"}') is None  # past the starts tried

from fastapi import FastAPI
from fastapi.testclient import TestClient

from storo_platform.cards import (
    REDACTED,
    looks_like_card_number,
    passes_luhn,
    redact_card_numbers,
)
from storo_platform.problems import install_problem_handlers

VISA_TEST_CARD = "4111111111111111"


class TestLuhn:
    def test_published_test_card_numbers_pass(self) -> None:
        for pan in (VISA_TEST_CARD, "5555555555554444", "378282246310005"):
            assert passes_luhn(pan)

    def test_one_changed_digit_fails(self) -> None:
        assert not passes_luhn("4111111111111112")


class TestRedaction:
    def test_a_card_number_is_redacted_wherever_it_stands(self) -> None:
        text = f"/v1/bins/{VISA_TEST_CARD}?x=1"
        assert redact_card_numbers(text) == f"/v1/bins/{REDACTED}?x=1"

    def test_grouped_digits_as_people_type_them_are_redacted(self) -> None:
        assert redact_card_numbers("card 4111 1111 1111 1111 ok") == (
            f"card {REDACTED} ok"
        )
        assert looks_like_card_number("4111-1111-1111-1111")

    def test_digits_that_are_not_a_card_number_stay(self) -> None:
        for text in ("account 62001234567", "4111111111111112", "411111", "123"):
            assert redact_card_numbers(text) == text

    def test_a_card_number_inside_a_longer_digit_run_is_not_guessed_at(self) -> None:
        run = "9" + VISA_TEST_CARD + "99999"  # 22 digits: no PAN has that length
        assert redact_card_numbers(run) == run


class TestProblemInstance:
    def test_a_pasted_card_number_is_not_echoed_in_the_problem(self) -> None:
        app = FastAPI()
        install_problem_handlers(app)
        with TestClient(app) as client:
            answer = client.get(f"/v1/nothing-here/{VISA_TEST_CARD}")
        assert answer.status_code == 404
        assert VISA_TEST_CARD not in answer.text
        assert answer.json()["instance"] == f"/v1/nothing-here/{REDACTED}"

from __future__ import annotations

import pytest

import storo_specs
from gen_models import OUT, generate
from storo_specs.models import EVENT_MODELS, TransfersStatusChangedV1, parse_data
from tests.conftest import FIXTURES, load


class TestModels:
    def test_committed_models_match_a_fresh_generation(self):
        assert OUT.read_text() == generate(), "run `make models` and commit"

    def test_every_event_type_has_a_model(self):
        assert set(EVENT_MODELS) == set(storo_specs.event_types())

    @pytest.mark.parametrize(
        "path", sorted((FIXTURES / "events/valid").glob("*.json")), ids=lambda p: p.stem
    )
    def test_every_valid_payload_parses(self, path):
        envelope = load(path)
        model = parse_data(envelope)
        assert type(model) is EVENT_MODELS[(envelope["type"], envelope["v"])]

    def test_reserved_word_field_is_aliased(self):
        envelope = load(FIXTURES / "events/valid/transfers.status.changed.json")
        model = parse_data(envelope)
        assert isinstance(model, TransfersStatusChangedV1)
        assert model.from_ is not None and model.from_.value == "submitted"
        assert model.model_dump(by_alias=True, mode="json")["from"] == "submitted"

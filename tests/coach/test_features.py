"""The numpy tf-idf used at run time computes what scikit-learn's TfidfVectorizer computes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from holdspace.coach.features import TextSpace

TRAIN = [
    "That sounds so hard. What has been the hardest part?",
    "I'm sorry you're going through this; you're not alone.",
    "When my mum died I drank for a year.",
    "Have you thought about talking to your doctor?",
    "It makes sense that you feel exhausted after all of that!!",
    "I hear you. Sending strength x",
]


@pytest.fixture(
    scope="module",
    params=[
        ("word", (1, 2), True),
        ("char_wb", (2, 5), True),
        ("word", (1, 3), False),
        ("char_wb", (1, 4), False),
    ],
)
def pair(request):
    analyzer, ngram_range, sublinear = request.param
    vectorizer = TfidfVectorizer(
        analyzer=analyzer, ngram_range=ngram_range, sublinear_tf=sublinear
    ).fit(TRAIN)
    return vectorizer, TextSpace.from_sklearn(vectorizer)


def _assert_same(pair, texts):
    vectorizer, space = pair
    expected = vectorizer.transform(texts).toarray()
    np.testing.assert_allclose(space.transform(texts).toarray(), expected, atol=1e-12)


def test_the_training_texts_transform_alike(pair) -> None:
    _assert_same(pair, TRAIN)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=4))
def test_any_text_transforms_alike(pair, texts: list[str]) -> None:
    _assert_same(pair, texts)


def test_arrays_round_trip(pair) -> None:
    _, space = pair
    again = TextSpace.from_arrays(space.settings(), space.arrays("x"), "x")
    texts = ["you're not alone in this", ""]
    np.testing.assert_array_equal(
        again.transform(texts).toarray(), space.transform(texts).toarray()
    )

"""Tests for w2vlib.similarity."""
import numpy as np
import pytest

from w2vlib.similarity import cosine_similarity, cosine_similarity_matrix


def test_cosine_of_known_vectors():
    assert cosine_similarity([1.0, 0.0], [0.0, 2.0]) == 0.0
    assert cosine_similarity([1.0, 1.0], [3.0, 3.0]) == 1.0
    assert cosine_similarity([1.0, 2.0], [-2.0, -4.0]) == pytest.approx(-1.0, abs=1e-15)
    assert cosine_similarity([3.0, 4.0], [4.0, 3.0]) == pytest.approx(24 / 25, rel=1e-15)


def test_cosine_ignores_length_but_not_direction():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=5), rng.normal(size=5)
    value = cosine_similarity(a, b)
    assert cosine_similarity(7.5 * a, 0.1 * b) == pytest.approx(value, rel=1e-14)
    assert cosine_similarity(-a, b) == pytest.approx(-value, rel=1e-14)
    assert value == pytest.approx(a @ b / np.sqrt((a @ a) * (b @ b)), rel=1e-14)


def test_matrix_matches_pairwise_cosines():
    rng = np.random.default_rng(2)
    A, B = rng.normal(size=(4, 3)), rng.normal(size=(6, 3))
    matrix = cosine_similarity_matrix(A, B)
    assert matrix.shape == (4, 6)
    expected = [[cosine_similarity(a, b) for b in B] for a in A]
    np.testing.assert_allclose(matrix, expected, rtol=1e-13)


def test_matrix_against_itself_is_symmetric_with_unit_diagonal():
    A = np.random.default_rng(3).normal(size=(5, 4))
    matrix = cosine_similarity_matrix(A)
    np.testing.assert_allclose(matrix, matrix.T, rtol=1e-15)
    np.testing.assert_allclose(np.diag(matrix), 1.0, rtol=1e-15)
    assert np.all(np.abs(matrix) <= 1.0)


def test_zero_vector_is_an_error_naming_the_argument():
    with pytest.raises(ValueError, match="b is the zero vector"):
        cosine_similarity([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="a is the zero vector"):
        cosine_similarity(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="A row 1 is the zero vector"):
        cosine_similarity_matrix([[1.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="B row 0 is the zero vector"):
        cosine_similarity_matrix([[1.0, 0.0]], [[0.0, 0.0], [1.0, 1.0]])


def test_shape_errors():
    with pytest.raises(ValueError, match="a has length 2 but b has length 3"):
        cosine_similarity([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="use cosine_similarity_matrix"):
        cosine_similarity(np.ones((2, 2)), np.ones(2))
    with pytest.raises(ValueError, match="A has 2 columns but B has 3"):
        cosine_similarity_matrix(np.ones((2, 2)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="A must be a 2-D array"):
        cosine_similarity_matrix(np.ones(3))
    with pytest.raises(ValueError, match="contains NaN"):
        cosine_similarity([np.nan, 1.0], [1.0, 1.0])

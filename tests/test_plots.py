"""Tests for w2vlib.plots: the artists hold the data and labels they were given."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from w2vlib.keyedvectors import KeyedVectors  # noqa: E402
from w2vlib.plots import plot_2d, plot_loss, plot_vector_strips  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def wv():
    vectors = np.random.default_rng(5).normal(size=(6, 8))
    return KeyedVectors(vectors, ["rey", "reina", "hombre", "mujer", "niño", "agua"])


def tick_labels(labels):
    return [label.get_text() for label in labels]


def test_vector_strips_from_keyedvectors(wv):
    words = ["rey", "reina", "agua"]
    ax = plot_vector_strips(wv, words)
    (image,) = ax.images
    np.testing.assert_array_equal(image.get_array(), wv[words])
    assert tick_labels(ax.get_yticklabels()) == words
    assert ax.get_xlabel() == "dimension"
    low, high = image.get_clim()
    assert low == -high == -np.max(np.abs(wv[words]))  # symmetric: 0 is the middle colour
    assert len(ax.figure.axes) == 2  # the axes and its colour bar


def test_vector_strips_from_matrix_on_given_axes():
    _, given = plt.subplots()
    matrix = np.array([[1.0, -2.0, 0.5], [0.0, 0.0, 0.0]])
    ax = plot_vector_strips(matrix, ["a", "b"], ax=given, cmap="PuOr", xlabel="dimensión",
                            colorbar=False)
    assert ax is given
    assert ax.images[0].get_array().shape == (2, 3)
    assert ax.images[0].get_cmap().name == "PuOr"
    assert tick_labels(ax.get_yticklabels()) == ["a", "b"]
    assert list(ax.get_xticks()) == [0, 1, 2]
    assert ax.get_xlabel() == "dimensión" and len(ax.figure.axes) == 1


def test_vector_strips_errors(wv):
    with pytest.raises(ValueError, match="one row per word; got shape .* for 3 words"):
        plot_vector_strips(np.ones((2, 3)), ["a", "b", "c"])
    with pytest.raises(KeyError, match="'dragón'"):
        plot_vector_strips(wv, ["rey", "dragón"])
    with pytest.raises(ValueError, match="NaN"):
        plot_vector_strips(np.array([[np.nan]]), ["a"])


def test_plot_2d_points_and_labels():
    points = np.array([[0.0, 1.0], [2.0, -1.0], [-0.5, 0.25]])
    labels = ["rey", "reina", "perro"]
    ax = plot_2d(points, labels, color="tab:red")
    (scatter,) = ax.collections
    np.testing.assert_array_equal(scatter.get_offsets(), points)
    assert [text.get_text() for text in ax.texts] == labels
    assert [text.xy for text in ax.texts] == [tuple(p) for p in points]


def test_plot_2d_errors():
    with pytest.raises(ValueError, match=r"shape \(N, 2\), got \(3, 3\)"):
        plot_2d(np.ones((3, 3)), ["a", "b", "c"])
    with pytest.raises(ValueError, match="got 2 points but 3 labels"):
        plot_2d(np.ones((2, 2)), ["a", "b", "c"])


def test_plot_loss_line_and_labels():
    history = [5.2, 3.1, 2.4, 2.2]
    _, given = plt.subplots()
    ax = plot_loss(history, ax=given, xlabel="época", ylabel="pérdida media")
    assert ax is given
    (line,) = ax.lines
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(line.get_ydata(), history)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("época", "pérdida media")
    assert plot_loss(history).get_xlabel() == "epoch"


def test_plot_loss_errors():
    with pytest.raises(ValueError, match="non-empty"):
        plot_loss([])
    with pytest.raises(ValueError, match=r"history\[2\] is nan: training diverged"):
        plot_loss([3.0, 2.0, float("nan")])

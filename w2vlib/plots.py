"""Matplotlib figures used throughout the book (chapters 2, 3, 5-7).

* ``plot_vector_strips``: each word vector as a strip of coloured cells, words stacked
  so that the same dimension lines up in a column (chapter 3);
* ``plot_2d``: labelled scatter of 2-D projections of word vectors (chapters 2 and 3);
* ``plot_loss``: the training loss per epoch (chapters 5-7).

Every function draws on ``ax`` (a new figure when ``ax`` is None) and returns the axes,
so figures can be composed and restyled. Axis labels are parameters so that the Spanish
and English chapters can pass their own words.
"""
import numpy as np

__all__ = ["plot_vector_strips", "plot_2d", "plot_loss"]


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # imported here so that `import w2vlib` stays light

    _, ax = plt.subplots()
    return ax


def plot_vector_strips(vectors, words, ax=None, cmap="RdBu_r", xlabel="dimension",
                       colorbar=True):
    """Draw one row of coloured cells per word, one column per vector dimension.

    Parameters
    ----------
    vectors : KeyedVectors or array (k, n)
        Word vectors to look ``words`` up in, or the k rows to draw directly.
    words : list of str
        The words to show (looked up in ``vectors``), or the k row labels of the array.
    ax : matplotlib Axes, optional
    cmap : str or Colormap
        A diverging colormap: the colour limits are symmetric, ±max|value|, so 0 sits at
        the middle colour (white for ``RdBu_r``) and signs are comparable across rows.
    xlabel : str
    colorbar : bool
        Add a colour bar next to the axes.

    Returns
    -------
    Axes
        ``ax.images[0]`` holds the (k, n) matrix; the y tick labels are the words.
    """
    if isinstance(words, str):
        words = [words]
    words = list(words)
    if hasattr(vectors, "index_to_key"):
        matrix = np.asarray(vectors[words], dtype=np.float64)
    else:
        matrix = np.asarray(vectors, dtype=np.float64)
        if matrix.ndim != 2 or matrix.shape[0] != len(words):
            raise ValueError(
                "vectors must be a KeyedVectors or a 2-D array with one row per word; "
                f"got shape {matrix.shape} for {len(words)} words"
            )
    if matrix.size == 0:
        raise ValueError("nothing to draw: pass at least one word and one dimension")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("vectors contain NaN or infinity; they cannot be coloured")
    ax = _axes(ax)
    limit = float(np.max(np.abs(matrix))) or 1.0
    image = ax.imshow(matrix, cmap=cmap, vmin=-limit, vmax=limit, aspect="auto",
                      interpolation="nearest")
    ax.set_yticks(np.arange(len(words)), labels=words)
    ax.set_xlabel(xlabel)
    if matrix.shape[1] <= 20:
        ax.set_xticks(np.arange(matrix.shape[1]))
    # white lines between the strips, drawn as a minor-tick grid
    ax.set_yticks(np.arange(len(words) + 1) - 0.5, minor=True)
    ax.grid(which="minor", axis="y", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    return ax


def plot_2d(points, labels, ax=None, **scatter_kwargs):
    """Scatter 2-D points (e.g. an SVD or PCA projection of word vectors) with their
    labels.

    Parameters
    ----------
    points : array (N, 2)
    labels : sequence of N str
        Written next to each point.
    ax : matplotlib Axes, optional
    **scatter_kwargs
        Passed to ``ax.scatter`` (e.g. ``color``, ``s``).

    Returns
    -------
    Axes
        ``ax.collections[0]`` is the scatter; ``ax.texts`` the labels, in order.
    """
    points = np.asarray(points, dtype=np.float64)
    labels = [labels] if isinstance(labels, str) else list(labels)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(
            f"points must have shape (N, 2), got {points.shape}; project the vectors "
            "to two dimensions first (e.g. with svd_embeddings or PCA)"
        )
    if len(labels) != points.shape[0]:
        raise ValueError(
            f"got {points.shape[0]} points but {len(labels)} labels; pass one label "
            "per point"
        )
    if not np.all(np.isfinite(points)):
        raise ValueError("points contain NaN or infinity")
    ax = _axes(ax)
    ax.scatter(points[:, 0], points[:, 1], **scatter_kwargs)
    for (x, y), label in zip(points, labels):
        ax.annotate(str(label), (x, y), xytext=(4, 4), textcoords="offset points")
    ax.axhline(0, color="0.85", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.85", linewidth=0.8, zorder=0)
    return ax


def plot_loss(history, ax=None, xlabel="epoch", ylabel="mean loss"):
    """Plot a loss history (e.g. ``Word2Vec.loss_history_``, one value per epoch).

    Parameters
    ----------
    history : sequence of float
        Value i is drawn at x = i + 1.
    ax : matplotlib Axes, optional
    xlabel, ylabel : str

    Returns
    -------
    Axes
        ``ax.lines[0]`` holds the curve.
    """
    history = np.asarray(history, dtype=np.float64)
    if history.ndim != 1 or history.size == 0:
        raise ValueError(
            "history must be a non-empty 1-D sequence of losses, got shape "
            f"{history.shape}"
        )
    bad = np.flatnonzero(~np.isfinite(history))
    if bad.size:
        raise ValueError(
            f"history[{bad[0]}] is {history[bad[0]]}: training diverged; lower the "
            "learning rate (alpha) and train again"
        )
    from matplotlib.ticker import MaxNLocator

    ax = _axes(ax)
    ax.plot(np.arange(1, history.size + 1), history, marker="o")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax

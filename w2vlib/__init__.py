"""w2vlib: a small, readable numpy word2vec that follows the textbook's notation.

Centre-word vectors are the columns of ``V`` (n x |V|), context-word vectors the rows of
``U`` (|V| x n); scores for a centre word c are ``U @ v_c``.
"""
__version__ = "0.1.0"

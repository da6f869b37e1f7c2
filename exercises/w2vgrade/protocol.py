"""The marked lines by which results travel back to the grader (kept import-light).

A question's result: ``W2VGRADE-RESULT <nonce> <json>`` printed by the grader's cell in the
kernel. A worker's report: ``W2VGRADE-WORKER <nonce> <json>`` on the worker's stdout. The
nonce is drawn by the grader for each submission, so lines printed by a notebook are ignored.
"""

RESULT_MARKER = "W2VGRADE-RESULT"
WORKER_MARKER = "W2VGRADE-WORKER"

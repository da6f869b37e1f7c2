"""Feedback text for students: per question, the points earned and what is wrong.

The same words are used by the grader's ``feedback/<student>.md`` files, by
``python -m w2vgrade check NOTEBOOK`` and by ``check_notebook(globals())`` in a notebook; each
notebook's feedback is in the notebook's language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class QuestionScore:
    """Points earned on one question and the message explaining them."""

    id: str
    function: str
    points: float
    max_points: float
    status: str
    en: str = ""
    es: str = ""

    def message(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


WORDS = {
    "en": {
        "title": "Feedback for {student}",
        "exercise": "{exercise} ({notebook}): {total:g} / {max_total:g} points",
        "problems": "Problems while running the notebook:",
        "ok": "correct",
        "total": "Total: {total:g} / {max_total:g} points",
        "grading_note": "The points are computed by the grader; the notebook itself is never modified.",
        "self_check": "{exercise}: {total:g} / {max_total:g} points",
    },
    "es": {
        "title": "Comentarios para {student}",
        "exercise": "{exercise} ({notebook}): {total:g} / {max_total:g} puntos",
        "problems": "Problemas al ejecutar el cuaderno:",
        "ok": "correcto",
        "total": "Total: {total:g} / {max_total:g} puntos",
        "grading_note": "Los puntos los calcula el corrector; el cuaderno nunca se modifica.",
        "self_check": "{exercise}: {total:g} / {max_total:g} puntos",
    },
}


def question_line(question, lang: str) -> str:
    """``q1 cosine_similarity: 4/4 — correct`` (or the check's message)."""
    message = question.message(lang) or WORDS[lang]["ok"]
    return f"{question.id} {question.function}: {question.points:g}/{question.max_points:g} — {message}"


def submission_lines(result) -> list[str]:
    """Plain-text lines for one graded notebook (used by ``w2vgrade check``)."""
    words = WORDS[result.lang]
    lines = [words["exercise"].format(exercise=result.exercise, notebook=result.notebook,
                                      total=result.total, max_total=result.max_total)]
    lines += ["  " + question_line(question, result.lang) for question in result.questions]
    if result.problems:
        lines.append(words["problems"])
        lines += [f"  - {en if result.lang == 'en' else es}" for _, en, es in result.problems]
    return lines


def student_feedback(student: str, results) -> str:
    """The Markdown feedback file of one student (all their notebooks)."""
    lang = results[0].lang
    parts = [f"# {WORDS[lang]['title'].format(student=student)}", ""]
    for result in results:
        words = WORDS[result.lang]
        parts.append("## " + words["exercise"].format(exercise=result.exercise, notebook=result.notebook,
                                                      total=result.total, max_total=result.max_total))
        parts.append("")
        parts += [f"- {question_line(question, result.lang)}" for question in result.questions]
        if result.problems:
            parts += ["", words["problems"], ""]
            parts += [f"- {en if result.lang == 'en' else es}" for _, en, es in result.problems]
        parts.append("")
    total = sum(result.total for result in results)
    max_total = sum(result.max_total for result in results)
    parts += [WORDS[lang]["total"].format(total=round(total, 2), max_total=round(max_total, 2)), "",
              WORDS[lang]["grading_note"], ""]
    return "\n".join(parts)


def self_check_lines(exercise: str, lang: str, questions) -> list[str]:
    """Lines printed by ``check_notebook``: the total, then one line per question."""
    total = round(sum(question.points for question in questions), 2)
    max_total = sum(question.max_points for question in questions)
    lines = [WORDS[lang]["self_check"].format(exercise=exercise, total=total, max_total=max_total)]
    return lines + ["  " + question_line(question, lang) for question in questions]

"""The question record and the content error that every stage shares."""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("zh", "en")
DIFFICULTIES = {"1": 1, "2": 2, "3": 3}


class ContentError(Exception):
    """One or more malformed Q&A blocks; each message reads `path:line: reason`."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass
class Question:
    """One Q&A block. Source fields come from the Markdown; html fields from the rendered page."""

    id: str
    lang: str
    chapter: str
    src_path: str  # path of the Markdown file relative to the project root, e.g. docs/a/b.md
    line: int
    question: str  # the heading text, Markdown stripped of its attribute list
    difficulty: int
    tags: list[str] = field(default_factory=list)
    page_url: str = ""  # site-relative URL of the page, e.g. training/layernorm-vs-batchnorm/
    question_html: str = ""
    short_html: str = ""
    full_html: str = ""
    followups_html: str = ""  # the "追问" / "Follow-up questions" block's body, if any

    @property
    def url(self) -> str:
        """Site-relative URL of the question itself."""
        return f"{self.page_url}#{self.id}"

"""The question-bank engine: Markdown Q&A pages → validated records → flashcards and exports."""

"""Reference solutions of the coding chapter, executed by the tests in tests/test_coding_*.py."""

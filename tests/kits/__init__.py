"""Test kits: builders and checkers the tests share (imported by tests; fixtures live in conftest.py)."""

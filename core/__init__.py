"""Helpers every app may use and that know no domain. `core` imports none of our apps."""

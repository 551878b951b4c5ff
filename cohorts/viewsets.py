"""Placeholder: the cohort listing, create and edit screens land in this change."""

"""Word documents in and out: tracked changes (``revisions``) and reading a reviewed report back."""

"""Results computed from a plan (data only): queries, diffs, git revisions, monitoring progress."""

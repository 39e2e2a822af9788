"""The plan file format: where files are, reading them safely, writing them in the one canonical layout."""

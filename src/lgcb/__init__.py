"""lgcb: the results-oriented capacity-building action plan for biosafety, kept as data.

Kept import-free so that ``lgcb --help`` costs little more than importing click; the
pipeline lives in ``load`` → ``validate`` → ``query`` / ``views`` and friends.
"""

__version__ = "0.1.0"

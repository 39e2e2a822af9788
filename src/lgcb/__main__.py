"""``python -m lgcb``."""

from lgcb.cli import main

if __name__ == "__main__":
    main()

"""``python -m console.users``: create organisations and console accounts (see docs/console.md).

The code lives in ``console/auth/cli.py``; this module only gives the command its name.
"""

from console.auth.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m console.users``: organisations and accounts of the advisors' console.

The first admin is created here (there is no default account, ASVS 6.3.2); admins can then
deactivate accounts and reset passwords from the console as well.
"""

from __future__ import annotations

import argparse
import sys

from appdb.migrate import upgrade
from console.auth import accounts
from console.auth.passwords import WeakPassword

ACTOR = "command-line"


def _password(args: argparse.Namespace) -> str | None:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    return None


def _print_initial(username: str, password: str, generated: bool) -> None:
    if generated:
        print(f"Initial password of {username} (shown once; to change at the first login):")
        print(f"  {password}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m console.users", description="Organisations and users of the console."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    org = sub.add_parser("organisation", help="add or rename an organisation")
    org.add_argument("key", help="code, e.g. cdrq-montreal-laval")
    org.add_argument("name")
    sub.add_parser("organisations", help="list the active organisations")
    for name, role in (("create-admin", "admin"), ("create-advisor", "advisor")):
        create = sub.add_parser(name, help=f"create an account with the {role} role")
        create.add_argument("username")
        create.add_argument("--name", dest="display_name", default=None)
        if role == "advisor":
            create.add_argument("--organisation", required=True, help="organisation key")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (else one is generated)",
        )
        create.set_defaults(role=role)
    sub.add_parser("list", help="list the accounts")
    for name in ("deactivate", "activate", "reset-password", "token", "revoke-token"):
        command = sub.add_parser(name)
        command.add_argument("username")
    return parser


def run(args: argparse.Namespace) -> int:
    if args.command == "organisation":
        added = accounts.upsert_organisation(args.key, args.name, by=ACTOR)
        print(("added " if added else "updated ") + args.key)
    elif args.command == "organisations":
        for key, name in accounts.list_organisations():
            print(f"{key}\t{name}")
    elif args.command in ("create-admin", "create-advisor"):
        given = _password(args)
        user, password = accounts.create_user(
            args.username,
            args.role,
            organisation_key=getattr(args, "organisation", None),
            display_name=args.display_name,
            password=given,
            by=ACTOR,
        )
        print(
            f"created {user.role} {user.username}"
            + (f" ({user.organisation_key})" if user.organisation_key else "")
        )
        _print_initial(user.username, password, given is None)
    elif args.command == "list":
        for user in accounts.list_users():
            state = "active" if user.active else "inactive"
            print(f"{user.username}\t{user.role}\t{user.organisation_key or '*'}\t{state}")
    elif args.command in ("deactivate", "activate"):
        accounts.set_active(args.username, args.command == "activate", by=ACTOR)
        print(f"{args.command}d {args.username}")
    elif args.command == "reset-password":
        user, password = accounts.reset_password(args.username, by=ACTOR)
        _print_initial(user.username, password, True)
    elif args.command == "token":
        token = accounts.issue_api_token(args.username, by=ACTOR)
        print("API token (shown once; send it as 'Authorization: Bearer <token>'):")
        print(f"  {token}")
    elif args.command == "revoke-token":
        accounts.revoke_api_token(args.username, by=ACTOR)
        print(f"token of {args.username} revoked")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    upgrade()  # the tables exist before the first admin is made
    try:
        return run(args)
    except accounts.AccountError as error:
        print(f"error: {error.code}", file=sys.stderr)
        return 2
    except WeakPassword as error:
        print(f"error: password {error.code} (at least 12 characters)", file=sys.stderr)
        return 2

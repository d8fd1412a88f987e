"""``python -m privacy``: purge, scheduler, erase, export, retention.

python -m privacy purge [--dry-run]      destroy what is due now (counts printed)
python -m privacy scheduler [--hour H]   purge every day at H:00 local time until SIGTERM
python -m privacy erase --sender ID | --reference REF | --contact VALUE --by NAME
python -m privacy export --sender ID | --reference REF | --contact VALUE > file.json
python -m privacy retention              print the retention period of each category
python -m privacy notice                 print the notice's version and its wording fingerprint
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from privacy.config import ConfigError, RetentionPolicy


def _person_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sender", help="conversation id (Rasa sender_id)")
    parser.add_argument(
        "--reference",
        help="dossier or partner-profile reference, e.g. CP-ABCD-EFGH or MP-ABCD-EFGH",
    )
    parser.add_argument("--contact", help="email or phone given in a dossier")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m privacy",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    purge = commands.add_parser("purge", help="destroy what has outlived its retention period")
    purge.add_argument("--dry-run", action="store_true", help="count only, destroy nothing")
    scheduler = commands.add_parser("scheduler", help="purge daily until SIGTERM")
    scheduler.add_argument("--hour", type=int, choices=range(24), help="local hour (0-23)")
    erase = commands.add_parser("erase", help="erase everything held about one person")
    _person_arguments(erase)
    erase.add_argument("--by", required=True, help="who made or handled the request")
    export = commands.add_parser("export", help="print everything held about one person (JSON)")
    _person_arguments(export)
    commands.add_parser("retention", help="print the retention periods in days")
    commands.add_parser("notice", help="print the notice's version and wording fingerprint")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one ``python -m privacy`` command.

    Returns:
        The exit status: 0, 1 when the notice's wording changed without a new version, 2 on a
        malformed setting or a person given without any key.
    """
    args = _parser().parse_args(argv)
    # Logs go to stderr so that ``export > file.json`` stays clean JSON.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    try:
        if args.command == "retention":
            print(json.dumps(RetentionPolicy.from_env().describe(), indent=2))
        elif args.command == "notice":
            from privacy import notice

            current = notice.fingerprint()
            print(json.dumps({"version": notice.version(), "fingerprint": current}, indent=2))
            if current != notice.recorded_fingerprint():
                print(
                    "the wording changed: give privacy/notice.yml a new version and this "
                    "fingerprint",
                    file=sys.stderr,
                )
                return 1
        elif args.command == "purge":
            from privacy.retention import purge

            print(json.dumps(purge(dry_run=args.dry_run).as_dict(), indent=2))
        elif args.command == "scheduler":
            from privacy.scheduler import run_forever

            run_forever(hour=args.hour)
        else:
            return _person(args)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    return 0


def _person(args: argparse.Namespace) -> int:
    from privacy.erasure import NothingToIdentifyError, erase_person
    from privacy.export import export_person

    keys = {"sender_id": args.sender, "reference": args.reference, "contact": args.contact}
    try:
        if args.command == "erase":
            report = erase_person(**keys, by=args.by)
            print(json.dumps({**report.as_dict(), "references": report.references}, indent=2))
        else:
            document = export_person(**keys)
            json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
            print()
    except NothingToIdentifyError:
        print("give --sender, --reference or --contact", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

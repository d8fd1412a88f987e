"""Command line for content writers and deploys.

``python -m knowledge_base check|load|encode|stale|report|unanswered``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge_base.loader import CONTENT_DIR, sync
from knowledge_base.review import format_report, source_report, stale
from knowledge_base.schema import ContentError
from knowledge_base.unanswered import unanswered_by_topic
from knowledge_base.validation import load_directory


def main(argv: list[str] | None = None) -> int:
    """Run one ``python -m knowledge_base`` command.

    Returns:
        The exit status: 0, 1 when the content has problems (each printed), 2 on a
        ``RuntimeError`` such as a database not yet migrated.
    """
    parser = argparse.ArgumentParser(prog="python -m knowledge_base")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("check", "validate the content files only"),
        ("load", "validate, sync the files into the app database (DATABASE_URL), then encode"),
        ("encode", "encode the passages the search needs into the vector cache (var/cache)"),
        ("stale", "list entries to re-check: old check, sources not read, Bill 111 unknown"),
        ("report", "per entry: primary/secondary share of its sources and its verified date"),
        ("unanswered", "questions with no confident answer, by topic (no personal data)"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--content", type=Path, default=CONTENT_DIR, help="content folder")
        if name == "stale":
            command.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)

    try:
        if args.command == "check":
            entries = load_directory(args.content)
            print(f"{len(entries)} entries valid in {args.content}")
        elif args.command == "load":
            report = sync(args.content)
            print(report.summary())
            print(_encode(args.content))
        elif args.command == "encode":
            print(_encode(args.content))
        elif args.command == "unanswered":
            for topic, count, examples in unanswered_by_topic():
                print(f"{count:5d}  {topic or '(no topic)'}  e.g. {' | '.join(examples)}")
        elif args.command == "report":
            rows = source_report(entry for entry, _ in load_directory(args.content))
            print("\n".join(format_report(rows)))
        else:
            found = stale(load_directory(args.content), days=args.days)
            for entry, path, reasons in found:
                print(f"{entry.verified.isoformat()}  {entry.id}  {path}  ({'; '.join(reasons)})")
            print(
                f"{len(found)} entries to re-check (checked more than {args.days} days ago, "
                "sources not yet read, or a rule whose Bill 111 status is not confirmed)"
            )
    except ContentError as exc:
        print(f"{len(exc.problems)} problem(s) in the knowledge base:", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def _encode(content: Path) -> str:
    """Encode what the search needs now, so that no process starts by encoding it."""
    from knowledge_base.encoder import shared_encoder
    from knowledge_base.semantic import VectorCache, passages_of, questions_of

    encoder = shared_encoder()
    if encoder is None:
        return "no sentence encoder configured (COOPILOTE_ENCODER=none): lexical search only"
    entries = [entry for entry, _ in load_directory(content)]
    _, report = VectorCache(encoder).vectors([t for e in entries for t in passages_of(e)])
    questions = [t for e in entries for t in questions_of(e)]
    report += VectorCache(encoder, side="queries").vectors(questions)[1]
    return f"sentence vectors ({encoder.name}): {report.summary()}"


if __name__ == "__main__":
    sys.exit(main())

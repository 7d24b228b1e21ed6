"""Print the CLI reference (Markdown) from the argparse definitions.

Run `python tools/cli_reference.py`; README and docs/cli.md hold its output, so they match the code.
"""

from __future__ import annotations

import argparse
import os

from scamlens.cli import build_parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def main() -> None:
    os.environ["COLUMNS"] = "100"
    parser = build_parser()
    print("```text")
    print(parser.format_help().rstrip())
    print("```")
    for name, sub in _subparsers(parser).items():
        print(f"\n### `scamlens {name}`\n\n```text")
        print(sub.format_help().rstrip())
        print("```")
        for child_name, child in _subparsers(sub).items():
            print(f"\n#### `scamlens {name} {child_name}`\n\n```text")
            print(child.format_help().rstrip())
            print("```")


if __name__ == "__main__":
    main()

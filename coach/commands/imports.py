"""CLI commands for this area (to be filled by the area's work)."""

import argparse


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add this area's subcommands."""

"""Commands of the retraining pipeline (added as the pipeline lands)."""


def add_commands(sub, common) -> None:
    """Register the pipeline's subcommands on the ``offerodds`` parser."""

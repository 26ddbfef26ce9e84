"""Entry point of the `cndledger` console script and of `python -m cndledger`."""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # answered before Typer is imported: scripts ask it often
        from cndledger import __version__

        print(f"cndledger {__version__}")
        return
    import gc

    # A run makes millions of objects that live until it ends, and none in cycles worth collecting:
    # the cyclic collector would only walk them again and again.
    gc.disable()
    from cndledger.cli import main as run

    run()


if __name__ == "__main__":
    main()

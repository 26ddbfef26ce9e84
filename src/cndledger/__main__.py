"""Entry point of the `cndledger` console script and of `python -m cndledger`."""

import sys


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:  # answered before anything else is imported: scripts ask it often
        from cndledger import __version__

        print(f"cndledger {__version__}")
        return
    if not (sys.stdout.encoding or "").lower().startswith("utf") or not (sys.stderr.encoding or "").lower().startswith("utf"):
        from cndledger.render.text import plain_fallbacks  # an ASCII, Latin-1 or cp437 terminal

        plain_fallbacks(sys.stdout, sys.stderr)
    import gc

    # A run makes millions of objects that live until it ends, and none in cycles worth collecting:
    # the cyclic collector would only walk them again and again.
    gc.disable()
    import os

    from cndledger.cli.argv import read

    command = read(args, os.environ)
    if command is None:  # help, completion, anything unusual or wrong: Typer reads it
        from cndledger.cli.app import main as through_typer

        through_typer()
        return
    from cndledger.cli import commands

    session = commands.Session(standalone=True)
    try:
        code = commands.run(session, *command)
    except MemoryError:  # a ledger of many large files: say so rather than print a traceback
        code = commands.not_enough_memory()
    except KeyboardInterrupt:  # as Typer ends it: quietly, with the code of SIGINT
        code = 130
    except BrokenPipeError:  # a reader that went away (`| head`), as Typer ends it
        sys.stdout = open(os.devnull, "w")  # nothing more to flush into the closed pipe at exit
        code = 1
    if session.opened:
        session.leave(code)
    sys.exit(code)


if __name__ == "__main__":
    main()

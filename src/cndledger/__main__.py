"""Entry point of the `cndledger` console script and of `python -m cndledger`."""

from cndledger.cli import main

if __name__ == "__main__":
    main()

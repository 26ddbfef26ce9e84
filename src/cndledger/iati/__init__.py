"""IATI activity files: read them into plain values, and check them against the 2.03 standard.

The only part of cndledger that needs lxml (the `iati` extra: `pip install 'cndledger[iati]'`);
nothing outside this package imports it, so the core runs without it.

- `read`: stream an activity file (1.0x or 2.0x) into activities, transactions, budgets and
  planned disbursements, each located at its file and line; faults are `IatiProblem` values.
- `codelists`: the IATI codelists of a folder, as code sets.
- `validate`: a document against the 2.03 XML Schema, and each of its codes against its codelist.
"""

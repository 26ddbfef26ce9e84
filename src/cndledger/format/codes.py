"""Every problem code, declared once: its name, severity, whether it stops reports, and its
explanation (what it means, how to fix it, a one-line hint, an example ledger and its fixed version).

Problems are made only through these: `codes.DUPLICATE_ID.problem(message, at)`; the severity comes
from here, never from the call site. `CODES` holds them all in the order `cndledger explain` lists
them, which is also the order the checks run in (see checks/__init__.py).

Each `example` is a whole ledger file that, checked alone, reports its code and nothing else; its
`fixed` version reports nothing (tests/test_explain.py checks both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cndledger.format.problems import Problem, Severity

if TYPE_CHECKING:
    from cndledger.format.problems import Location

ERROR, WARNING = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {}  # by name, in the order declared below


class Code:  # a plain class, not a dataclass: `check` starts without importing dataclasses
    __slots__ = ("name", "severity", "summary", "fatal", "meaning", "fix", "hint", "example", "fixed", "setup",
                 "command")

    def __init__(self, name: str, severity: Severity, summary: str, *, fatal: bool = False, meaning: str,
                 fix: str, hint: str, example: str | None, fixed: str | None, setup: str | None = None,
                 command: str | None = None) -> None:
        if name in CODES:
            raise ValueError(f"the problem code '{name}' is declared twice")
        if fatal and severity is not ERROR:
            raise ValueError(f"the problem code '{name}' stops reports, so it must be an error")
        self.name = name
        self.severity = severity
        self.summary = summary  # one line: what is wrong
        self.fatal = fatal  # figures are undefined: every report stops on it (LEDGER-FORMAT "Checks")
        self.meaning = meaning  # what the problem means, and why cndledger cares
        self.fix = fix  # how to fix it
        self.hint = hint  # one line, shown under a problem that has no more specific hint
        self.example = example  # a ledger file that triggers the code
        self.fixed = fixed  # the same file, fixed
        self.setup = setup  # where no file text can show it (a file that cannot be read)
        self.command = command  # the command that reports it, where it is not a ledger's check ("iati import")
        CODES[name] = self

    def problem(self, message: str, at: Location, *, hint: str | None = None) -> Problem:
        """A problem of this code at `at`; `hint` where there is more to say than the code's own hint."""
        return Problem(self.severity, self.name, message, at.file, at.line, at.column, hint, self.fatal)

    def __repr__(self) -> str:
        return f"<code {self.name}>"


def hint_for(problem: Problem) -> str | None:
    """The problem's own hint, else the one-line hint of its code."""
    if problem.hint:
        return problem.hint
    return CODES[problem.code].hint


_DONOR_AND_PROJECT = """\
[[party]]
id = "DONOR"
name = "A donor"

[[project]]
id = "P1"
title = "A project"
currency = "USD"
"""

_COMMITMENT = _DONOR_AND_PROJECT + """
[[commitment]]
id = "C1"
project = "P1"
party = "DONOR"
date = 2005-01-10
amount = 1000
"""


TOML_SYNTAX = Code(
    "toml-syntax", ERROR, "the file is not valid TOML", fatal=True,
    meaning="The file could not be read as TOML, so none of its entries are known. The other files are "
            "still checked, but references between entries are not reported while any file fails to parse: "
            "they would mislead. A file that is not UTF-8 text is reported with this code too.",
    fix="Correct the TOML at the line and column given: text values need quotes, each table starts with a "
        "[[kind]] header on its own line, a key is written once per table. Save the file as UTF-8.",
    hint="correct the TOML at the caret: text needs quotes, tables are written [[kind]]",
    example='[[party]]\nid = "DONOR"\nname = A donor\n',
    fixed='[[party]]\nid = "DONOR"\nname = "A donor"\n',
)

UNREADABLE_FILE = Code(
    "unreadable-file", ERROR, "a ledger file cannot be read", fatal=True,
    meaning="A file of the ledger exists by name but cannot be opened or read: a link to a file that is "
            "gone, a file without read permission, a file too large for memory. Its entries are unknown, so "
            "the figures are too.",
    fix="Restore the file or its permissions (ls -l, chmod), or remove the dangling link from the ledger folder.",
    hint="check that the file exists and can be read (ls -l); remove a dangling link",
    example=None, fixed=None,
    setup="a ledger folder holding broken.toml, a symbolic link to a file that was deleted",
)

MISSING_KEY = Code(
    "missing-key", ERROR, "a table lacks a key it needs", fatal=True,
    meaning="Every table kind has keys it cannot do without: a commitment needs its id, project, party, date "
            "and amount. The entry is left out of every figure until the key is there.",
    fix="Add the key under the table's header. The message lists every key the table needs; "
        "`cndledger schema` lists them all for an editor.",
    hint="add the missing key under the table's header",
    example=_DONOR_AND_PROJECT + '\n[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\ndate = 2005-01-10\n',
    fixed=_COMMITMENT,
)

UNKNOWN_KEY = Code(
    "unknown-key", ERROR, "a key or table that the format does not define", fatal=True,
    meaning="A key a table does not define, or a top-level table that is not one of party, project, "
            "commitment, tranche, release, inkind, expense, milestone, assert. It is nearly always a typo, "
            "and a typo must never pass silently: the value it holds would be lost from the figures.",
    fix="Correct the name (the message says which known name is closest), or remove the key. "
        "Notes belong in `note` or in a # comment.",
    hint="correct the name to one the table defines, or move the text into note or a # comment",
    example='[[party]]\nid = "DONOR"\nname = "A donor"\naliasses = ["DNR"]\n',
    fixed='[[party]]\nid = "DONOR"\nname = "A donor"\naliases = ["DNR"]\n',
)

BAD_VALUE = Code(
    "bad-value", ERROR, "a value of the wrong type or form", fatal=True,
    meaning="The key is known but its value is not of the form the format defines: an amount written as "
            "text or not above zero, a date that is not a day, a month or a year of the calendar, a currency "
            "that is not an ISO 4217 code in capitals, a word outside a key's list of choices.",
    fix="Write the value in the form the message asks for: amounts as bare numbers (211_000 or 70000.50), "
        "dates as 2005-02-15, \"2005-02\" or \"2004\", currencies as USD.",
    hint='amounts are bare numbers (70000.50), dates 2005-02-15, "2005-02" or "2004", text in quotes',
    example='[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\nbudget = "50,000"\n',
    fixed='[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\nbudget = 50_000\n',
)

BAD_PRECISION = Code(
    "bad-precision", ERROR, "an amount with more decimals than its currency has", fatal=True,
    meaning="An amount may not be finer than its currency's minor unit (2 decimal places for USD and PKR, "
            "0 for JPY). Trailing zeros do not count: 70000.500 is fine, 70000.505 is not. The amount "
            "cannot have been paid as written, so it is a typo or a rounding left undone.",
    fix="Round the amount to the currency's minor unit as the source document does, or correct the typo.",
    hint="round the amount to the currency's minor unit, as the source document does",
    example='[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\nbudget = 50000.505\n',
    fixed='[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\nbudget = 50000.51\n',
)

DUPLICATE_ID = Code(
    "duplicate-id", ERROR, "an id is used twice", fatal=True,
    meaning="Ids are unique within their table kind across the whole ledger, so that a reference names one "
            "entry. A party's aliases share the party ids' namespace: an alias equal to another party's id or "
            "alias is a duplicate too.",
    fix="Give one of the two entries another id (and update the references to it), or delete it if it "
        "records the same thing twice.",
    hint="give one of the entries another id, or delete the copy",
    example='[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\n\n'
            '[[project]]\nid = "P1"\ntitle = "Another project"\ncurrency = "USD"\n',
    fixed='[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\n\n'
          '[[project]]\nid = "P2"\ntitle = "Another project"\ncurrency = "USD"\n',
)

UNRESOLVED_REF = Code(
    "unresolved-ref", ERROR, "a reference to an entry the ledger does not define", fatal=True,
    meaning="An entry names a party, project, parent, commitment, tranche, milestone or cluster that no entry "
            "of the ledger defines (a party may be named by id or alias). Ids are compared exactly: case and "
            "separators count.",
    fix="Correct the name (the message says which known id is closest), or add the entry it names. Check "
        "that every file of the ledger is given: a folder reads every *.toml below it.",
    hint="correct the name to an id the ledger defines, or add the entry it names",
    example=_DONOR_AND_PROJECT + '\n[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONR"\n'
                                 'date = 2005-01-10\namount = 1000\n',
    fixed=_COMMITMENT,
)

CYCLE = Code(
    "cycle", ERROR, "projects or tranches that depend on each other in a ring", fatal=True,
    meaning="A project is its own ancestor through `parent`, or a tranche must wait for itself through "
            "`after`. A programme's figures include its children's, and a tranche waits for the tranches it "
            "names, so a ring has no answer.",
    fix="Remove or correct the `parent` (or `after`) that closes the ring; the message lists the ring.",
    hint="remove the parent (or after) that closes the ring",
    example='[[project]]\nid = "A"\ntitle = "Project A"\ncurrency = "USD"\nparent = "B"\n\n'
            '[[project]]\nid = "B"\ntitle = "Project B"\ncurrency = "USD"\nparent = "A"\n',
    fixed='[[project]]\nid = "A"\ntitle = "Project A"\ncurrency = "USD"\n\n'
          '[[project]]\nid = "B"\ntitle = "Project B"\ncurrency = "USD"\nparent = "A"\n',
)

CURRENCY_MISMATCH = Code(
    "currency-mismatch", ERROR, "an entry against a commitment in another currency than the commitment's",
    fatal=True,
    meaning="A tranche, a release, a refund or a decommitment is a part of its commitment, so it is in the "
            "commitment's currency: its amount is compared with the commitment's as written, never converted. "
            "(A commitment, an expense, a contribution in kind or a child project may be in another currency "
            "than its project: it is converted at the ledger's rates.)",
    fix="Write the amount in the commitment's currency (the bank's rate on receipt goes in the entry's own "
        "`rate`, where the project is in another currency), or drop the entry's `currency`: it may be omitted.",
    hint="write it in its commitment's currency, or drop its currency",
    example=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 600\ncurrency = "EUR"\n',
    fixed=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 600\n',
)

NO_RATE = Code(
    "no-rate", ERROR, "an amount to convert, and no rate for it on its day", fatal=True,
    meaning="An amount in another currency than a project it counts in is converted on the day it counts from "
            "at the latest `[[rate]]` of the pair (either way round) dated on or before that day; outstanding and "
            "pledged amounts are revalued on the report's day. Without such a rate the figures are undefined, so "
            "every report stops. Rates are never chained through a third currency.",
    fix="Add a `[[rate]]` of the pair dated on or before the day (`cndledger rates import` reads the UN "
        "operational rates), or give the entry its own `rate` (the rate actually applied).",
    hint="add a [[rate]] of the pair dated on or before the day, or give the entry its own rate",
    example=_DONOR_AND_PROJECT + '\n[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\n'
            'date = 2005-01-10\namount = 59720\ncurrency = "PKR"\n\n'
            '[[rate]]\ndate = 2005-03-01\nfrom = "USD"\nto = "PKR"\nrate = 59.72\n',
    fixed=_DONOR_AND_PROJECT + '\n[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\n'
          'date = 2005-01-10\namount = 59720\ncurrency = "PKR"\n\n'
          '[[rate]]\ndate = 2005-01-01\nfrom = "USD"\nto = "PKR"\nrate = 59.72\n',
)

_RELEASED = _COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 600\n'
# A second commitment's release: the project's available stays above zero whatever C1's refunds do.
_SECOND_RELEASED = ('\n[[commitment]]\nid = "C2"\nproject = "P1"\nparty = "DONOR"\ndate = 2005-01-10\namount = 1000\n'
                    '\n[[release]]\ncommitment = "C2"\ndate = 2005-02-01\namount = 1000\n')

DECOMMITMENTS_EXCEED_COMMITMENT = Code(
    "decommitments-exceed-commitment", ERROR, "more of a commitment cancelled than was committed",
    meaning="Decommitments cancel parts of a commitment: together, whatever their dates, they can cancel it "
            "whole, never more. Where this is reported, the commitment's tranches and releases are not also "
            "compared with what is left of it (they would be reported for the same mistake).",
    fix="Correct the decommitments' amounts, or the commitment they name.",
    hint="correct the decommitment amounts, or the commitment they name",
    example=_COMMITMENT + '\n[[decommitment]]\ncommitment = "C1"\ndate = 2005-03-01\namount = 700\n\n'
                          '[[decommitment]]\ncommitment = "C1"\ndate = 2005-06-01\namount = 400\n',
    fixed=_COMMITMENT + '\n[[decommitment]]\ncommitment = "C1"\ndate = 2005-03-01\namount = 700\n\n'
                        '[[decommitment]]\ncommitment = "C1"\ndate = 2005-06-01\namount = 300\n',
)

TRANCHES_EXCEED_COMMITMENT = Code(
    "tranches-exceed-commitment", ERROR, "a commitment's tranches add up to more than the commitment",
    meaning="Tranches schedule a commitment in instalments: together they can be less than the commitment "
            "(the rest is not yet scheduled), never more. The commitment is its amount less all its "
            "decommitments.",
    fix="Correct the tranche amounts, or the commitment's amount where the agreement was raised (record a "
        "raise as its own commitment with its date).",
    hint="correct the tranche amounts, or record the raise of the commitment",
    example=_COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 600\n\n'
                          '[[tranche]]\nid = "T2"\ncommitment = "C1"\namount = 600\n',
    fixed=_COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 600\n\n'
                        '[[tranche]]\nid = "T2"\ncommitment = "C1"\namount = 400\n',
)

RELEASES_EXCEED_COMMITMENT = Code(
    "releases-exceed-commitment", ERROR, "more cash released than was committed",
    meaning="Releases against a commitment add up, in date order, to more than the commitment (its amount "
            "less all its decommitments): more cash arrived than was promised. The figures are still printed, "
            "so the difference can be found.",
    fix="Correct the release amounts or their commitment, or record the extra money as its own commitment.",
    hint="correct the release amounts, or record the extra money as its own commitment",
    example=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 600\n\n'
                          '[[release]]\ncommitment = "C1"\ndate = 2005-06-01\namount = 600\n',
    fixed=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 600\n\n'
                        '[[release]]\ncommitment = "C1"\ndate = 2005-06-01\namount = 400\n',
)

RELEASES_EXCEED_TRANCHE = Code(
    "releases-exceed-tranche", ERROR, "more cash released against a tranche than the tranche",
    meaning="Releases naming a tranche add up, in date order, to more than the tranche's amount.",
    fix="Correct the release amount, or name the next tranche in the release that belongs to it.",
    hint="correct the release amount, or name the tranche it belongs to",
    example=_COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 400\n\n'
                          '[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-02-01\namount = 500\n',
    fixed=_COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 400\n\n'
                        '[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-02-01\namount = 400\n',
)

REFUNDS_EXCEED_RELEASES = Code(
    "refunds-exceed-releases", ERROR, "more cash refunded than was released",
    meaning="Refunds return a commitment's cash to its party: together, whatever their dates, they can return "
            "all the cash released against it, never more.",
    fix="Correct the refunds' amounts or their commitment, or record the release the refund returns.",
    hint="correct the refund amounts, or record the release they return",
    example=_RELEASED + _SECOND_RELEASED + '\n[[refund]]\ncommitment = "C1"\ndate = 2005-12-01\namount = 650\n',
    fixed=_RELEASED + _SECOND_RELEASED + '\n[[refund]]\ncommitment = "C1"\ndate = 2005-12-01\namount = 150\n',
)

_EXPENSES = _RELEASED + '\n[[expense]]\nproject = "P1"\ndate = 2005-02-01\namount = 300\n'

SPENT_NEGATIVE = Code(
    "spent-negative", ERROR, "a project's expenses add up to less than zero",
    meaning="An expense may be negative (a credit note, or the correction of an earlier expense), but a "
            "project's own expenses, totalled at the end of each day in date order, never fall below zero: "
            "nothing can be credited back that was not spent first.",
    fix="Correct the credit's amount or date, or record the expense it corrects first.",
    hint="correct the credit's amount or date, or record the expense it corrects",
    example=_EXPENSES + '\n[[expense]]\nproject = "P1"\ndate = 2005-01-15\namount = -100\n',
    fixed=_EXPENSES + '\n[[expense]]\nproject = "P1"\ndate = 2005-02-15\namount = -100\n',
)

_PLEDGE = _DONOR_AND_PROJECT + """
[[party]]
id = "AGENCY"
name = "An agency"

[[pledge]]
id = "PL1"
project = "P1"
party = "DONOR"
date = 2004-11-01
amount = 1000
"""


def _fulfilling(party: str, amount: int) -> str:
    return (f'\n[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "{party}"\ndate = 2005-01-10\n'
            f'amount = {amount}\npledge = "PL1"\n')


PLEDGE_MISMATCH = Code(
    "pledge-mismatch", ERROR, "a commitment fulfils a pledge of another project, party or currency",
    meaning="A commitment's `pledge` names the pledge it fulfils: the pledge must be of the same project and "
            "the same party (an alias resolves to its party), in the same currency. Else what is still pledged "
            "would be reduced by money that another party committed, or to another project.",
    fix="Name the pledge of the commitment's own project and party, or correct the commitment's project or party.",
    hint="name the pledge of the commitment's own project and party, in its currency",
    example=_PLEDGE + _fulfilling("AGENCY", 1000),
    fixed=_PLEDGE + _fulfilling("DONOR", 1000),
)

PLEDGE_EXCEEDED = Code(
    "pledge-exceeded", WARNING, "more committed against a pledge than was pledged",
    meaning="The commitments naming a pledge, each less its decommitments, add up to more than the pledge. "
            "A donor may well commit more than it announced; it is worth a look (is the pledge's amount right? "
            "does a commitment name the wrong pledge?). Pledged never falls below zero.",
    fix="Correct the pledge's amount or the commitment's `pledge`, or record the increase as a pledge of its own.",
    hint="correct the pledge's amount, or the pledge the commitments name",
    example=_PLEDGE + _fulfilling("DONOR", 1200),
    fixed=_PLEDGE + _fulfilling("DONOR", 1000),
)

RELEASE_BEFORE_COMMITMENT = Code(
    "release-before-commitment", ERROR, "cash released before it was committed",
    meaning="A release is dated before its commitment. With dates of lower precision only what is certain is "
            "reported: a release dated 2009-02-20 against a commitment dated \"2009-02\" is not.",
    fix="Correct the date of the release or of the commitment (the agreement's signature date).",
    hint="correct the release's or the commitment's date",
    example=_DONOR_AND_PROJECT + '\n[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\n'
                                 'date = 2005-03-01\namount = 1000\n\n'
                                 '[[release]]\ncommitment = "C1"\ndate = 2005-02-15\namount = 1000\n',
    fixed=_DONOR_AND_PROJECT + '\n[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\n'
                               'date = 2005-02-01\namount = 1000\n\n'
                               '[[release]]\ncommitment = "C1"\ndate = 2005-02-15\namount = 1000\n',
)

END_BEFORE_START = Code(
    "end-before-start", ERROR, "a contribution in kind or a project ends before it starts",
    meaning="An [[inkind]] entry's or a [[project]]'s `end` comes before its `start`: a contribution would "
            "accrue nothing, or less than nothing, and no entry could fall within the project's dates.",
    fix="Correct `start` or `end`; leave `end` out while the contribution or the project goes on.",
    hint="correct start or end; leave end out while it goes on",
    example=_DONOR_AND_PROJECT + '\n[[inkind]]\nid = "K1"\nproject = "P1"\nparty = "DONOR"\n'
                                 'description = "Office space"\nnature = "services"\n'
                                 'start = "2006-01"\nend = "2005-12"\nmonthly_value = 500\n',
    fixed=_DONOR_AND_PROJECT + '\n[[inkind]]\nid = "K1"\nproject = "P1"\nparty = "DONOR"\n'
                               'description = "Office space"\nnature = "services"\n'
                               'start = "2005-01"\nend = "2005-12"\nmonthly_value = 500\n',
)

TRANCHE_COMMITMENT = Code(
    "tranche-commitment", ERROR, "a release names a tranche of another commitment",
    meaning="A release is against one commitment and names a tranche that belongs to another one, so it "
            "cannot count against both.",
    fix="Correct the release's `commitment` or its `tranche` so that the tranche belongs to the commitment.",
    hint="make the release's commitment the one its tranche belongs to",
    example=_COMMITMENT + '\n[[commitment]]\nid = "C2"\nproject = "P1"\nparty = "DONOR"\n'
                          'date = 2005-01-10\namount = 500\n\n'
                          '[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 400\n\n'
                          '[[release]]\ncommitment = "C2"\ntranche = "T1"\ndate = 2005-02-01\namount = 400\n',
    fixed=_COMMITMENT + '\n[[commitment]]\nid = "C2"\nproject = "P1"\nparty = "DONOR"\n'
                        'date = 2005-01-10\namount = 500\n\n'
                        '[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 400\n\n'
                        '[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-02-01\namount = 400\n',
)

UNMATCHED_COUNTERPART = Code(
    "unmatched-counterpart", ERROR, "a tranche was released without its counterpart",
    meaning="A tranche with `matched_by` must be accompanied by a release of the counterpart commitment it "
            "names, dated within 31 days of it (either side, inclusive). This one was not.",
    fix="Record the counterpart's release (with its date), or correct the tranche's `matched_by` where it "
        "names the wrong commitment.",
    hint="record the counterpart commitment's release within 31 days, or correct matched_by",
    example=_COMMITMENT + '\n[[commitment]]\nid = "C2"\nproject = "P1"\nparty = "DONOR"\n'
                          'date = 2005-01-10\namount = 500\ninstrument = "counterpart"\n\n'
                          '[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 1000\nmatched_by = "C2"\n\n'
                          '[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-03-01\namount = 1000\n',
    fixed=_COMMITMENT + '\n[[commitment]]\nid = "C2"\nproject = "P1"\nparty = "DONOR"\n'
                        'date = 2005-01-10\namount = 500\ninstrument = "counterpart"\n\n'
                        '[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 1000\nmatched_by = "C2"\n\n'
                        '[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-03-01\namount = 1000\n\n'
                        '[[release]]\ncommitment = "C2"\ndate = 2005-03-20\namount = 500\n',
)

ASSERT_FAILED = Code(
    "assert-failed", ERROR, "a figure from an outside statement is not reproduced",
    meaning="An [[assert]] records a figure from a bank or donor statement; the ledger's own figure for the "
            "project on that date differs. The message shows both and the difference: an entry is missing, "
            "doubled or mistyped (or the statement is wrong).",
    fix="Find the entries that make up the difference and correct them; correct the assert only where the "
        "statement was copied wrong.",
    hint="find the entries that make up the difference; correct the assert only if it was copied wrong",
    example=_COMMITMENT + '\n[[assert]]\nproject = "P1"\ndate = 2005-12-31\ncommitted = 1500\n'
                          'source = "Donor statement of 2005"\n',
    fixed=_COMMITMENT + '\n[[assert]]\nproject = "P1"\ndate = 2005-12-31\ncommitted = 1000\n'
                        'source = "Donor statement of 2005"\n',
)

_BUDGET_PROJECT = (_COMMITMENT.replace('currency = "USD"\n', 'currency = "USD"\nfiscal_year_start = 7\n')
                   + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 1000\n')

BUDGET_OVERLAP = Code(
    "budget-overlap", ERROR, "two budget lines of one project, category and cluster overlap",
    meaning="A budget line is its project, its period (resolved into days by the project's fiscal year), its "
            "category and its cluster. Two lines of the same project, category and cluster whose periods share "
            "days without being the same days would count the same expenses twice (a year and a quarter of it, "
            "a fiscal year and a calendar year). Lines of equal periods are one line (an original and its "
            "revisions); lines of periods that only touch are fine.",
    fix="Budget the project's periods without overlap: the quarters of a year, or the year alone; give a finer "
        "line a category or a cluster of its own.",
    hint="make the periods of the project's lines not overlap, or give a line its own category or cluster",
    example=_BUDGET_PROJECT + '\n[[budget]]\nproject = "P1"\nperiod = "FY2005-06"\namount = 1000\n\n'
                              '[[budget]]\nproject = "P1"\nperiod = "2005"\namount = 800\n',
    fixed=_BUDGET_PROJECT + '\n[[budget]]\nproject = "P1"\nperiod = "FY2005-06"\namount = 1000\n\n'
                            '[[budget]]\nproject = "P1"\nperiod = "FY2006-07"\namount = 800\n',
)

OVER_BUDGET = Code(
    "over-budget", WARNING, "more committed than the budget",
    meaning="The project's commitments (its children's included) add up to more than its budget. A project "
            "without a budget of its own shows the sum of the budgets set below it, and that derived budget is "
            "compared only with the commitments of the projects that set one (each one's children included): "
            "the others' have no budget to exceed. It is a warning: it can be true, but it is worth a look. "
            "It fails the check only with --strict.",
    fix="Raise the budget where it was revised, or correct the commitments.",
    hint="raise the budget where it was revised, or correct the commitments",
    example='[[party]]\nid = "DONOR"\nname = "A donor"\n\n'
            '[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\nbudget = 800\n\n'
            '[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\ndate = 2005-01-10\namount = 1000\n',
    fixed=_COMMITMENT.replace('currency = "USD"\n', 'currency = "USD"\nbudget = 1000\n'),
)

BUDGET_LINE_EXCEEDED = Code(
    "budget-line-exceeded", WARNING, "a budget line spent more than its budget",
    meaning="The expenses that count in a budget line (its project's and those below it, within its period, of its "
            "category and cluster where it names them) add up to more than its amount as of the day of the check "
            "(today, or --as-of): the latest revision on or before that day, else the original. It is a warning: "
            "overspending a line happens, but it needs a revision or a reallocation.",
    fix="Record the revision of the line's budget (a [[budget]] with the same project, period, category and cluster "
        "and `revision = DAY`), or correct the expenses' category or cluster.",
    hint="record the line's revised budget with revision = DAY, or correct the expenses' category or cluster",
    example=_BUDGET_PROJECT + '\n[[budget]]\nproject = "P1"\nperiod = "FY2005-06"\namount = 400\n\n'
                              '[[expense]]\nproject = "P1"\ndate = 2005-08-01\namount = 500\n',
    fixed=_BUDGET_PROJECT + '\n[[budget]]\nproject = "P1"\nperiod = "FY2005-06"\namount = 400\n\n'
                            '[[budget]]\nproject = "P1"\nperiod = "FY2005-06"\namount = 500\nrevision = 2005-07-15\n\n'
                            '[[expense]]\nproject = "P1"\ndate = 2005-08-01\namount = 500\n',
)

OUTSIDE_PROJECT_DATES = Code(
    "outside-project-dates", WARNING, "an entry dated outside its project's start and end",
    meaning="A commitment, release, expense or in-kind start is dated before the project starts or after it "
            "ends. It is a warning: it can be true (a late release), but it is often a typo in the year.",
    fix="Correct the entry's date, or the project's start or end.",
    hint="correct the entry's date, or the project's start or end",
    example='[[party]]\nid = "DONOR"\nname = "A donor"\n\n'
            '[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\nstart = 2005-01-01\nend = 2005-12-31\n\n'
            '[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\ndate = 2006-03-01\namount = 1000\n',
    fixed='[[party]]\nid = "DONOR"\nname = "A donor"\n\n'
          '[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\nstart = 2005-01-01\nend = 2005-12-31\n\n'
          '[[commitment]]\nid = "C1"\nproject = "P1"\nparty = "DONOR"\ndate = 2005-03-01\namount = 1000\n',
)

TRANCHE_OVERDUE = Code(
    "tranche-overdue", WARNING, "a tranche's due date passed before it was fully released",
    meaning="A tranche with a `due` date is not fully released on the day of the check (today, or "
            "--as-of). It is a warning: a late tranche is a fact to follow up, not an error in the file.",
    fix="Record the release if the money arrived; otherwise follow it up, or move `due` where the schedule "
        "was changed.",
    hint="record the release if it arrived, or move due where the schedule changed",
    example=_COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 1000\ndue = 2005-06-30\n',
    fixed=_COMMITMENT + '\n[[tranche]]\nid = "T1"\ncommitment = "C1"\namount = 1000\ndue = 2005-06-30\n\n'
                        '[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-06-15\namount = 1000\n',
)


_TRANCHE_ON_MILESTONE = _COMMITMENT + """
[[milestone]]
id = "M1"
project = "P1"
title = "Baseline survey"
done = 2005-05-20

[[tranche]]
id = "T1"
commitment = "C1"
amount = 1000
requires = ["M1"]
"""

CONDITION_BROKEN = Code(
    "condition-broken", WARNING, "a tranche was released on a day its conditions did not hold",
    meaning="A release of a tranche is judged as `release-check --on` its counting day would have judged it "
            "before the release was recorded (the release itself left out of every figure): each of the "
            "tranche's conditions after, not_before, requires, min_spent and matched_by must hold that day. "
            "A release dated by month or year is reported only where the condition fails on the first day of "
            "its period as well. It is a warning: the cash did arrive, but the agreement was not followed, "
            "or a date is mistyped.",
    fix="Correct the release's date (or its tranche) where it is mistyped; otherwise record what the condition "
        "waited for (the milestone's done date, the earlier tranche's release) with its real date, or follow "
        "the breach up with the donor.",
    hint="correct the release's date or tranche, or record what the condition waited for",
    example=_TRANCHE_ON_MILESTONE + '\n[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-05-10\namount = 1000\n',
    fixed=_TRANCHE_ON_MILESTONE + '\n[[release]]\ncommitment = "C1"\ntranche = "T1"\ndate = 2005-06-10\namount = 1000\n',
)

OVERSPENT = Code(
    "overspent", WARNING, "a project spent more than was released to it",
    meaning="A project's available (released minus spent, its children's included) is below zero on the day of "
            "the check (today, or --as-of): more was spent than the cash that arrived. A release is missing or "
            "dated late, or an expense is doubled or mistyped.",
    fix="Record the missing release (with its date), or correct the expenses.",
    hint="record the missing release, or correct the expenses",
    example=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 400\n\n'
                          '[[expense]]\nproject = "P1"\ndate = 2005-03-01\namount = 500\n',
    fixed=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 500\n\n'
                        '[[expense]]\nproject = "P1"\ndate = 2005-03-01\namount = 500\n',
)

MILESTONE_OVERDUE = Code(
    "milestone-overdue", WARNING, "a milestone's due date passed and it is not done",
    meaning="A milestone's `due` date is before the day of the check (today, or --as-of) and it has no `done` "
            "date on or before that day. It is a warning: a late milestone is a fact to follow up, and the "
            "tranches that require it cannot be released.",
    fix="Record `done` with its date if the milestone was reached; otherwise follow it up, or move `due` where "
        "the plan was changed.",
    hint="record done with its date if it was reached, or move due where the plan changed",
    example=_DONOR_AND_PROJECT + '\n[[milestone]]\nid = "M1"\nproject = "P1"\ntitle = "Baseline survey"\n'
                                 'due = 2005-06-30\n',
    fixed=_DONOR_AND_PROJECT + '\n[[milestone]]\nid = "M1"\nproject = "P1"\ntitle = "Baseline survey"\n'
                               'due = 2005-06-30\ndone = 2005-07-04\n',
)

FUTURE_DATED = Code(
    "future-dated", WARNING, "a release or an expense counts after the day of the check",
    meaning="A release or an expense counts from a day after the day of the check (today, or --as-of), so it is "
            "left out of every figure until then. Cash cannot have arrived, nor been spent, in the future: it "
            "is nearly always a typo in the year (2205 for 2005).",
    fix="Correct the entry's date; to see the figures of a later day, check with --as-of that day.",
    hint="correct the date (a typo in the year?), or check with --as-of a later day",
    example=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2205-02-01\namount = 1000\n',
    fixed=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 1000\n',
)

DUPLICATE_REFERENCE = Code(
    "duplicate-reference", WARNING, "two releases, refunds or expenses with the same reference",
    meaning="Two entries of the same kind (releases, refunds or expenses) carry the same `reference` (a bank "
            "or donor transfer number, a voucher or invoice number): the same transfer or payment is most likely "
            "recorded twice, and counts twice. It is a warning: a reference can be reused by a sender, but it is "
            "worth a look. A release and an expense may share one.",
    fix="Delete the copy, or correct the reference of one of them.",
    hint="delete the copy, or correct one of the references",
    example=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 400\nreference = "TT-0042"\n\n'
                          '[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 400\nreference = "TT-0042"\n',
    fixed=_COMMITMENT + '\n[[release]]\ncommitment = "C1"\ndate = 2005-02-01\namount = 400\nreference = "TT-0042"\n',
)

_PROJECT_ENDING = _DONOR_AND_PROJECT.replace('currency = "USD"\n', 'currency = "USD"\nend = 2005-12-31\n')
_OFFICE_SPACE = ('\n[[inkind]]\nid = "K1"\nproject = "P1"\nparty = "DONOR"\ndescription = "Office space"\n'
                 'nature = "services"\nstart = "2005-01"\nmonthly_value = 500\n')

INKIND_AFTER_END = Code(
    "inkind-after-end", WARNING, "a contribution in kind goes on after its project ends",
    meaning="An [[inkind]] entry's `end` is after its project's `end`, or it has a `monthly_value` and no `end` "
            "in a project that has one: its value keeps accruing month after month past the project's end. "
            "Only what is certain is reported (an end of \"2005-12\" is not after a project end of 2005-12-20).",
    fix="Give the contribution an `end` on or before its project's end (or correct the project's end).",
    hint="give the contribution an end on or before its project's end",
    example=_PROJECT_ENDING + _OFFICE_SPACE,
    fixed=_PROJECT_ENDING + _OFFICE_SPACE + 'end = "2005-12"\n',
)


# The problems of `cndledger iati import`: each is located at a line of the IATI XML file it reads, not
# of a ledger, so none has an example ledger (its `setup` says what shows it). docs/iati-import.md.

IATI_UNREADABLE = Code(
    "iati-unreadable", ERROR, "an IATI file cannot be read (iati import)",
    meaning="`cndledger iati import` could not read the file at all: it is not well-formed XML, its root "
            "element is not <iati-activities>, or it cannot be opened. Nothing of it is imported; the other files are.",
    fix="Check that the file is an IATI activity file (its first element <iati-activities>), complete and "
        "well-formed (xmllint --noout FILE.xml), and import it again.",
    hint="check that the file is a complete IATI activity file (xmllint --noout FILE.xml)",
    example=None, fixed=None, command="iati import",
    setup="cndledger iati import on a file that ends in the middle of an <iati-activity> element",
)

IATI_LEFT_OUT = Code(
    "iati-left-out", ERROR, "an element of an IATI file cannot be read, and is left out (iati import)",
    meaning="A transaction, budget, planned disbursement or activity of the IATI file lacks what it needs, or "
            "holds a value that cannot be read (an amount that is not a number, a date that is not a date, a "
            "transaction type that is no TransactionType code): it is left out of the imported ledger, "
            "and the import exits 1.",
    fix="Correct the element in the IATI file at the line given (or ask its publisher to), and import it "
        "again; or add the entry it stands for to the ledger by hand (cndledger add).",
    hint="correct the element at this line of the IATI file, or add its entry by hand",
    example=None, fixed=None, command="iati import",
    setup='cndledger iati import on a file holding <transaction> with <value>twelve</value>',
)

IATI_NOT_CARRIED = Code(
    "iati-not-carried", WARNING, "an IATI value the ledger has no place for is left out (iati import)",
    meaning="The import read the element but the ledger format cannot hold it as it stands: a transaction "
            "type with no table (interest payment, loan repayment, reimbursement, equity, credit guarantee), "
            "a refund beyond what was released, a decommitment beyond what remains committed, a negative "
            "pledge or budget, a budget in another currency than its activity or whose period no period label "
            "holds, a second budget for one period, a planned disbursement beyond the commitments, an amount in "
            "an unknown currency, a second activity of one identifier. Its amount is in no figure.",
    fix="Nothing, where the value does not belong in a funding ledger (interest, loans); else add the entry "
        "by hand as it should stand, with a note citing the IATI file and line.",
    hint="add the entry by hand if the ledger should hold it, citing this line",
    example=None, fixed=None, command="iati import",
    setup="cndledger iati import on a file holding a transaction of type 5 (interest payment)",
)

IATI_IMPLIED_COMMITMENT = Code(
    "iati-implied-commitment", WARNING, "a disbursement without a commitment before it (iati import)",
    meaning="A release must be against a commitment, and the IATI file has no commitment (type 11 or 2) of "
            "the same activity, provider and currency, dated on or before the disbursement and not yet "
            "released, for all of it. The import writes an implied commitment of what is missing, dated "
            "the disbursement's day, its note saying so: released and spent stay as the file has them, and "
            "committed is more than the file's commitments by the implied amounts.",
    fix="Where the commitment is known (an agreement, an earlier file), replace the implied commitment by "
        "it; else keep it: its note says where it comes from.",
    hint="replace the implied commitment by the real one where it is known",
    example=None, fixed=None, command="iati import",
    setup="cndledger iati import on an activity holding a disbursement (type 3) and no commitment",
)

IATI_ROUNDED = Code(
    "iati-rounded", WARNING, "an IATI amount finer than its currency's minor unit is rounded (iati import)",
    meaning="A ledger amount has at most its currency's minor-unit decimals (2 for EUR, 0 for JPY); the IATI "
            "value has more, so the import rounds it half away from zero and says so.",
    fix="Nothing, where the rounding is right; else correct the entry's amount by hand.",
    hint="check the rounded amount against the source",
    example=None, fixed=None, command="iati import",
    setup="cndledger iati import on a transaction of <value currency=\"EUR\">10.005</value>",
)

IATI_NEEDS_RATE = Code(
    "iati-needs-rate", WARNING, "an IATI value no rate given converts is left out (iati import)",
    meaning="The activity's currency (its default-currency) becomes the project's; a transaction in another "
            "currency keeps its own `currency`, and counts in the project (and in those above it) only at an "
            "exchange rate, which IATI files do not carry. The rates given with `--rates FILE.csv` are written to "
            "the ledger (rates.toml); where none of them converts the entry on its day (none of the pair dated on "
            "or before it, either way round), the entry is left out, as it would leave the ledger's figures "
            "undefined (`no-rate`, which stops every report), and counted as skipped in the summary; so are the "
            "releases, refunds and decommitments of a commitment left out so (no implied commitment takes them), "
            "and a planned disbursement no rate converts on its due day. An activity in another currency than its "
            "parent, where no rate of the pair is given, is written as a root project (no `parent`).",
    fix="Import again with `--rates FILE.csv` (date,from,to,rate, or the UN operational rates) holding a rate "
        "of the pair dated on or before the entry: it is then written, with the rates it needs; or add the entry "
        "and its `[[rate]]` by hand.",
    hint="import again with --rates FILE.csv holding a rate of the pair dated on or before the entry",
    example=None, fixed=None, command="iati import",
    setup='cndledger iati import on an activity of default-currency="EUR" holding a value of currency="USD", '
          "without --rates",
)

IATI_PERIOD_WIDENED = Code(
    "iati-period-widened", WARNING, "an IATI budget period is no period label, and is widened (iati import)",
    meaning="A [[budget]] line's period is a year, a quarter, a month or a fiscal year; the IATI budget's "
            "period is none of them exactly (2010-01-01 to 2010-12-19), so the line takes the smallest such "
            "period that holds it, and its note keeps the IATI period as written.",
    fix="Nothing, where the wider period is right; else correct the line's period by hand.",
    hint="check the budget line's period against the IATI period in its note",
    example=None, fixed=None, command="iati import",
    setup="cndledger iati import on a budget from 2010-01-01 to 2010-12-19",
)

# The problems of `cndledger iati export`, not of `check`: a ledger is complete without IATI's identifiers
# until it is published as IATI. docs/iati.md.
_IATI_PARTY = '[[party]]\nid = "DONOR"\nname = "A donor"\ntype = "government"\n'
_IATI_PROJECT = ('\n[[project]]\nid = "P1"\ntitle = "A project"\ncurrency = "USD"\nstart = 2005-01-01\n'
                 'executing = "DONOR"\nrecipient_country = "PK"\n')

IATI_MISSING_IDENTIFIER = Code(
    "iati-missing-identifier", ERROR, "IATI export lacks an identifier or a value the standard requires",
    command="iati export",
    meaning="An IATI activity file names every organisation by its IATI organisation identifier (XM-DAC-41123 "
            "for UNIDO) and every activity by its iati-identifier, and says which country an activity benefits. "
            "The format has no such identifiers unless the ledger gives them: `iati_ref` on a party (and its "
            "`type`, for the reporting organisation), `iati_identifier` and `recipient_country` on a project "
            "(a project without a country takes its parent's). `cndledger iati export` lists each one missing, "
            "at the entry that lacks it, and writes nothing. `check` does not report it: a ledger is complete "
            "without them until it is published.",
    fix="Add the key the message names to the entry at the line given: an organisation's published identifier "
        "(the IATI Registry, or the OECD DAC list of channel codes, lists them; never invent one), the activity "
        "identifier under which it is published, the ISO 3166-1 alpha-2 code of the country.",
    hint="add the identifier the message names; use only a published one, never an invented one",
    example=_IATI_PARTY + _IATI_PROJECT,
    fixed=_IATI_PARTY.replace('type = ', 'iati_ref = "XM-EXAMPLE-1"\ntype = ')
    + _IATI_PROJECT + 'iati_identifier = "XM-EXAMPLE-1-P1"\n',
)


IATI_BUDGET_PERIOD = Code(
    "iati-budget-period", ERROR, "IATI export meets a budget period longer than a year",
    command="iati export",
    meaning="An IATI budget covers a year at most (the standard says a budget's period must not exceed one "
            "year). Every period of the format (a year, a quarter, a month, a fiscal year) is a year at most, so "
            "export meets none longer; should one arise, export refuses it rather than split its amount over "
            "years by a rule the ledger does not give.",
    fix="Write the budget as lines of a year or less (one per fiscal year, say).",
    hint="split the line into periods of a year or less",
    example=None, fixed=None,
    setup="a budget line whose period runs longer than a year (no period label of the format does)",
)


FATAL_CODES = frozenset(name for name, code in CODES.items() if code.fatal)

#!/usr/bin/env python3
"""Generate a large, valid cndledger funding ledger (format v1, and v2's budget lines) for benchmarks.

Usage: python bench/generate.py N OUTDIR [--currencies]

Writes about N entries (every [[table]] counts as one entry) into OUTDIR/ledger/
as parties.toml, projects.toml and funding-0001.toml, funding-0002.toml, ...
(no file holds more than 50 000 entries), and the same money as a
ledger-cli / hledger journal in OUTDIR/ledger.journal. Each project also gets a
[[budget]] line per calendar year it spans (one with a revision), above
what it spends in that year; they are not money, so they come on top of the N
entries and leave the journal as it was.

With --currencies the ledger is in several currencies, as a trust fund in Pakistan keeps one: a
monthly `[[rate]]` from USD to PKR over the whole range, a fifth of the expenses paid in rupees, credit
notes (negative expenses) and a refund per project. The rupee rates (40, 50, 80, 125 in turn) convert
each rupee expense back to its dollar cents exactly, so the figures (and the asserts) are those of the
dollars, and the journal for ledger-cli and hledger stays in dollars.

The output is deterministic: it depends on N (and --currencies) only (random.Random(N)).
The ledger is meant to pass `cndledger check` with no error and no warning.
Python 3.11 standard library only; strings are written directly (no TOML
library) so that a million entries take seconds.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date

MAX_ENTRIES_PER_FILE = 50_000
MULTI = False  # --currencies
PKR_RATES = (40, 50, 80, 125)  # USD→PKR by month, in turn: 1/rate is a finite decimal, so cents come back exact


def pkr_rate(iso_day: str) -> int:
    """The USD→PKR rate of the month of a day written 2005-03-31."""
    return PKR_RATES[(int(iso_day[:4]) * 12 + int(iso_day[5:7])) % len(PKR_RATES)]

# id, name, type, aliases
PARTIES = [
    ("UNDP", "United Nations Development Programme", "multilateral", []),
    ("UNICEF", "United Nations Children's Fund", "multilateral", []),
    ("WFP", "World Food Programme", "multilateral", []),
    ("WHO", "World Health Organization", "multilateral", []),
    ("UNHCR", "Office of the UN High Commissioner for Refugees", "multilateral", []),
    ("WB", "World Bank", "multilateral", ["IBRD", "World Bank Group"]),
    ("ADB", "Asian Development Bank", "multilateral", []),
    ("ECHO", "European Civil Protection and Humanitarian Aid Operations", "multilateral", ["EC-ECHO"]),
    ("FCDO", "Foreign, Commonwealth & Development Office", "government", ["DFID"]),
    ("USAID", "United States Agency for International Development", "government", []),
    ("GAC", "Global Affairs Canada", "government", ["CIDA", "DFATD"]),
    ("DFAT", "Australian Department of Foreign Affairs and Trade", "government", ["AusAID"]),
    ("GIZ", "Deutsche Gesellschaft für Internationale Zusammenarbeit", "government", ["GTZ"]),
    ("JICA", "Japan International Cooperation Agency", "government", []),
    ("SIDA", "Swedish International Development Cooperation Agency", "government", []),
    ("NORAD", "Norwegian Agency for Development Cooperation", "government", []),
    ("GOV-PAK", "Government of Pakistan, Economic Affairs Division", "government", ["EAD", "GoP"]),
    ("NDMA", "National Disaster Management Authority", "government", []),
    ("AKF", "Aga Khan Foundation", "private", ["AKDN"]),
    ("OXFAM", "Oxfam GB", "ngo", []),
    ("SC", "Save the Children", "ngo", ["SCF"]),
    ("LUMS", "Lahore University of Management Sciences", "academic", []),
]
ALIASES = {pid: aliases for pid, _n, _t, aliases in PARTIES}
DONORS = ["WB", "ADB", "ECHO", "FCDO", "USAID", "GAC", "DFAT", "GIZ", "JICA", "SIDA", "NORAD", "AKF"]
COUNTERPARTS = ["GOV-PAK", "NDMA"]
EXECUTING = ["UNDP", "UNICEF", "WFP", "WHO", "UNHCR", "OXFAM", "SC", "AKF"]
GRANT_INSTRUMENTS = ["grant", "grant", "grant", "trust-fund", "cost-sharing", "parallel", "other"]
CLUSTERS = ["health", "education", "wash", "shelter", "food-security", "livelihoods",
            "protection", "nutrition", "logistics", "early-recovery", "governance"]
CATEGORIES = ["salaries", "travel", "equipment", "supplies", "contracts", "training",
              "operations", "monitoring"]
DISTRICTS = ["Muzaffarabad", "Bagh", "Poonch", "Neelum", "Mansehra", "Battagram", "Shangla",
             "Abbottabad", "Kohistan", "Swat", "Dir", "Chitral", "Thatta", "Badin", "Dadu",
             "Jacobabad", "Rajanpur", "Muzaffargarh", "Dera Ghazi Khan", "Nowshera"]
INKIND = [  # party, nature, description, basis
    ("WFP", "goods", "Food rations from the WFP pipeline", "WFP landed cost"),
    ("GOV-PAK", "services", "Office space in the district secretariat", "market rent"),
    ("NDMA", "goods", "Tents and tarpaulins from national stocks", "NDMA stock value"),
    ("UNHCR", "goods", "Non-food item kits", "UNHCR catalogue price"),
    ("LUMS", "services", "Seconded engineers and survey team", "daily rates"),
    ("GOV-PAK", "services", "Warehouse and trucks", None),
    ("UNICEF", "goods", "Hygiene kits and water purification tablets", "UNICEF supply catalogue"),
    ("AKF", "services", "Community mobilisers", None),
]
MILESTONE_TITLES = ["Inception report approved", "Baseline survey completed",
                    "Procurement plan approved", "Mid-term review completed",
                    "Site selection agreed with district", "Audit report submitted",
                    "Works 50% complete", "Handover to line department"]

# ---------------------------------------------------------------- dates ---
BASE = date(1998, 1, 1).toordinal()
TOP = date(2032, 1, 1).toordinal()
ISO: list[str] = []
MF: list[int] = []  # first ordinal of the month
ML: list[int] = []  # last ordinal of the month
YF: list[int] = []
YL: list[int] = []
for _o in range(BASE, TOP):
    _d = date.fromordinal(_o)
    ISO.append(_d.isoformat())
    MF.append(_o - _d.day + 1)
    _nm = date(_d.year + (_d.month == 12), _d.month % 12 + 1, 1).toordinal()
    ML.append(_nm - 1)
    YF.append(date(_d.year, 1, 1).toordinal())
    YL.append(date(_d.year, 12, 31).toordinal())


def iso(o: int) -> str:
    return ISO[o - BASE]


class D:
    """A date as written: TOML text, and the first/last day it stands for."""

    __slots__ = ("toml", "first", "last")

    def __init__(self, toml: str, first: int, last: int):
        self.toml = toml
        self.first = first
        self.last = last

    @property
    def jdate(self) -> str:  # journal date: last day of the period
        return ISO[self.last - BASE]


def make_date(rng: random.Random, o: int, lo: int, hi: int, p_str=0.03, p_month=0.1, p_year=0.0) -> D:
    """Date at ordinal o, sometimes written as a string / month / year, but only
    when the whole period lies inside lo..hi (so every check is certain)."""
    r = rng.random()
    i = o - BASE
    if r < p_year and YF[i] >= lo and YL[i] <= hi:
        return D('"' + ISO[i][:4] + '"', YF[i], YL[i])
    r -= p_year
    if r < p_month and MF[i] >= lo and ML[i] <= hi:
        return D('"' + ISO[i][:7] + '"', MF[i], ML[i])
    r -= p_month
    if r < p_str:
        return D('"' + ISO[i] + '"', o, o)
    return D(ISO[i], o, o)


def full(o: int) -> D:
    return D(ISO[o - BASE], o, o)


# -------------------------------------------------------------- amounts ---
def money(c: int) -> str:
    """Cents as a decimal with 2 places (c >= 1)."""
    return f"{c // 100}.{c % 100:02d}"


def signed_money(c: int) -> str:
    return ("-" if c < 0 else "") + money(abs(c))


def toml_amount(rng: random.Random, c: int) -> str:
    """Cents written as a TOML integer (when whole) or decimal."""
    if c % 100 == 0:
        r = rng.random()
        if r < 0.4:
            return f"{c // 100:_}"
        if r < 0.9:
            return str(c // 100)
        return f"{c // 100}.00"
    if c % 10 == 0 and rng.random() < 0.3:
        return f"{c // 100}.{(c % 100) // 10}"
    return money(c)


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qlist(items) -> str:
    return "[" + ", ".join(q(x) for x in items) + "]"


def party_ref(rng: random.Random, pid: str) -> str:
    al = ALIASES[pid]
    if al and rng.random() < 0.2:
        return rng.choice(al)
    return pid


def split_dollars(rng: random.Random, total_d: int, k: int) -> list[int]:
    """Split whole dollars into k positive parts (returned in cents)."""
    w = [rng.randint(2, 5) for _ in range(k)]
    sw = sum(w)
    parts = [max(1, total_d * x // sw) for x in w[:-1]]
    parts.append(total_d - sum(parts))
    assert all(p > 0 for p in parts), parts
    return [p * 100 for p in parts]


# -------------------------------------------------------------- project ---
class Counts(dict):
    def add(self, kind, n=1):
        self[kind] = self.get(kind, 0) + n


def gen_structure(rng: random.Random, i: int, prog_id: str):
    """Everything of child project i except its expenses.

    Returns (project dict, list of (kind, toml_text), list of journal texts, counts, sums)."""
    start = rng.randint(date(2000, 1, 1).toordinal(), date(2013, 12, 31).toordinal())
    if rng.random() < 0.5:
        start = MF[start - BASE]  # many projects start on the 1st
    dur = rng.randint(3 * 365, 7 * 365)
    end = start + dur
    if rng.random() < 0.5:
        end = ML[end - BASE]
    yy = int(ISO[start - BASE][2:4])
    pid = f"UN/PAK/{yy:02d}/{i:04d}"
    clusters = rng.sample(CLUSTERS, rng.randint(2, 4))
    district = rng.choice(DISTRICTS)
    title = f"{clusters[0].replace('-', ' ').capitalize()} and {clusters[1].replace('-', ' ')} recovery, {district}"
    executing = rng.choice(EXECUTING)

    items: list[tuple[str, str]] = []
    jour: list[str] = []
    counts = Counts()
    P = f"Projects:{pid}"
    committed = 0
    released = 0
    release_no = 0
    milestones: list[tuple[str, str]] = []  # (id, toml text)
    tranche_texts: list[str] = []
    release_texts: list[str] = []

    ncomm = rng.choices([1, 2, 3], weights=[25, 40, 35])[0]
    has_cp = ncomm >= 2 and rng.random() < 0.6
    ngrants = ncomm - (1 if has_cp else 0)
    rel_hi = end - 45  # releases (and their counterparts) end before this
    comm_hi = start + dur // 5

    def add_release(cid, cparty, d: D, c: int, tranche: str | None):
        nonlocal released, release_no
        release_no += 1
        released += c
        t = "[[release]]\n"
        if rng.random() < 0.3:
            t += f'id = "{pid}/R{release_no:03d}"\n'
        t += f'commitment = "{cid}"\n'
        if tranche:
            t += f'tranche = "{tranche}"\n'
        t += f"date = {d.toml}\namount = {toml_amount(rng, c)}\n"
        if rng.random() < 0.4:
            t += f'reference = "TT-{rng.randint(100000, 999999)}"\n'
        release_texts.append(t)
        counts.add("release")
        amt = money(c)
        jour.append(f"{d.jdate} Release {cid}\n    {P}:Cash  USD {amt}\n    {P}:Committed  USD -{amt}\n\n")

    grants = []
    for g in range(ngrants):
        cid = f"{pid}/C{g + 1}"
        party = rng.choice(DONORS)
        o = rng.randint(start, comm_hi)
        cd = make_date(rng, o, start, end, p_str=0.05, p_month=0.15)
        if rng.random() < 0.8:
            amount = rng.randint(200, 5000) * 100_000
        else:
            amount = rng.randint(200_000_00, 5_000_000_00)
        grants.append([cid, party, cd, amount, rng.choice(GRANT_INSTRUMENTS)])
    cp = None
    if has_cp:
        first = min(grants, key=lambda x: x[2].last)
        cp = [f"{pid}/C{ngrants + 1}", rng.choice(COUNTERPARTS), first[2], 0, "counterpart"]
    cp_released = 0

    def add_cp_release(d: D, c: int):
        nonlocal cp_released
        cp_released += c
        add_release(cp[0], cp[1], d, c, None)

    for cid, party, cd, amount, _instr in grants:
        lo = cd.last
        if rng.random() < 0.6:
            # tranches with an `after` chain, released in order
            k = rng.randint(2, 5)
            share_d = amount // 100 if rng.random() < 0.6 else int(amount // 100 * rng.uniform(0.7, 1.0))
            parts = split_dollars(rng, share_d, k)
            seg = (rel_hi - lo) // k
            nfull = k if rng.random() < 0.5 else rng.randint(0, k - 1)
            tids = [f"{cid}/T{j + 1}" for j in range(k)]
            for j in range(k):
                tid = tids[j]
                ta = parts[j]
                s0 = lo + j * seg + 1
                t = f'[[tranche]]\nid = "{tid}"\ncommitment = "{cid}"\namount = {toml_amount(rng, ta)}\n'
                if j >= 1:
                    r = rng.random()
                    if j >= 2 and r < 0.15:
                        t += f"after = {qlist(tids[j - 2:j])}\n"
                    elif r < 0.85:
                        t += f"after = {qlist([tids[j - 1]])}\n"
                matched = cp is not None and rng.random() < 0.5
                if matched:
                    t += f'matched_by = "{cp[0]}"\n'
                # releases of this tranche
                rels: list[tuple[int, int]] = []
                if j < nfull:
                    if rng.random() < 0.7:
                        rels = [(rng.randint(s0, s0 + seg // 2), ta)]
                    else:
                        a = max(100, int(ta // 100 * rng.uniform(0.3, 0.7)) * 100)
                        rels = [(rng.randint(s0, s0 + seg // 2), a),
                                (rng.randint(s0 + seg // 2 + 1, s0 + seg - 1), ta - a)]
                elif j == nfull and rng.random() < 0.4 and ta > 100:
                    a = max(100, int(ta // 100 * rng.uniform(0.2, 0.8)) * 100)
                    if a < ta:
                        rels = [(rng.randint(s0, s0 + seg // 2), a)]
                fully = bool(rels) and sum(c for _o, c in rels) == ta
                if rels:
                    first_o = rels[0][0]
                    if rng.random() < 0.25:
                        t += f"not_before = {iso(max(lo, first_o - rng.randint(0, 30)))}\n"
                    if rng.random() < 0.3:
                        done = max(start, first_o - rng.randint(1, 30))
                        mid = f"{pid}/M{len(milestones) + 1}"
                        milestones.append((mid, (f'[[milestone]]\nid = "{mid}"\nproject = "{pid}"\n'
                                            f"title = {q(rng.choice(MILESTONE_TITLES))}\n"
                                            f"due = {iso(done + rng.randint(-20, 40))}\ndone = {iso(done)}\n")))
                        t += f"requires = {qlist([mid])}\n"
                    if fully and rng.random() < 0.5:
                        t += f"due = {iso(rels[-1][0] + rng.randint(0, 60))}\n"
                elif rng.random() < 0.5:
                    mid = f"{pid}/M{len(milestones) + 1}"
                    due = iso(rng.randint(s0, end))  # done when due: the tranche waits for nothing else
                    milestones.append((mid, (f'[[milestone]]\nid = "{mid}"\nproject = "{pid}"\n'
                                        f"title = {q(rng.choice(MILESTONE_TITLES))}\n"
                                        f"due = {due}\ndone = {due}\n")))
                    t += f"requires = {qlist([mid])}\n"
                if rng.random() < 0.1:
                    t += 'note = "Release subject to satisfactory progress report"\n'
                tranche_texts.append(t)
                counts.add("tranche")
                for o, c in rels:
                    add_release(cid, party, make_date(rng, o, lo, end, p_str=0.05, p_month=0.0), c, tid)
                    if matched:
                        cpc = max(100, int(c // 100 * rng.uniform(0.1, 0.3)) * 100)
                        add_cp_release(full(o + rng.randint(0, 20)), cpc)
        else:
            n = rng.randint(1, 4)
            total_d = amount // 100 if rng.random() < 0.4 else int(amount // 100 * rng.uniform(0.5, 1.0))
            parts = split_dollars(rng, total_d, n)
            for o, c in zip(sorted(rng.randint(lo, rel_hi) for _ in range(n)), parts):
                add_release(cid, party, make_date(rng, o, lo, end, p_str=0.05, p_month=0.1), c, None)
    if cp is not None:
        for _ in range(rng.randint(0, 2)):
            c = rng.randint(10, 200) * 100_000
            add_cp_release(make_date(rng, rng.randint(cp[2].last, rel_hi), cp[2].last, end, p_month=0.1), c)
        if cp_released:
            cp[3] = -(-cp_released * rng.uniform(1.0, 1.4) // 100_000) * 100_000
            cp[3] = int(max(cp[3], cp_released))
        else:
            cp[3] = rng.randint(50, 500) * 100_000
    comms = grants + ([cp] if cp else [])
    for cid, party, cd, amount, instr in comms:
        committed += amount
        t = (f'[[commitment]]\nid = "{cid}"\nproject = "{pid}"\nparty = "{party_ref(rng, party)}"\n'
             f"date = {cd.toml}\namount = {toml_amount(rng, amount)}\n")
        if rng.random() < 0.2:
            t += 'currency = "USD"\n'
        t += f'instrument = "{instr}"\n'
        if rng.random() < 0.5:
            t += f'agreement = "{party}/{ISO[cd.last - BASE][:4]}/{rng.randint(1, 999):03d}"\n'
        items.append(("commitment", t))
        counts.add("commitment")
        amt = money(amount)
        jour.append(f"{cd.jdate} Commitment {cid}\n    {P}:Committed  USD {amt}\n    Parties:{party}  USD -{amt}\n\n")
    items.extend(("tranche", t) for t in tranche_texts)
    items.extend(("release", t) for t in release_texts)
    for _ in range(rng.randint(0, 2)):
        mid = f"{pid}/M{len(milestones) + 1}"
        due = iso(rng.randint(start, end))
        t = (f'[[milestone]]\nid = "{mid}"\nproject = "{pid}"\ntitle = {q(rng.choice(MILESTONE_TITLES))}\n'
             f"due = {due}\n")
        # Every milestone is done (these ledgers' days are all past): one never done is `milestone-overdue`.
        t += f"done = {iso(rng.randint(start, end)) if rng.random() < 0.6 else due}\n"
        milestones.append((mid, t))
    for _mid, t in milestones:
        items.append(("milestone", t))
        counts.add("milestone")

    # in kind
    for n in range(rng.randint(1, 3)):
        iparty, nature, desc, basis = rng.choice(INKIND)
        o = rng.randint(start, end - 200)
        sd = make_date(rng, o, start, end, p_str=0.05, p_month=0.2)
        ed = None
        r = rng.random()
        if r < 0.4 or rng.random() < 0.6:
            ed = full(min(end, sd.last + rng.randint(60, 900)))
        t = (f'[[inkind]]\nid = "{pid}/K{n + 1}"\nproject = "{pid}"\nparty = "{party_ref(rng, iparty)}"\n'
             f"description = {q(desc)}\nnature = \"{nature}\"\nstart = {sd.toml}\n")
        if ed is not None:
            t += f"end = {ed.toml}\n"
        if r < 0.4:
            mv = rng.randint(500, 20_000) * 100
            t += f"monthly_value = {toml_amount(rng, mv)}\n"
            s_i, e_i = ISO[sd.last - BASE], ISO[ed.last - BASE]
            months = (int(e_i[:4]) * 12 + int(e_i[5:7])) - (int(s_i[:4]) * 12 + int(s_i[5:7])) + 1
            amt = money(mv * months)
            jour.append(f"{ed.jdate} In kind {pid}/K{n + 1} ({months} months)\n"
                        f"    {P}:InKind  USD {amt}\n    Parties:{iparty}:InKind  USD -{amt}\n\n")
        elif r < 0.75:
            v = rng.randint(5_000, 500_000) * 100 + (rng.randint(1, 99) if rng.random() < 0.3 else 0)
            t += f"value = {toml_amount(rng, v)}\n"
            amt = money(v)
            jour.append(f"{sd.jdate} In kind {pid}/K{n + 1}\n"
                        f"    {P}:InKind  USD {amt}\n    Parties:{iparty}:InKind  USD -{amt}\n\n")
        if basis and r < 0.75:
            t += f"basis = {q(basis)}\n"
        items.append(("inkind", t))
        counts.add("inkind")

    budget = -(-int(committed * rng.uniform(1.0, 1.25)) // 100_000) * 100_000
    budget = max(budget, committed)
    proj = {"id": pid, "title": title, "start": start, "end": end, "budget": budget, "clusters": clusters,
            "executing": executing, "note": f"District: {district}" if rng.random() < 0.3 else None}
    return proj, items, jour, counts, committed, released


def gen_expenses(rng: random.Random, pid: str, start: int, end: int, clusters: list[str],
                 n: int, released: int):
    """n expenses of project pid; returns (toml text, journal text, total cents, cents by the year they count in)."""
    rnd = rng.random
    target = released * (0.6 + 0.35 * rnd())
    avg = target / n if n else 0
    lo = start + 30
    span = end - lo + 1
    dates = sorted(lo + int(rnd() * span) for _ in range(n))
    ncl = len(clusters)
    P = f"Projects:{pid}"
    pcash = f"    {P}:Cash  USD -"
    pexp = f"    {P}:Expenses:"
    head = f'[[expense]]\nproject = "{pid}"\ndate = '
    tout: list[str] = []
    jout: list[str] = []
    spent = 0
    spent_in: dict[int, int] = {}
    for k in range(n):
        o = dates[k]
        i = o - BASE
        r = rnd()
        if r < 0.955:
            dt = jd = ISO[i]
        elif r < 0.975:
            jd = ISO[i]
            dt = '"' + jd + '"'
        elif r < 0.997:
            if MF[i] >= start and ML[i] <= end:
                dt = '"' + ISO[i][:7] + '"'
                jd = ISO[ML[i] - BASE]
            else:
                dt = jd = ISO[i]
        else:
            if YF[i] >= start and YL[i] <= end:
                dt = '"' + ISO[i][:4] + '"'
                jd = ISO[YL[i] - BASE]
            else:
                dt = jd = ISO[i]
        c = int(avg * (0.2 + 1.6 * rnd()))
        c = max(c, 100)
        if MULTI and k and rnd() < 0.01 and spent > 2 * c:  # a credit note: never more than was spent
            c = -max(1, c // 4)
        spent += c
        spent_in[int(jd[:4])] = spent_in.get(int(jd[:4]), 0) + c
        amt = money(c) if c > 0 else "-" + money(-c)
        t = head + dt + "\namount = " + amt + "\n"
        if MULTI and rnd() < 0.2:  # paid in rupees, at the month's rate (exactly the dollar cents back)
            rupees = c * pkr_rate(jd)
            t = head + dt + "\namount = " + (money(rupees) if rupees > 0 else "-" + money(-rupees)) \
                + '\ncurrency = "PKR"\n'
        if rnd() < 0.7:
            cl = clusters[int(rnd() * ncl)]
            t += 'cluster = "' + cl + '"\n'
        else:
            cl = "unallocated"
        if rnd() < 0.4:
            t += 'category = "' + CATEGORIES[int(rnd() * 8)] + '"\n'
        if rnd() < 0.1:
            eid = f"{pid}/E{k + 1:04d}"
            t += 'id = "' + eid + '"\n'
            payee = " Expense " + eid
        else:
            payee = " Expense"
        if rnd() < 0.01:
            t += 'note = "Paid by cheque; see cash book"\n'
        tout.append(t)
        jout.append(jd + payee + "\n" + pexp + cl + "  USD " + amt + "\n" + pcash + amt + "\n\n" if c > 0 else
                    jd + payee + "\n" + pexp + cl + "  USD " + amt + "\n" + pcash[:-1] + money(-c) + "\n\n")
    return "\n".join(tout) + "\n" if tout else "", "".join(jout), spent, spent_in


def refund(items: list[tuple[str, str]], end: int) -> tuple[int, str]:
    """A refund of a hundredth of the project's first release, dated the project's last day: (cents, toml)."""
    text = next((t for kind, t in items if kind == "release"), None)
    if text is None:
        return 0, ""
    fields = dict(line.split(" = ", 1) for line in text.splitlines() if " = " in line)
    cents = int(float(fields["amount"].replace("_", "")) * 100 + 0.5)  # the generator's own cents, exactly
    amount = max(1, cents // 100)
    return amount, (f'[[refund]]\ncommitment = {fields["commitment"]}\ndate = {iso(end)}\n'
                    f"amount = {money(amount)}\n\n")


def budget_lines(pid: str, start: int, end: int, spent_in: dict[int, int]) -> list[str]:
    """A [[budget]] line for each calendar year of the project, 5 % above its spending that year (rounded
    up to thousands); the first with spending revised on 1 July to 20 % above. No random numbers: the rest of the
    ledger stays as it was, and no line is ever exceeded (`check` stays clean)."""
    def above(cents: int, share: int) -> int:
        return max(1, -(-cents * share // 100 // 100_000)) * 1000

    lines = []
    revised = min(spent_in, default=None)
    for year in range(int(ISO[start - BASE][:4]), int(ISO[end - BASE][:4]) + 1):
        spent = spent_in.get(year, 0)
        lines.append(f'[[budget]]\nproject = "{pid}"\nperiod = "{year}"\namount = {above(spent, 105)}\n')
        if year == revised:
            lines.append(f'[[budget]]\nproject = "{pid}"\nperiod = "{year}"\namount = {above(spent, 120)}\n'
                         f"revision = {year}-07-01\n")
    return lines


# ----------------------------------------------------------------- main ---
def main(argv: list[str]) -> int:
    global MULTI
    MULTI = "--currencies" in argv[3:]
    argv = [arg for arg in argv if arg != "--currencies"]
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        print("usage: python bench/generate.py N OUTDIR [--currencies]", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    N = int(argv[1])
    outdir = argv[2]
    ldir = os.path.join(outdir, "ledger")
    os.makedirs(ldir, exist_ok=True)
    for f in os.listdir(ldir):  # a re-run replaces an earlier output
        if f.endswith(".toml"):
            os.remove(os.path.join(ldir, f))
    rng = random.Random(N)
    C = max(3, N // 500)
    prog_id = "PAK-ERRP"
    header = f"# cndledger benchmark ledger, generated by bench/generate.py {N}\n\n"

    counts = Counts()
    counts.add("party", len(PARTIES))
    counts.add("project", C + 1)
    counts.add("assert", 1)  # the programme's
    fixed = len(PARTIES) + C + 2
    per_child = max(0.0, (N - fixed) / C)

    files: list[tuple[str, int]] = []
    cur: list[str] = [header]
    cur_n = 0

    def flush():
        nonlocal cur, cur_n
        name = f"funding-{len(files) + 1:04d}.toml"
        with open(os.path.join(ldir, name), "w", encoding="utf-8") as fh:
            fh.write("".join(cur))
        files.append((name, cur_n))
        cur = [header]
        cur_n = 0

    projects = []
    tot_committed = tot_released = tot_spent = tot_refunded = 0
    written = 0
    with open(os.path.join(outdir, "ledger.journal"), "w", encoding="utf-8") as jf:
        jf.write(f"; cndledger benchmark journal, generated by bench/generate.py {N}\n"
                 f"; the same money as ledger/*.toml, for ledger-cli and hledger\n\n")
        for i in range(1, C + 1):
            proj, items, jour, pcounts, committed, released = gen_structure(rng, i, prog_id)
            nonexp = len(items) + 1  # + the project's assert
            # a project with nothing released spends nothing (the ledger is to check with no warning)
            ne = max(1, round(per_child * i) - written - nonexp) if released else 0
            etext, ejour, spent, spent_in = gen_expenses(rng, proj["id"], proj["start"], proj["end"],
                                               proj["clusters"], ne, released)
            pid = proj["id"]
            refunded, refund_t = refund(items, proj["end"]) if MULTI else (0, "")
            tot_refunded += refunded
            if refund_t:
                counts.add("refund")
            assert_t = (f'[[assert]]\nproject = "{pid}"\ndate = {iso(proj["end"])}\n'
                        f"committed = {money(committed)}\nreleased = {money(released)}\n"
                        f"outstanding = {money(committed - released) if committed > released else '0'}\n"
                        f"spent = {money(spent)}\navailable = {signed_money(released - refunded - spent)}\n"
                        + (f"refunded = {money(refunded)}\n" if refunded else "")
                        + 'source = "Generated: figures at the project\'s end"\n')
            lines = budget_lines(proj["id"], proj["start"], proj["end"], spent_in)
            block_n = nonexp + ne
            if cur_n and cur_n + block_n + len(lines) > MAX_ENTRIES_PER_FILE:
                flush()
            cur.append(f"# ---- project {pid}\n\n")
            cur.append("\n".join(t for _k, t in items))
            cur.append("\n")
            cur.append(etext)
            cur.append(refund_t)
            cur.append(assert_t)
            cur.append("\n")
            cur.append("\n".join(lines))
            cur.append("\n")
            cur_n += block_n + len(lines)
            written += block_n  # the budget lines come on top: they change no later project's money
            counts.add("budget", len(lines))
            for k, v in pcounts.items():
                counts.add(k, v)
            counts.add("expense", ne)
            counts.add("assert", 1)
            jf.write("".join(jour))
            jf.write(ejour)
            projects.append(proj)
            tot_committed += committed
            tot_released += released
            tot_spent += spent
        if cur_n:
            flush()

    # parties.toml
    out = [header]
    for pid, name, typ, aliases in PARTIES:
        t = f'[[party]]\nid = "{pid}"\nname = {q(name)}\ntype = "{typ}"\niati_ref = "XX-BENCH-{pid}"\n'
        if aliases:
            t += f"aliases = {qlist(aliases)}\n"
        out.append(t + "\n")
    with open(os.path.join(ldir, "parties.toml"), "w", encoding="utf-8") as fh:
        fh.write("".join(out))

    # projects.toml: the programme, then its children
    pstart = min(p["start"] for p in projects)
    pend = max(p["end"] for p in projects)
    out = [header,
           (f'[[project]]\nid = "{prog_id}"\ntitle = "Earthquake and flood recovery programme"\n'
           f'currency = "USD"\nbudget = {sum(p["budget"] for p in projects) // 100}\n'
           f"start = {iso(pstart)}\nend = {iso(pend)}\nexecuting = \"UNDP\"\n"
           f'iati_identifier = "XX-BENCH-UNDP-{prog_id}"\nrecipient_country = "PK"\n'
           f"clusters = {qlist(CLUSTERS)}\n"
           'note = "Programme envelope: the sum of its projects\' budgets"\n\n')]
    for p in projects:
        t = (f'[[project]]\nid = "{p["id"]}"\ntitle = {q(p["title"])}\ncurrency = "USD"\n'
             f'parent = "{prog_id}"\nbudget = {toml_amount(rng, p["budget"])}\n'
             f'start = {iso(p["start"])}\nend = {iso(p["end"])}\nexecuting = "{p["executing"]}"\n'
             f'iati_identifier = "XX-BENCH-UNDP-{p["id"]}"\n'
             f'clusters = {qlist(p["clusters"])}\n')
        if p["note"]:
            t += f"note = {q(p['note'])}\n"
        out.append(t + "\n")
    out.append(f'[[assert]]\nproject = "{prog_id}"\ndate = {iso(pend)}\n'
               f"committed = {money(tot_committed)}\nreleased = {money(tot_released)}\n"
               f"spent = {money(tot_spent)}\navailable = {signed_money(tot_released - tot_refunded - tot_spent)}\n"
               'source = "Generated: programme figures at its end"\n')
    if MULTI:  # the UN operational rates, monthly, over the whole range
        month = date.fromordinal(BASE)
        while month.toordinal() < TOP:
            out.append(f'\n[[rate]]\ndate = {month.isoformat()}\nfrom = "USD"\nto = "PKR"\n'
                       f'rate = {pkr_rate(month.isoformat())}\nsource = "Generated: illustrative monthly rate"\n')
            counts.add("rate")
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    with open(os.path.join(ldir, "projects.toml"), "w", encoding="utf-8") as fh:
        fh.write("".join(out))

    order = ["party", "project", "commitment", "tranche", "release", "inkind", "milestone",
             "expense", "assert", "budget", "refund", "rate"]
    total = sum(counts.values())
    dt = time.perf_counter() - t0
    print(" ".join(f"{k}={counts.get(k, 0)}" for k in order)
          + f" total={total} files={len(files) + 2} time={dt:.1f}s -> {ldir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

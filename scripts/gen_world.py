#!/usr/bin/python3
"""Generate the embedded Iraq world (C++ source) from the CSV files in data/.

Writes the definitions of the functions declared in include/iraqsim/world/embedded_data.hpp:
provinces(), adjacency(), us_troops_monthly() and factions(). The rules applied here (community
composition, exposure, troop series) are documented in docs/world.md; the faction parameters and
their sources in data/derived/factions.md; sources and licences of the inputs are in data/NOTICE.md.

Python 3 standard library only. The output is byte-for-byte deterministic.
"""

import argparse
import csv
import math
import os
import re
import sys

# Province ids in embedded order (index = position). The generated arrays use this order.
PROVINCE_IDS = (
    "anbar", "babil", "baghdad", "basra", "dhi_qar", "diyala", "dohuk", "erbil", "karbala",
    "kirkuk", "maysan", "muthanna", "najaf", "nineveh", "qadisiyah", "salah_ad_din",
    "sulaymaniyah", "wasit",
)

# Border columns, in the order of world::data::neighbour_count.
BORDER_COUNTRIES = ("Iran", "Syria", "Saudi_Arabia", "Jordan", "Kuwait", "Turkey")

# Dec 2005 vote share columns, in the order of ProvinceRecord::vote_share_dec2005.
VOTE_COLUMNS = ("shia_parties_share", "sunni_parties_share", "kurdish_parties_share",
                "secular_nationalist_share")

# Community correction (docs/world.md, "Correction rule"): if the map composition and the
# vote-implied composition of the Arab/Kurdish population differ by more than this total
# variation distance, the two are blended with weight CORRECTION_WEIGHT on the votes.
CORRECTION_THRESHOLD = 0.10
CORRECTION_WEIGHT = 0.5

SHARE_TOLERANCE = 1e-6

# Sponsors and channels of data/derived/factions.csv's sponsor_ties column, in the order of
# FactionRecord::sponsor_ties (world::data::sponsor_ids, channel_ids).
SPONSOR_IDS = ("us", "iran", "saudi_arabia", "syria")
CHANNEL_IDS = ("money", "arms", "training", "political_cover")

# A fighters_distribution list is rounded to 0.001 per share, so its sum may miss 1 by up to
# 0.0005 per entry; it is renormalised to sum 1 exactly.
DISTRIBUTION_SUM_TOLERANCE = 0.01
# A `rule:<name>=<list>` list must agree with the rule recomputed from the project's data (WFP 2007
# population x the final community shares) to within this, per province: the lists in
# factions.csv are rounded to 0.001 and do not all list every small share (sunni_arab_residents
# gives babil 0.009 where the data give 0.002, and leaves out wasit's 0.004). The list, not the
# recomputed rule, is what is embedded.
RULE_TOLERANCE = 0.01
# The Kurdistan Region (Peshmerga, not the ISF, held security there).
KURDISTAN_REGION = ("dohuk", "erbil", "sulaymaniyah")

# Community ids in the order of the community arrays (world::data::community_count).
COMMUNITY_IDS = ("shia_arab", "sunni_arab", "kurd", "other")

# Gulf 2000 columns of the district file and the governorate columns they must add up to.
DISTRICT_MAP_COLUMNS = (("shiapop", "g2k_shia_pop"), ("sunnipop", "g2k_sunni_pop"),
                        ("kurdpop", "g2k_kurd_pop"), ("xtianpop", "g2k_christian_pop"),
                        ("turcpop", "g2k_turkmen_pop"), ("mixedpop", "g2k_mixed_pop"))
# Districts must add up to their governorate's population columns to within this many persons
# (the files agree exactly; the slack only absorbs rounding if they are ever re-exported).
DISTRICT_SUM_TOLERANCE = 1.0

# factions.csv: recruitment modes, and the target key that means the US forces.
RECRUITMENT_MODES = ("volunteer", "salaried")
US_FORCES_TARGET = "us"

FILES = {
    "population": "world/governorate_population_ethnicity.csv",
    "crosswalk": "world/governorate_name_crosswalk.csv",
    "election": "world/governorate_election_dec2005.csv",
    "borders": "world/governorate_international_borders.csv",
    "adjacency": "world/governorate_adjacency.csv",
    "troops": "forcing/us_troops_monthly_2003_2010.csv",
    "troops_ext": "derived/us_troops_extension_2010_2011.csv",
    "allocation": "derived/us_troop_allocation.csv",
    "factions": "derived/factions.csv",
    "districts": "world/district_population_ethnicity.csv",
}


class DataError(Exception):
    """An input problem, reported with file, row and column."""


def fail(path, row, column, message):
    where = path
    if row is not None:
        where += ", row %d" % row
    if column is not None:
        where += ", column '%s'" % column
    raise DataError("%s: %s" % (where, message))


class Table:
    """A CSV file read into dicts; row numbers are file line numbers (header = row 1)."""

    def __init__(self, data_dir, key):
        self.path = os.path.join(data_dir, FILES[key])
        self.name = self.path
        try:
            with open(self.path, newline="", encoding="utf-8") as f:
                reader = csv.reader(f)
                try:
                    self.header = next(reader)
                except StopIteration:
                    fail(self.name, None, None, "empty file")
                self.rows = []
                for line_no, values in enumerate(reader, start=2):
                    if not values or all(v.strip() == "" for v in values):
                        continue
                    if len(values) != len(self.header):
                        fail(self.name, line_no, None,
                             "expected %d fields, found %d" % (len(self.header), len(values)))
                    self.rows.append((line_no, dict(zip(self.header, values))))
        except OSError as e:
            raise DataError("%s: cannot read: %s" % (self.path, e.strerror))

    def require_columns(self, columns):
        for c in columns:
            if c not in self.header:
                fail(self.name, 1, c, "missing column")

    def text(self, line_no, row, column):
        v = row[column].strip()
        if v == "":
            fail(self.name, line_no, column, "empty value")
        return v

    def number(self, line_no, row, column, minimum=None, maximum=None):
        v = self.text(line_no, row, column)
        try:
            x = float(v)
        except ValueError:
            fail(self.name, line_no, column, "not a number: '%s'" % v)
        if not math.isfinite(x):
            fail(self.name, line_no, column, "not a finite number: '%s'" % v)
        if minimum is not None and x < minimum:
            fail(self.name, line_no, column, "value %s below %s" % (v, minimum))
        if maximum is not None and x > maximum:
            fail(self.name, line_no, column, "value %s above %s" % (v, maximum))
        return x


def display_name(common_english):
    """Common English name without a parenthetical: 'Qadisiyah (Diwaniya)' -> 'Qadisiyah'."""
    return re.sub(r"\s*\([^)]*\)", "", common_english).strip()


def snake_id(name):
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def read_crosswalk(data_dir):
    t = Table(data_dir, "crosswalk")
    t.require_columns(["governorate_esoc", "common_english"])
    by_id, esoc_to_id = {}, {}
    for line_no, row in t.rows:
        esoc = t.text(line_no, row, "governorate_esoc")
        name = display_name(t.text(line_no, row, "common_english"))
        pid = snake_id(name)
        if pid not in PROVINCE_IDS:
            fail(t.name, line_no, "common_english",
                 "'%s' gives id '%s', which is not one of the 18 province ids" % (name, pid))
        if pid in by_id:
            fail(t.name, line_no, "common_english", "duplicate province id '%s'" % pid)
        if esoc in esoc_to_id:
            fail(t.name, line_no, "governorate_esoc", "duplicate governorate '%s'" % esoc)
        by_id[pid] = {"id": pid, "display_name": name, "esoc_name": esoc}
        esoc_to_id[esoc] = pid
    for pid in PROVINCE_IDS:
        if pid not in by_id:
            fail(t.name, None, "common_english", "no row for province id '%s'" % pid)
    return by_id, esoc_to_id


def read_keyed(data_dir, key, esoc_to_id, key_column):
    """Rows of a per-governorate table keyed by province id; every governorate exactly once."""
    t = Table(data_dir, key)
    t.require_columns([key_column])
    out = {}
    for line_no, row in t.rows:
        esoc = t.text(line_no, row, key_column)
        pid = esoc_to_id.get(esoc)
        if pid is None:
            fail(t.name, line_no, key_column, "unknown governorate '%s'" % esoc)
        if pid in out:
            fail(t.name, line_no, key_column, "duplicate governorate '%s'" % esoc)
        out[pid] = (line_no, row)
    for pid in PROVINCE_IDS:
        if pid not in out:
            fail(t.name, None, key_column, "missing governorate for province '%s'" % pid)
    return t, out


def normalise(values):
    s = sum(values)
    return [v / s for v in values]


def mixed_weights(groups, votes):
    """The mixed rule: weights (shia, sunni, kurd) for one governorate's mixed population.

    groups: the map's unmixed Shia, Sunni and Kurd populations; votes: the Shia, Sunni and Kurdish
    lists' Dec 2005 vote shares. Allocate in proportion to the three blocs' vote shares; fall back
    to the map's own unmixed proportions, then to an equal split, if those are all zero."""
    if sum(votes) > 0.0:
        return normalise(votes)
    if sum(groups) > 0.0:
        return normalise(groups)
    return [1.0 / 3.0] * 3


def community_shares(pop_row, vote_row, pop_t, vote_t, pop_line, vote_line):
    """Returns (map_raw, after_mixed, final, distance, corrected, weights) for one governorate.

    map_raw: shares (shia, sunni, kurd, other, mixed) of the Gulf 2000 map.
    after_mixed: (shia, sunni, kurd, other) after the mixed population is allocated.
    final: after the correction rule.
    weights: the mixed rule's weights (shia, sunni, kurd), reused by the exposure index.
    """
    g = {}
    for c in ("shia", "sunni", "kurd", "christian", "turkmen", "mixed"):
        g[c] = pop_t.number(pop_line, pop_row, "g2k_%s_pop" % c, minimum=0.0)
    total = sum(g.values())
    if total <= 0.0:
        fail(pop_t.name, pop_line, "g2k_*_pop", "the Gulf 2000 populations sum to zero")
    groups = [g["shia"], g["sunni"], g["kurd"]]
    other = g["christian"] + g["turkmen"]
    mixed = g["mixed"]
    map_raw = [groups[0] / total, groups[1] / total, groups[2] / total, other / total,
               mixed / total]

    votes = [vote_t.number(vote_line, vote_row, c, minimum=0.0, maximum=1.0)
             for c in VOTE_COLUMNS[:3]]
    vote_sum = sum(votes)
    weights = mixed_weights(groups, votes)
    allocated = [groups[i] + mixed * weights[i] for i in range(3)]
    after_mixed = [allocated[0] / total, allocated[1] / total, allocated[2] / total,
                   other / total]

    # Correction rule: compare the Arab/Kurd composition with the vote-implied one.
    arab_kurd = 1.0 - after_mixed[3]
    distance = 0.0
    corrected = False
    final = list(after_mixed)
    if vote_sum > 0.0 and arab_kurd > 0.0:
        map_comp = normalise(allocated)
        vote_comp = normalise(votes)
        distance = 0.5 * sum(abs(map_comp[i] - vote_comp[i]) for i in range(3))
        if distance > CORRECTION_THRESHOLD:
            corrected = True
            blended = [(1.0 - CORRECTION_WEIGHT) * map_comp[i] + CORRECTION_WEIGHT * vote_comp[i]
                       for i in range(3)]
            final = [arab_kurd * b for b in blended] + [after_mixed[3]]
    s = sum(final)
    if abs(s - 1.0) > SHARE_TOLERANCE:
        fail(pop_t.name, pop_line, "g2k_*", "community shares sum to %r, not 1" % s)
    return map_raw, after_mixed, final, distance, corrected, weights


def read_exposure(data_dir, esoc_to_id, weights_by_pid, pop_t, pop_rows):
    """Lieberson's P* exposure index per province from the districts (docs/world.md, "Exposure").

    Returns ({province id: 4x4 list}, {province id: [communities with no members]}); row c is the
    community composition of the districts an average member of community c lives in (weighted by
    the member count): row c, column c2 is
    P*_{c->c2} = sum_d (n_{c,d} / N_c) (n_{c2,d} / n_d). Each district's mixed population is
    allocated with its governorate's mixed-rule weights; n_{c,d} = WFP 2007 population x share.
    A community with no members in the province gets the province's composition as its row."""
    t = Table(data_dir, "districts")
    t.require_columns(["district", "governorate", "wfp_pop2007"] +
                      [c for c, _ in DISTRICT_MAP_COLUMNS])
    districts = {pid: [] for pid in PROVINCE_IDS}
    seen = {}
    for line_no, row in t.rows:
        name = t.text(line_no, row, "district")
        esoc = t.text(line_no, row, "governorate")
        pid = esoc_to_id.get(esoc)
        if pid is None:
            fail(t.name, line_no, "governorate", "unknown governorate '%s'" % esoc)
        if (pid, name) in seen:
            fail(t.name, line_no, "district",
                 "duplicate district '%s' (also row %d)" % (name, seen[(pid, name)]))
        seen[(pid, name)] = line_no
        pop = t.number(line_no, row, "wfp_pop2007", minimum=0.0)
        counts = {c: t.number(line_no, row, c, minimum=0.0) for c, _ in DISTRICT_MAP_COLUMNS}
        districts[pid].append((line_no, pop, counts, name))

    exposure, empty = {}, {}
    district_records = []  # (name, province index, WFP 2007 population, community shares)
    for pid in PROVINCE_IDS:
        rows = districts[pid]
        pl, prow = pop_rows[pid]
        if not rows:
            fail(t.name, None, "governorate",
                 "no district of governorate '%s'" % prow["governorate"].strip())
        # The districts must add up to the governorate row the community shares come from.
        n_expected = pop_t.number(pl, prow, "n_districts", minimum=1.0)
        if len(rows) != n_expected:
            fail(t.name, None, "governorate",
                 "%d districts of governorate '%s', %s row %d says %d"
                 % (len(rows), prow["governorate"].strip(), pop_t.name, pl, n_expected))
        for column, gov_column in [("wfp_pop2007", "wfp_pop2007")] + list(DISTRICT_MAP_COLUMNS):
            total = math.fsum(pop if column == "wfp_pop2007" else counts[column]
                              for _, pop, counts, _ in rows)
            expected = pop_t.number(pl, prow, gov_column, minimum=0.0)
            if abs(total - expected) > DISTRICT_SUM_TOLERANCE:
                fail(t.name, rows[0][0], column,
                     "the districts of '%s' sum to %r, %s row %d column '%s' gives %r"
                     % (prow["governorate"].strip(), total, pop_t.name, pl, gov_column, expected))

        weights = weights_by_pid[pid]
        members, shares = [], []  # per district: n_{c,d}, and n_{c,d} / n_d
        unpeopled = []  # districts with no population: they take the province's composition
        for line_no, pop, counts, name in rows:
            total = sum(counts.values())
            if total <= 0.0:
                if pop > 0.0:
                    fail(t.name, line_no, "shiapop",
                         "the Gulf 2000 populations sum to zero in a district with a WFP 2007 "
                         "population of %r: its community shares are undefined" % pop)
                unpeopled.append(name)
                continue
            mixed = counts["mixedpop"]
            share = [(counts["shiapop"] + mixed * weights[0]) / total,
                     (counts["sunnipop"] + mixed * weights[1]) / total,
                     (counts["kurdpop"] + mixed * weights[2]) / total,
                     (counts["xtianpop"] + counts["turcpop"]) / total]
            shares.append(share)
            members.append([pop * x for x in share])
            district_records.append((name, PROVINCE_IDS.index(pid), pop, share))
        n_total = math.fsum(math.fsum(m) for m in members)
        if n_total <= 0.0:
            fail(t.name, rows[0][0], "wfp_pop2007",
                 "the districts of '%s' have no population" % prow["governorate"].strip())
        composition = [math.fsum(m[c2] for m in members) / n_total
                       for c2 in range(len(COMMUNITY_IDS))]
        matrix, empty[pid] = [], []
        for c in range(len(COMMUNITY_IDS)):
            n_c = math.fsum(m[c] for m in members)
            if n_c <= 0.0:
                matrix.append(list(composition))
                empty[pid].append(c)
                continue
            matrix.append([math.fsum(m[c] / n_c * share[c2] for m, share in zip(members, shares))
                           for c2 in range(len(COMMUNITY_IDS))])
        for c, row in enumerate(matrix):
            s = math.fsum(row)
            if abs(s - 1.0) > 1e-12:
                fail(t.name, None, None, "internal: exposure row %s/%s sums to %r"
                     % (pid, COMMUNITY_IDS[c], s))
        exposure[pid] = matrix
    district_records.sort(key=lambda r: (r[1], r[0]))
    return exposure, empty, district_records


def month_key(table, line_no, row, column):
    v = table.text(line_no, row, column)
    m = re.fullmatch(r"(\d{4})-(\d{2})", v)
    if not m or not 1 <= int(m.group(2)) <= 12:
        fail(table.name, line_no, column, "expected YYYY-MM, found '%s'" % v)
    return int(m.group(1)), int(m.group(2))


def next_month(ym):
    y, m = ym
    return (y + 1, 1) if m == 12 else (y, m + 1)


def read_troops(data_dir):
    series = []
    for key, observed in (("troops", True), ("troops_ext", False)):
        t = Table(data_dir, key)
        t.require_columns(["month_end", "us_troops"])
        for line_no, row in t.rows:
            ym = month_key(t, line_no, row, "month_end")
            if series and ym != next_month(series[-1][0]):
                fail(t.name, line_no, "month_end",
                     "expected %04d-%02d (months must be consecutive, the extension directly "
                     "after the observed series)" % next_month(series[-1][0]))
            n = t.number(line_no, row, "us_troops", minimum=0.0, maximum=1e6)
            series.append((ym, n, observed))
        if not any(o == observed for _, _, o in series):
            fail(t.name, None, None, "no rows")
    if series[-1][0] != (2011, 12) or series[-1][1] != 0.0:
        fail(os.path.join(data_dir, FILES["troops_ext"]), None, "month_end",
             "the series must end in 2011-12 with 0 troops (the withdrawal)")
    return series


def read_allocation(data_dir, esoc_to_id, pop_rows, pop_t):
    t = Table(data_dir, "allocation")
    cols = ["province_id", "governorate_esoc", "command", "command_share", "wfp_pop2005",
            "us_troop_share"]
    t.require_columns(cols)
    out, commands = {}, {}
    for line_no, row in t.rows:
        pid = t.text(line_no, row, "province_id")
        if pid not in PROVINCE_IDS:
            fail(t.name, line_no, "province_id", "unknown province id '%s'" % pid)
        if pid in out:
            fail(t.name, line_no, "province_id", "duplicate province id '%s'" % pid)
        esoc = t.text(line_no, row, "governorate_esoc")
        if esoc_to_id.get(esoc) != pid:
            fail(t.name, line_no, "governorate_esoc",
                 "'%s' is not the ESOC name of '%s'" % (esoc, pid))
        command = t.text(line_no, row, "command")
        cshare = t.number(line_no, row, "command_share", minimum=0.0, maximum=1.0)
        pop = t.number(line_no, row, "wfp_pop2005", minimum=0.0)
        share = t.number(line_no, row, "us_troop_share", minimum=0.0, maximum=1.0)
        pl, prow = pop_rows[pid]
        if pop != pop_t.number(pl, prow, "wfp_pop2005"):
            fail(t.name, line_no, "wfp_pop2005",
                 "differs from %s row %d" % (pop_t.name, pl))
        if command in commands and commands[command][0] != cshare:
            fail(t.name, line_no, "command_share",
                 "differs from the other rows of command '%s'" % command)
        commands.setdefault(command, [cshare, 0.0, []])
        commands[command][1] += pop
        commands[command][2].append((pid, line_no, pop, share))
        out[pid] = share
    for pid in PROVINCE_IDS:
        if pid not in out:
            fail(t.name, None, "province_id", "missing province '%s'" % pid)
    csum = sum(c[0] for c in commands.values())
    if abs(csum - 1.0) > SHARE_TOLERANCE:
        fail(t.name, None, "command_share", "command shares sum to %r, not 1" % csum)
    # Rule check: within a command, the share is split by 2005 population.
    for command, (cshare, cpop, members) in sorted(commands.items()):
        for pid, line_no, pop, share in members:
            expected = cshare * pop / cpop if cpop > 0 else cshare / len(members)
            if abs(share - expected) > 1e-9:
                fail(t.name, line_no, "us_troop_share",
                     "%r is not command share x population share = %r" % (share, expected))
    total = sum(out.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        fail(t.name, None, "us_troop_share", "shares sum to %r, not 1" % total)
    return out


def read_adjacency(data_dir, esoc_to_id):
    t = Table(data_dir, "adjacency")
    t.require_columns(["governorate_a", "governorate_b", "shared_border_km"])
    index = {pid: i for i, pid in enumerate(PROVINCE_IDS)}
    pairs = {}
    for line_no, row in t.rows:
        ends = []
        for c in ("governorate_a", "governorate_b"):
            esoc = t.text(line_no, row, c)
            if esoc not in esoc_to_id:
                fail(t.name, line_no, c, "unknown governorate '%s'" % esoc)
            ends.append(index[esoc_to_id[esoc]])
        if ends[0] == ends[1]:
            fail(t.name, line_no, "governorate_b", "a governorate cannot border itself")
        a, b = min(ends), max(ends)
        if (a, b) in pairs:
            fail(t.name, line_no, "governorate_b", "duplicate pair")
        km = t.number(line_no, row, "shared_border_km", minimum=0.0)
        if km <= 0.0:
            fail(t.name, line_no, "shared_border_km", "must be positive")
        pairs[(a, b)] = km
    if len(pairs) != 40:
        fail(t.name, None, None, "expected 40 pairs, found %d" % len(pairs))
    return sorted(pairs.items())


def rule_shares(rule, provinces):
    """Shares over provinces that a named distribution rule gives on the project's data, or None."""
    def residents(pid, communities):
        p = provinces[pid]
        return p["population"][2] * sum(p["community"][c] for c in communities)

    all_communities = (0, 1, 2, 3)
    rules = {
        "residents": lambda pid: residents(pid, all_communities),
        "residents_excluding_kurdistan_region":
            lambda pid: 0.0 if pid in KURDISTAN_REGION else residents(pid, all_communities),
        "shia_arab_residents": lambda pid: residents(pid, (0,)),
        "sunni_arab_residents": lambda pid: residents(pid, (1,)),
        "kurd_residents": lambda pid: residents(pid, (2,)),
    }
    f = rules.get(rule)
    if f is None:
        return None, sorted(rules)
    weights = {pid: f(pid) for pid in PROVINCE_IDS}
    total = sum(weights.values())
    return {pid: w / total for pid, w in weights.items()}, sorted(rules)


def parse_distribution(t, line_no, row, column, provinces):
    """fighters_distribution: 'province:share;...' or 'rule:<name>=province:share;...'.

    Returns the shares in PROVINCE_IDS order, renormalised to sum 1."""
    text = t.text(line_no, row, column)
    rule = None
    if text.startswith("rule:"):
        head, sep, text = text[len("rule:"):].partition("=")
        rule = head.strip()
        if not sep or not re.fullmatch(r"[a-z][a-z0-9_]*", rule):
            fail(t.name, line_no, column,
                 "expected 'rule:<snake_case_name>=province:share;...', found '%s'"
                 % t.text(line_no, row, column))
    shares = {}
    for entry in text.split(";"):
        entry = entry.strip()
        parts = entry.split(":")
        if len(parts) != 2:
            fail(t.name, line_no, column, "expected 'province:share', found '%s'" % entry)
        pid, value = parts[0].strip(), parts[1].strip()
        if pid not in PROVINCE_IDS:
            fail(t.name, line_no, column, "unknown province '%s' in '%s'" % (pid, entry))
        if pid in shares:
            fail(t.name, line_no, column, "province '%s' listed twice" % pid)
        try:
            x = float(value)
        except ValueError:
            fail(t.name, line_no, column, "share is not a number in '%s'" % entry)
        if not math.isfinite(x) or x < 0.0 or x > 1.0:
            fail(t.name, line_no, column, "share outside [0, 1] in '%s'" % entry)
        shares[pid] = x
    total = math.fsum(shares.values())  # exact: a list that sums to 1 is left unchanged
    if abs(total - 1.0) > DISTRIBUTION_SUM_TOLERANCE:
        fail(t.name, line_no, column,
             "shares sum to %r, not 1 (within %r)" % (total, DISTRIBUTION_SUM_TOLERANCE))
    out = [shares.get(pid, 0.0) / total for pid in PROVINCE_IDS]
    if rule is not None:
        expected, known = rule_shares(rule, provinces)
        if expected is None:
            fail(t.name, line_no, column,
                 "unknown rule '%s' (known: %s)" % (rule, ", ".join(known)))
        for i, pid in enumerate(PROVINCE_IDS):
            if abs(out[i] - expected[pid]) > RULE_TOLERANCE:
                fail(t.name, line_no, column,
                     "rule '%s' gives %s %.3f on the project's data, the list %.3f"
                     % (rule, pid, expected[pid], out[i]))
    return out


def parse_ties(t, line_no, row, column):
    """sponsor_ties: 'sponsor:channel:weight;...' -> [sponsor][channel] weights (empty: no ties)."""
    ties = [[0.0] * len(CHANNEL_IDS) for _ in SPONSOR_IDS]
    text = row[column].strip()
    if text == "":
        return ties
    seen = set()
    for entry in text.split(";"):
        entry = entry.strip()
        parts = [x.strip() for x in entry.split(":")]
        if len(parts) != 3:
            fail(t.name, line_no, column, "expected 'sponsor:channel:weight', found '%s'" % entry)
        sponsor, channel, value = parts
        if sponsor not in SPONSOR_IDS:
            fail(t.name, line_no, column, "unknown sponsor '%s' in '%s' (known: %s)"
                 % (sponsor, entry, ", ".join(SPONSOR_IDS)))
        if channel not in CHANNEL_IDS:
            fail(t.name, line_no, column, "unknown channel '%s' in '%s' (known: %s)"
                 % (channel, entry, ", ".join(CHANNEL_IDS)))
        if (sponsor, channel) in seen:
            fail(t.name, line_no, column, "'%s:%s' listed twice" % (sponsor, channel))
        seen.add((sponsor, channel))
        try:
            x = float(value)
        except ValueError:
            fail(t.name, line_no, column, "weight is not a number in '%s'" % entry)
        if not math.isfinite(x) or x < 0.0 or x > 1.0:
            fail(t.name, line_no, column, "weight outside [0, 1] in '%s'" % entry)
        ties[SPONSOR_IDS.index(sponsor)][CHANNEL_IDS.index(channel)] = x
    return ties


def parse_faction_ref(t, line_no, row, column, fid, ids):
    """splinter_of, realigns_from: another row's faction id, or empty (None)."""
    ref = row[column].strip()
    if ref == "":
        return None
    if ref not in ids:
        fail(t.name, line_no, column, "unknown faction '%s' (known: %s)" % (ref, ", ".join(ids)))
    if ref == fid:
        fail(t.name, line_no, column, "faction '%s' cannot name itself" % fid)
    return ref


def parse_targets(t, line_no, row, column, fid, ids):
    """violence_targets: 'key:weight;...' (key: us, a faction id or a community id) or empty.

    Returns [(key, weight)] in file order, the weights renormalised to sum 1."""
    text = row[column].strip()
    if text == "":
        return []
    targets = {}
    for entry in text.split(";"):
        entry = entry.strip()
        parts = [x.strip() for x in entry.split(":")]
        if len(parts) != 2:
            fail(t.name, line_no, column, "expected 'target:weight', found '%s'" % entry)
        key, value = parts
        if key != US_FORCES_TARGET and key not in COMMUNITY_IDS and key not in ids:
            fail(t.name, line_no, column,
                 "unknown target '%s' in '%s' (known: %s, a community id: %s, or a faction id: %s)"
                 % (key, entry, US_FORCES_TARGET, ", ".join(COMMUNITY_IDS), ", ".join(ids)))
        if key == fid:
            fail(t.name, line_no, column, "faction '%s' cannot target itself" % fid)
        if key in targets:
            fail(t.name, line_no, column, "target '%s' listed twice" % key)
        try:
            x = float(value)
        except ValueError:
            fail(t.name, line_no, column, "weight is not a number in '%s'" % entry)
        if not math.isfinite(x) or x <= 0.0 or x > 1.0:
            fail(t.name, line_no, column, "weight outside (0, 1] in '%s'" % entry)
        targets[key] = x
    total = math.fsum(targets.values())  # exact: a list that sums to 1 is left unchanged
    if abs(total - 1.0) > DISTRIBUTION_SUM_TOLERANCE:
        fail(t.name, line_no, column,
             "weights sum to %r, not 1 (within %r)" % (total, DISTRIBUTION_SUM_TOLERANCE))
    return [(key, x / total) for key, x in targets.items()]


def read_factions(data_dir, provinces):
    """data/derived/factions.csv (documented in factions.md), one record per row, in file order."""
    t = Table(data_dir, "factions")
    t.require_columns(["id", "cohesion", "fighters_may_2003", "fighters_distribution",
                       "peak_fighters_estimate", "home_revenue_usd_per_week", "foreignness",
                       "sponsor_ties", "recruitment", "fighter_cost_usd_per_week", "splinter_of",
                       "realigns_from", "violence_targets", "sources"])
    by_pid = {p["id"]: p for p in provinces}
    factions, seen = [], set()
    for line_no, row in t.rows:
        fid = t.text(line_no, row, "id")
        if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", fid):
            fail(t.name, line_no, "id", "'%s' is not a snake_case id" % fid)
        if fid in seen:
            fail(t.name, line_no, "id", "duplicate faction id '%s'" % fid)
        # violence_targets keys share one name space: us, the communities and the factions.
        if fid == US_FORCES_TARGET or fid in COMMUNITY_IDS:
            fail(t.name, line_no, "id",
                 "'%s' is reserved (a violence_targets key for the US forces or a community)" % fid)
        seen.add(fid)
        t.text(line_no, row, "sources")
        recruitment = t.text(line_no, row, "recruitment")
        if recruitment not in RECRUITMENT_MODES:
            fail(t.name, line_no, "recruitment", "expected one of %s, found '%s'"
                 % (", ".join(RECRUITMENT_MODES), recruitment))
        cost = t.number(line_no, row, "fighter_cost_usd_per_week", minimum=0.0, maximum=1e5)
        if cost <= 0.0:
            fail(t.name, line_no, "fighter_cost_usd_per_week", "must be positive")
        factions.append({
            "id": fid,
            "line": line_no,
            "cohesion": t.number(line_no, row, "cohesion", minimum=0.0, maximum=1.0),
            "fighters": t.number(line_no, row, "fighters_may_2003", minimum=0.0, maximum=1e7),
            "distribution": parse_distribution(t, line_no, row, "fighters_distribution", by_pid),
            "revenue": t.number(line_no, row, "home_revenue_usd_per_week", minimum=0.0,
                                maximum=1e10),
            "foreignness": t.number(line_no, row, "foreignness", minimum=0.0, maximum=1.0),
            "ties": parse_ties(t, line_no, row, "sponsor_ties"),
            "recruitment": recruitment,
            "fighter_cost": cost,
        })
    if not factions:
        fail(t.name, None, None, "no rows")
    # The columns that name other factions, once every id is known (a row may name a later one).
    ids = [f["id"] for f in factions]
    rows = dict(t.rows)
    for f in factions:
        line_no, row = f["line"], rows[f["line"]]
        f["splinter_of"] = parse_faction_ref(t, line_no, row, "splinter_of", f["id"], ids)
        f["realigns_from"] = parse_faction_ref(t, line_no, row, "realigns_from", f["id"], ids)
        f["targets"] = parse_targets(t, line_no, row, "violence_targets", f["id"], ids)
    # A faction splits from one that existed before it: the splinter_of links form no cycle.
    parent = {f["id"]: f["splinter_of"] for f in factions}
    for f in factions:
        chain, at = [f["id"]], parent[f["id"]]
        while at is not None:
            if at in chain:
                fail(t.name, f["line"], "splinter_of",
                     "splinter_of forms a cycle: %s" % " -> ".join(chain + [at]))
            chain.append(at)
            at = parent[at]
    # Each sponsor's weights are shares of its attention: they sum to 1 over factions and channels.
    for s, sponsor in enumerate(SPONSOR_IDS):
        total = math.fsum(x for f in factions for x in f["ties"][s])
        if abs(total - 1.0) > SHARE_TOLERANCE:
            fail(t.name, None, "sponsor_ties",
                 "the weights of sponsor '%s' sum to %r over all rows, not 1" % (sponsor, total))
    return factions


def cpp_double(x):
    if not math.isfinite(x):
        raise DataError("internal: non-finite value %r" % x)
    r = repr(float(x))
    # repr always carries '.' or an exponent; make sure C++ reads it as a double literal.
    if not re.search(r"[.eE]", r):
        r += ".0"
    return r


def cpp_string(s):
    if not re.fullmatch(r"[A-Za-z0-9 _.,'()\-]*", s):
        raise DataError("unsupported character in name %r" % s)
    return '"' + s + '"'


def build(data_dir):
    by_id, esoc_to_id = read_crosswalk(data_dir)
    pop_t, pop_rows = read_keyed(data_dir, "population", esoc_to_id, "governorate")
    pop_t.require_columns(["n_districts", "wfp_pop2003", "wfp_pop2005", "wfp_pop2007", "area_km2",
                           "centroid_lat", "centroid_lon"] +
                          ["g2k_%s_pop" % c for c in
                           ("shia", "sunni", "kurd", "christian", "turkmen", "mixed")])
    vote_t, vote_rows = read_keyed(data_dir, "election", esoc_to_id, "governorate")
    vote_t.require_columns(list(VOTE_COLUMNS))
    border_t, border_rows = read_keyed(data_dir, "borders", esoc_to_id, "governorate")
    border_t.require_columns(["km_within10km_%s" % c for c in BORDER_COUNTRIES])
    allocation = read_allocation(data_dir, esoc_to_id, pop_rows, pop_t)
    adjacency = read_adjacency(data_dir, esoc_to_id)
    troops = read_troops(data_dir)

    provinces, report, weights_by_pid = [], [], {}
    for pid in PROVINCE_IDS:
        pl, prow = pop_rows[pid]
        vl, vrow = vote_rows[pid]
        bl, brow = border_rows[pid]
        map_raw, after_mixed, final, distance, corrected, weights = community_shares(
            prow, vrow, pop_t, vote_t, pl, vl)
        weights_by_pid[pid] = weights
        rec = dict(by_id[pid])
        rec["population"] = [pop_t.number(pl, prow, "wfp_pop%d" % y, minimum=0.0)
                             for y in (2003, 2005, 2007)]
        rec["community"] = final
        rec["votes"] = [vote_t.number(vl, vrow, c, minimum=0.0, maximum=1.0)
                        for c in VOTE_COLUMNS]
        rec["border"] = [border_t.number(bl, brow, "km_within10km_%s" % c, minimum=0.0)
                         for c in BORDER_COUNTRIES]
        rec["area"] = pop_t.number(pl, prow, "area_km2", minimum=0.0)
        rec["lat"] = pop_t.number(pl, prow, "centroid_lat", minimum=29.0, maximum=38.0)
        rec["lon"] = pop_t.number(pl, prow, "centroid_lon", minimum=38.0, maximum=49.0)
        rec["troop_share"] = allocation[pid]
        provinces.append(rec)
        report.append((pid, rec["display_name"], map_raw, after_mixed, final, distance,
                       corrected))
    exposure, empty, districts = read_exposure(data_dir, esoc_to_id, weights_by_pid, pop_t, pop_rows)
    for rec in provinces:
        rec["exposure"] = exposure[rec["id"]]
        rec["exposure_empty"] = empty[rec["id"]]
    factions = read_factions(data_dir, provinces)
    return provinces, adjacency, troops, factions, districts, report


def targets_name(fid):
    """C++ name of a faction's violence-target array: kViolenceTargets_<id>."""
    return "kViolenceTargets_" + fid


def render(provinces, adjacency, troops, factions, districts):
    out = []
    w = out.append
    w("// generated by scripts/gen_world.py from data/; do not edit\n")
    w("// Sources and licences: data/NOTICE.md. Derivation rules: docs/world.md.\n")
    w('#include "iraqsim/world/embedded_data.hpp"\n')
    w("\n")
    w("namespace iraqsim::world::data {\n")
    w("namespace {\n")
    w("\n")
    w("constexpr ProvinceRecord kProvinces[] = {\n")
    for p in provinces:
        w("    {%s, %s, %s,\n" % (cpp_string(p["id"]), cpp_string(p["display_name"]),
                                  cpp_string(p["esoc_name"])))
        w("     %s,\n" % ", ".join(cpp_double(x) for x in p["population"]))
        w("     {%s},\n" % ", ".join(cpp_double(x) for x in p["community"]))
        w("     {%s},\n" % ", ".join(cpp_double(x) for x in p["votes"]))
        w("     {%s},\n" % ", ".join(cpp_double(x) for x in p["border"]))
        w("     %s, %s, %s,\n" % (cpp_double(p["area"]), cpp_double(p["lat"]),
                                  cpp_double(p["lon"])))
        w("     %s,\n" % cpp_double(p["troop_share"]))
        w("     {{%s}}},\n" % ", ".join("{{%s}}" % ", ".join(cpp_double(x) for x in row)
                                         for row in p["exposure"]))
    w("};\n")
    w("\n")
    w("constexpr AdjacencyRecord kAdjacency[] = {\n")
    for (a, b), km in adjacency:
        w("    {%d, %d, %s},  // %s - %s\n" % (a, b, cpp_double(km), PROVINCE_IDS[a],
                                              PROVINCE_IDS[b]))
    w("};\n")
    w("\n")
    w("// Districts in province order, then by name: name, province, WFP 2007 population,\n")
    w("// community shares after the mixed rule (docs/world.md, \"Exposure\").\n")
    w("constexpr DistrictRecord kDistricts[] = {\n")
    for name, pidx, pop, share in districts:
        w("    {%s, %d, %s, {%s}},\n" % (cpp_string(name), pidx, cpp_double(pop),
                                         ", ".join(cpp_double(x) for x in share)))
    w("};\n")
    w("\n")
    w("constexpr MonthlyTroops kUsTroops[] = {\n")
    for (y, m), n, observed in troops:
        w("    {%d, %d, %s, %s},\n" % (y, m, cpp_double(n), "true" if observed else "false"))
    w("};\n")
    w("\n")
    w("// Violence targets of each faction (target: us, a community id or a faction id; weight).\n")
    for f in factions:
        if f["targets"]:
            w("constexpr ViolenceTargetRecord %s[] = {%s};\n" % (
                targets_name(f["id"]),
                ", ".join("{%s, %s}" % (cpp_string(k), cpp_double(x)) for k, x in f["targets"])))
    w("\n")
    w("// Sources in data/derived/factions.md. Columns: id, cohesion, fighters_may_2003,\n")
    w("// fighters_share [province], home_revenue_usd_per_week, foreignness,\n")
    w("// sponsor_ties [sponsor: %s][channel: %s],\n" % (", ".join(SPONSOR_IDS),
                                                         ", ".join(CHANNEL_IDS)))
    w("// recruitment, fighter_cost_usd_per_week, splinter_of, realigns_from, violence_targets.\n")
    w("constexpr FactionRecord kFactions[] = {\n")
    for f in factions:
        w("    {%s, %s, %s,\n" % (cpp_string(f["id"]), cpp_double(f["cohesion"]),
                                  cpp_double(f["fighters"])))
        w("     {{%s}},\n" % ", ".join(cpp_double(x) for x in f["distribution"]))
        w("     %s, %s,\n" % (cpp_double(f["revenue"]), cpp_double(f["foreignness"])))
        w("     {{%s}},\n" % ", ".join("{{%s}}" % ", ".join(cpp_double(x) for x in channels)
                                        for channels in f["ties"]))
        w("     %s, %s, %s, %s,\n" % (cpp_string(f["recruitment"]),
                                        cpp_double(f["fighter_cost"]),
                                        cpp_string(f["splinter_of"] or ""),
                                        cpp_string(f["realigns_from"] or "")))
        w("     %s},\n" % (targets_name(f["id"]) if f["targets"] else "{}"))
    w("};\n")
    w("\n")
    w("static_assert(province_count == %d);\n" % len(PROVINCE_IDS))
    w("static_assert(sizeof(kProvinces) / sizeof(kProvinces[0]) == %d);\n" % len(provinces))
    w("static_assert(sizeof(kAdjacency) / sizeof(kAdjacency[0]) == %d);\n" % len(adjacency))
    w("static_assert(district_count == %d);\n" % len(districts))
    w("static_assert(sizeof(kDistricts) / sizeof(kDistricts[0]) == district_count);\n")
    w("static_assert(sizeof(kFactions) / sizeof(kFactions[0]) == %d);\n" % len(factions))
    w("static_assert(sponsor_count == %d && channel_count == %d);\n" % (len(SPONSOR_IDS),
                                                                      len(CHANNEL_IDS)))
    for i, sid in enumerate(SPONSOR_IDS):
        w("static_assert(sponsor_ids[%d] == %s);\n" % (i, cpp_string(sid)))
    for i, cid in enumerate(CHANNEL_IDS):
        w("static_assert(channel_ids[%d] == %s);\n" % (i, cpp_string(cid)))
    w("static_assert(community_count == %d);\n" % len(COMMUNITY_IDS))
    for i, cid in enumerate(COMMUNITY_IDS):
        w("static_assert(community_ids[%d] == %s);\n" % (i, cpp_string(cid)))
    w("\n")
    w("}  // namespace\n")
    w("\n")
    w("std::span<const ProvinceRecord> provinces() { return kProvinces; }\n")
    w("std::span<const AdjacencyRecord> adjacency() { return kAdjacency; }\n")
    w("std::span<const DistrictRecord> districts() { return kDistricts; }\n")
    w("std::span<const MonthlyTroops> us_troops_monthly() { return kUsTroops; }\n")
    w("std::span<const FactionRecord> factions() { return kFactions; }\n")
    w("\n")
    w("}  // namespace iraqsim::world::data\n")
    return "".join(out)


def render_report(report):
    """Markdown before/after table of the community rules (for docs/world.md)."""
    lines = [
        "| id | map Shia / Sunni / Kurd / other / mixed | after mixed rule: Shia / Sunni / Kurd / other "
        "| distance to votes | corrected | final: Shia / Sunni / Kurd / other |",
        "|---|---|---|---|---|---|",
    ]

    def f(xs):
        return " / ".join("%.3f" % x for x in xs)

    for pid, _name, map_raw, after_mixed, final, distance, corrected in report:
        lines.append("| %s | %s | %s | %.3f | %s | %s |" % (
            pid, f(map_raw), f(after_mixed), distance, "yes" if corrected else "no", f(final)))
    return "\n".join(lines) + "\n"


def render_exposure_report(provinces):
    """Markdown table of the exposure index P*, one row per province and community (docs/world.md).

    A community with no members in the province is marked '(none)': its row is the composition."""
    lines = [
        "| id | community | P* to Shia Arab | to Sunni Arab | to Kurd | to other |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for p in provinces:
        for c, row in enumerate(p["exposure"]):
            name = COMMUNITY_IDS[c] + (" (none)" if c in p["exposure_empty"] else "")
            lines.append("| %s | %s | %s |" % (p["id"], name,
                                               " | ".join("%.3f" % x for x in row)))
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Generate the embedded Iraq world (C++ source defining the functions "
                    "declared in include/iraqsim/world/embedded_data.hpp) from data/.")
    ap.add_argument("--data", required=True, metavar="DATA_DIR",
                    help="the project's data/ directory")
    ap.add_argument("--out", metavar="FILE.cpp",
                    help="C++ file to write")
    ap.add_argument("--report", action="store_true",
                    help="print the community before/after table (Markdown) to stdout")
    ap.add_argument("--exposure-report", action="store_true",
                    help="print the exposure index of every province (Markdown) to stdout")
    args = ap.parse_args(argv)
    if not args.out and not args.report and not args.exposure_report:
        ap.error("nothing to do: give --out, --report and/or --exposure-report")
    try:
        provinces, adjacency, troops, factions, districts, report = build(args.data)
    except DataError as e:
        print("gen_world.py: error: %s" % e, file=sys.stderr)
        return 1
    if args.report:
        sys.stdout.write(render_report(report))
    if args.exposure_report:
        sys.stdout.write(render_exposure_report(provinces))
    if args.out:
        text = render(provinces, adjacency, troops, factions, districts)
        data = text.encode("utf-8")
        out_dir = os.path.dirname(os.path.abspath(args.out))
        os.makedirs(out_dir, exist_ok=True)
        tmp = args.out + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

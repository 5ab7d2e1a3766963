#!/usr/bin/python3
"""Error paths and rules of scripts/gen_world.py for the district exposure index and the faction
columns recruitment, fighter_cost_usd_per_week, splinter_of, realigns_from and violence_targets.

Each case copies data/ to a scratch directory, breaks one value and expects the generator to stop
with a message naming the file, row and column. Run: python3 tests/unit/world/gen_world_test.py
(Python 3 standard library only).
"""

import csv
import io
import os
import shutil
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import gen_world  # noqa: E402

FACTIONS = "derived/factions.csv"
DISTRICTS = "world/district_population_ethnicity.csv"


class GenWorldTest(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="gen_world_test_")
        self.data = os.path.join(self.scratch, "data")
        shutil.copytree(os.path.join(ROOT, "data"), self.data,
                        ignore=shutil.ignore_patterns("*.geojson"))

    def tearDown(self):
        shutil.rmtree(self.scratch)

    def edit(self, relpath, row_key, column, value):
        """Set `column` of the row whose first field is `row_key`; returns its line number."""
        path = os.path.join(self.data, relpath)
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        col = rows[0].index(column)
        for i, row in enumerate(rows):
            if i > 0 and row[0] == row_key:
                row[col] = value
                line = i + 1
                break
        else:
            raise AssertionError("no row %r in %s" % (row_key, relpath))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        with open(path, "w", newline="", encoding="utf-8") as f:
            f.write(buf.getvalue())
        return line

    def expect_error(self, relpath, line, column, *fragments):
        with self.assertRaises(gen_world.DataError) as cm:
            gen_world.build(self.data)
        message = str(cm.exception)
        self.assertIn(relpath, message)
        if line is not None:
            self.assertIn("row %d" % line, message)
        if column is not None:
            self.assertIn("column '%s'" % column, message)
        for fragment in fragments:
            self.assertIn(fragment, message)

    # --- the district exposure index ---

    def test_exposure_rows_sum_to_one(self):
        provinces = gen_world.build(self.data)[0]
        for p in provinces:
            self.assertEqual(len(p["exposure"]), 4)
            for row in p["exposure"]:
                self.assertAlmostEqual(sum(row), 1.0, places=12)

    def test_exposure_reuses_the_mixed_rule_weights(self):
        # Make Baghdad's map counts add up to each district's WFP 2007 population (scaled, with the
        # governorate's map columns set to the new sums). Then the composition the exposure index is
        # computed on must be the governorate's composition after the mixed rule: the same weights.
        # Baghdad has no "other" members, so its "other" row is that composition.
        path = os.path.join(self.data, DISTRICTS)
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
            header = list(rows[0].keys())
        columns = [c for c, _ in gen_world.DISTRICT_MAP_COLUMNS]
        sums = dict.fromkeys(columns, 0.0)
        for row in rows:
            if row["governorate"] != "Baghdad":
                continue
            scale = float(row["wfp_pop2007"]) / sum(float(row[c]) for c in columns)
            for c in columns:
                row[c] = repr(float(row[c]) * scale)
                sums[c] += float(row[c])
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        for c, gov_column in gen_world.DISTRICT_MAP_COLUMNS:
            self.edit("world/governorate_population_ethnicity.csv", "Baghdad", gov_column,
                      repr(sums[c]))
        baghdad = {p["id"]: p for p in gen_world.build(self.data)[0]}["baghdad"]
        other = gen_world.COMMUNITY_IDS.index("other")
        self.assertIn(other, baghdad["exposure_empty"])

        _, esoc_to_id = gen_world.read_crosswalk(self.data)
        pop_t, pop_rows = gen_world.read_keyed(self.data, "population", esoc_to_id, "governorate")
        vote_t, vote_rows = gen_world.read_keyed(self.data, "election", esoc_to_id, "governorate")
        (pl, prow), (vl, vrow) = pop_rows["baghdad"], vote_rows["baghdad"]
        after_mixed = gen_world.community_shares(prow, vrow, pop_t, vote_t, pl, vl)[1]
        for a, b in zip(baghdad["exposure"][other], after_mixed):
            self.assertAlmostEqual(a, b, places=9)

    def test_unknown_governorate_in_districts(self):
        line = self.edit(DISTRICTS, "Abu Ghraib", "governorate", "Atlantis")
        self.expect_error(DISTRICTS, line, "governorate", "unknown governorate 'Atlantis'")

    def test_districts_must_add_up_to_the_governorate(self):
        self.edit(DISTRICTS, "Abu Ghraib", "sunnipop", "34000")
        self.expect_error(DISTRICTS, None, "sunnipop", "Baghdad", "sum to")

    def test_district_population_not_a_number(self):
        line = self.edit(DISTRICTS, "Abu Ghraib", "wfp_pop2007", "many")
        self.expect_error(DISTRICTS, line, "wfp_pop2007", "not a number")

    # --- the faction columns ---

    def test_unknown_recruitment(self):
        line = self.edit(FACTIONS, "jam", "recruitment", "conscript")
        self.expect_error(FACTIONS, line, "recruitment", "volunteer, salaried", "'conscript'")

    def test_fighter_cost_must_be_positive(self):
        line = self.edit(FACTIONS, "jam", "fighter_cost_usd_per_week", "0")
        self.expect_error(FACTIONS, line, "fighter_cost_usd_per_week", "positive")
        self.edit(FACTIONS, "jam", "fighter_cost_usd_per_week", "-5")
        self.expect_error(FACTIONS, line, "fighter_cost_usd_per_week", "below")
        self.edit(FACTIONS, "jam", "fighter_cost_usd_per_week", "")
        self.expect_error(FACTIONS, line, "fighter_cost_usd_per_week", "empty value")

    def test_splinter_of_unknown_self_and_cycle(self):
        line = self.edit(FACTIONS, "special_groups", "splinter_of", "hezbollah")
        self.expect_error(FACTIONS, line, "splinter_of", "unknown faction 'hezbollah'")
        self.edit(FACTIONS, "special_groups", "splinter_of", "special_groups")
        self.expect_error(FACTIONS, line, "splinter_of", "cannot name itself")
        self.edit(FACTIONS, "special_groups", "splinter_of", "jam")
        self.edit(FACTIONS, "jam", "splinter_of", "special_groups")
        self.expect_error(FACTIONS, None, "splinter_of", "cycle")

    def test_realigns_from_unknown_and_self(self):
        line = self.edit(FACTIONS, "awakening", "realigns_from", "sunni_insurgent")
        self.expect_error(FACTIONS, line, "realigns_from", "unknown faction 'sunni_insurgent'")
        self.edit(FACTIONS, "awakening", "realigns_from", "awakening")
        self.expect_error(FACTIONS, line, "realigns_from", "cannot name itself")

    def test_violence_targets_errors(self):
        cases = [
            ("us:0.5;martians:0.5", "unknown target 'martians'"),
            ("us:0.5;aqi:0.5", "cannot target itself"),
            ("us:0.5;us:0.5", "listed twice"),
            ("us:1;shia_arab:0", "outside (0, 1]"),
            ("us:1.2;shia_arab:-0.2", "outside (0, 1]"),
            ("us:0.5;shia_arab:x", "not a number"),
            ("us:0.5;shia_arab", "expected 'target:weight'"),
            ("us:0.5;shia_arab:0.4", "sum to"),
        ]
        for value, fragment in cases:
            with self.subTest(value=value):
                line = self.edit(FACTIONS, "aqi", "violence_targets", value)
                self.expect_error(FACTIONS, line, "violence_targets", fragment)

    def test_violence_targets_rounded_list_is_renormalised(self):
        self.edit(FACTIONS, "awakening", "violence_targets", "aqi:0.667;sunni_insurgents:0.333")
        factions = {f["id"]: f for f in gen_world.build(self.data)[3]}
        targets = dict(factions["awakening"]["targets"])
        self.assertAlmostEqual(sum(targets.values()), 1.0, places=15)
        self.assertAlmostEqual(targets["aqi"], 0.667, places=12)
        self.assertEqual(factions["sunni_parties"]["targets"], [])

    def test_faction_id_may_not_be_a_target_key(self):
        line = self.edit(FACTIONS, "secular_nationalists", "id", "kurd")
        self.expect_error(FACTIONS, line, "id", "reserved")

    def test_missing_column(self):
        path = os.path.join(self.data, FACTIONS)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("violence_targets", "violence_target", 1))
        self.expect_error(FACTIONS, 1, "violence_targets", "missing column")


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz target (Fuzz/corpus/) and its
dictionary (Fuzz/scenario.dict): the cases of issue 8 and issue 10's unit
slips, as small scenarios. The bundled Scenarios/*.json are read as seeds
directly by `make fuzz`. Run from the repository root; deterministic."""
import copy, json, os, re

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "Fuzz", "corpus")
os.makedirs(out, exist_ok=True)

tiny = {
    "simfund": 1, "name": "tiny", "startYear": 2020, "years": 2, "replicates": 3, "seed": 7,
    "districts": [
        {"name": "Alpha", "population": 10000,
         "townships": {"streets": 2, "towns": 3}, "communities": {"urban": 2, "rural": 4},
         "stations": {"streets": 1, "towns": 1}, "rooms": {"urban": 0, "rural": 1},
         "workforce": {"uncertified": 100, "junior": 10, "intermediate": 5, "senior": 2},
         "agencies": 2, "reliefFunds": 10000000},
        {"name": "Beta", "population": 30000,
         "townships": {"streets": 0, "towns": 5}, "communities": {"urban": 0, "rural": 9},
         "stations": {"streets": 0, "towns": 2}, "rooms": {"urban": 0, "rural": 0},
         "workforce": {"uncertified": 40, "junior": 3, "intermediate": 1, "senior": 0},
         "agencies": 1, "reliefFunds": 20000000},
    ],
    "budget": {"reliefShare": 0.1, "reliefGrowth": {"dist": "normal", "mean": 0.03, "sd": 0.02},
               "fiscal": [{"name": "line", "amount": 200000, "allocate": "uncovered"}],
               "lottery": {"dist": "lognormal", "median": 100000, "sigma": 0.3}, "donations": 0, "carryOver": True},
    "costs": {"stationContract": {"street": 200000, "town": 100000},
              "roomContract": {"urban": 50000, "rural": {"dist": "pert", "min": 10000, "mode": 20000, "max": 40000}},
              "stationBuild": 10000, "roomBuild": 5000, "priceFactor": {"dist": "triangular", "min": 0.9, "mode": 1, "max": 1.2, "per": "year"}},
    "staffing": {"street": 2, "town": 1, "urbanRoom": 2, "ruralRoom": 1, "stationShare": 0.5},
    "subsidies": {"junior": 100, "intermediate": 200, "senior": 300},
    "awards": {"pool": 100000, "count": {"dist": "poisson", "mean": 3}, "amount": 40000},
    "training": {"share": 0.1, "costPerTrainee": 1000, "passBoost": 1},
    "workforce": {"graduates": 50, "entryRate": 1,
                  "examTakeRate": {"junior": 1, "intermediate": 1, "senior": 0},
                  "passRate": {"junior": {"dist": "beta", "alpha": 6, "beta": 14}, "intermediate": 1, "senior": 0},
                  "attrition": {"uncertified": 1, "junior": 0, "intermediate": 0, "senior": 0},
                  "referenceWage": 60000, "subsidyElasticity": 1, "awardElasticity": 2},
    "procurement": {"contractsPerAgency": 3, "failureRate": {"dist": "gamma", "shape": 2, "scale": 0.01},
                    "agencyEntryPer10M": 0.5, "agencyExitRate": 0, "maxNewUnitsPerYear": 10},
    "targets": [{"metric": "townshipCoverage", "year": 2021, "atLeast": 0.5},
                {"metric": "communityCoverage", "year": 2021, "atMost": 0.9, "district": "Beta"}],
    "alternatives": [{"name": "more", "set": {"budget.reliefShare": 0.2, "districts.Alpha.reliefFunds": 5000000}}],
    "provenance": {"budget.reliefShare": "a source"},
}

def case(name, edit):
    doc = copy.deepcopy(tiny)
    edit(doc)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"), ensure_ascii=False)

def setp(path, value):
    def edit(doc):
        node = doc
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[int(k)] if isinstance(node, list) else node.setdefault(k, {})
        last = keys[-1]
        if isinstance(node, list): node[int(last)] = value
        else: node[last] = value
    return edit

def chain(*edits):
    def edit(doc):
        for e in edits: e(doc)
    return edit

case("tiny", lambda d: None)
case("years-1e19", setp("years", 1e19))
case("start-year-1e19", setp("startYear", 1e19))
case("start-year-negative-huge", setp("startYear", -1e300))
case("target-year-huge", setp("targets.0.year", 1e19))
case("district-count-huge", setp("districts.0.townships.towns", 1e30))
case("stations-huge", setp("districts.0.stations.towns", 9e18))
case("triangular-whole-range", setp("costs.priceFactor", {"dist": "triangular", "min": -1e308, "mode": 0, "max": 1e308}))
case("pert-whole-range", setp("staffing.stationShare", {"dist": "pert", "min": -1e308, "mode": 0, "max": 1e308}))
case("pert-count-whole-range", setp("staffing.town", {"dist": "pert", "min": -1e308, "mode": 1, "max": 1e308}))
case("uniform-bounds-huge", setp("budget.lottery", {"dist": "uniform", "min": 0, "max": 1e300}))
case("normal-sd-huge", setp("workforce.graduates", {"dist": "normal", "mean": 0, "sd": 1e300}))
case("lognormal-sigma-huge", setp("budget.donations", {"dist": "lognormal", "median": 1e15, "sigma": 1e3}))
case("gamma-huge", setp("workforce.subsidyElasticity", {"dist": "gamma", "shape": 1e300, "scale": 1e300}))
case("beta-tiny", setp("workforce.entryRate", {"dist": "beta", "alpha": 1e-300, "beta": 1e-300}))
case("clamps-huge", setp("workforce.awardElasticity", {"dist": "normal", "mean": 0, "sd": 1, "min": -1e308, "max": 1e308}))
case("free-huge-draw", setp("procurement.agencyEntryPer10M", {"dist": "normal", "mean": 1e15, "sd": 1e15}))
case("wage-gamma-tiny-shape", setp("workforce.referenceWage", {"dist": "gamma", "shape": 0.001, "scale": 60000}))
case("wage-lognormal-min", setp("workforce.referenceWage", {"dist": "lognormal", "median": 60000, "sigma": 0.2, "min": 20000}))
case("growth-100-200-years", chain(setp("years", 200), setp("budget.reliefGrowth", 100), setp("targets", [])))
case("relief-huge", setp("districts.0.reliefFunds", 1e308))
case("relief-max", chain(setp("districts.0.reliefFunds", 1e15), setp("budget.reliefGrowth", {"dist": "uniform", "min": 50, "max": 100, "per": "year"})))
case("alternative-fewer-districts", lambda d: d["alternatives"].append({"name": "fewer", "set": {"districts": d["districts"][:1]}}))
case("alternative-reordered-districts", lambda d: d["alternatives"].append({"name": "reorder", "set": {"districts": d["districts"][::-1]}}))
case("alternative-renamed-district", lambda d: d["alternatives"].append({"name": "rename", "set": {"districts.0": dict(d["districts"][0], name="Gamma")}}))
case("alternative-same-districts", lambda d: d["alternatives"].append({"name": "same", "set": {"districts": [dict(x, reliefFunds=1) for x in d["districts"]]}}))
case("control-characters", chain(setp("districts.0.name", "Al\npha\u001b[31m"), setp("targets.1.district", "Be\u009bta\u007f"),
                                 setp("provenance", {"bud\nget\u001b]0;x\u0007": "x"})))
case("unknown-field-escape", setp("budget.relief\u001b[2JShare", 1))
case("districts-numbers", setp("districts", list(range(2000))))
case("provenance-long-key", setp("provenance", {"a" * 10000: "x", "budget." + "b" * 5000: "y"}))
case("many-towns", chain(setp("districts.0.townships.towns", 100000000), setp("years", 3)))
case("coverage-percent", setp("targets.0.atLeast", 80))
case("schema-field", lambda d: d.update({"$schema": "https://example.org/scenario-v1.schema.json"}))
case("unit-slips", chain(setp("budget.reliefShare", 1), setp("budget.reliefGrowth", 3), setp("districts.1.reliefFunds", 2000),
                         setp("subsidies.junior", 2400), setp("costs.stationContract.town", 15), setp("districts.0.population", 52),
                         setp("workforce.referenceWage", 5000)))
case("zero-everything", chain(setp("costs.stationContract", {"street": 0, "town": 0}), setp("staffing.town", 0),
                              setp("districts.1.townships", {"streets": 0, "towns": 0}), setp("districts.1.stations", {"streets": 0, "towns": 0})))

# Dictionary: JSON punctuation, every field and distribution name, edge numbers.
schema = open(os.path.join(root, "docs", "scenario-v1.schema.json")).read()
words = sorted(set(re.findall(r'"([A-Za-z$][A-Za-z0-9]*)"\s*:', schema)) | set(re.findall(r'"([a-z]+)"', schema)))
tokens = ['"{"', '"}"', '"["', '"]"', '":"', '","', '"true"', '"false"', '"null"', '"1e19"', '"-1e308"', '"1e15"', '"0.5"', '"\\\\u001b"']
with open(os.path.join(root, "Fuzz", "scenario.dict"), "w") as f:
    f.write("# libFuzzer dictionary: generated by Fuzz/make-corpus.py\n")
    for t in tokens: f.write(t + "\n")
    for w in words:
        if len(w) < 40: f.write('"\\"%s\\""\n' % w)

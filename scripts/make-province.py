#!/usr/bin/env python3
"""Writes a synthetic province of N districts (default 80) as a simfund scenario.

Used by the benchmarks and the scaling study: sizes and money vary from district
to district the way a real province's do, but every number is made up. The
output is deterministic for a given N and seed.

    python3 scripts/make-province.py 80 > Scenarios/province-80.json
"""
import json
import random
import sys

def province(n, years=10, replicates=1000, seed=80):
    rng = random.Random(seed)
    districts = []
    for i in range(n):
        population = int(rng.lognormvariate(12.9, 0.5))           # median ~400k
        streets = rng.randint(0, 8)
        towns = rng.randint(8, 25)
        urban = streets * rng.randint(5, 15)
        rural = towns * rng.randint(8, 20)
        districts.append({
            "name": f"County {i + 1:03d}",
            "population": population,
            "townships": {"streets": streets, "towns": towns},
            "communities": {"urban": urban, "rural": rural},
            "stations": {"streets": rng.randint(0, streets), "towns": rng.randint(0, towns // 2)},
            "rooms": {"urban": rng.randint(0, urban // 4), "rural": rng.randint(0, rural // 10)},
            "workforce": {"uncertified": population // 300, "junior": population // 3000,
                          "intermediate": population // 10000, "senior": population // 100000},
            "agencies": rng.randint(1, 6),
            "reliefFunds": round(population * rng.uniform(120, 200), -3),
        })
    return {
        "simfund": 1,
        "name": f"Synthetic province of {n} districts",
        "description": "Made-up figures for benchmarks and scaling studies (scripts/make-province.py); not a real place.",
        "startYear": 2025, "years": years, "replicates": replicates, "seed": seed,
        "districts": districts,
        "budget": {"reliefShare": 0.01, "reliefGrowth": {"dist": "normal", "mean": 0.03, "sd": 0.02},
                   "fiscal": [{"name": "provincial purchase", "amount": 2e5 * n, "allocate": "uncovered"},
                              {"name": "county lines", "amount": 1e6 * n, "allocate": "population"}],
                   "lottery": {"dist": "lognormal", "median": 5e4 * n, "sigma": 0.3},
                   "donations": {"dist": "gamma", "shape": 2, "scale": 2e4 * n}, "carryOver": True},
        "costs": {"stationContract": {"street": 200000, "town": 150000}, "roomContract": {"urban": 60000, "rural": 40000},
                  "stationBuild": 50000, "roomBuild": 20000, "priceFactor": {"dist": "lognormal", "median": 1.0, "sigma": 0.08}},
        "staffing": {"street": 2, "town": 1, "urbanRoom": 2, "ruralRoom": 1, "stationShare": 0.3},
        "subsidies": {"junior": 80, "intermediate": 150, "senior": 200},
        "awards": {"pool": 900000, "count": 16, "amount": {"dist": "uniform", "min": 50000, "max": 60000}},
        "training": {"share": 0.05, "costPerTrainee": 2000, "passBoost": 0.5},
        "workforce": {"graduates": {"dist": "poisson", "mean": 50 * n}, "entryRate": 0.4,
                      "examTakeRate": {"junior": 0.3, "intermediate": 0.15, "senior": 0.03},
                      "passRate": {"junior": {"dist": "beta", "alpha": 6, "beta": 14}, "intermediate": 0.2, "senior": 0.1},
                      "attrition": {"uncertified": 0.12, "junior": 0.08, "intermediate": 0.05, "senior": 0.03},
                      "referenceWage": 60000, "subsidyElasticity": 1.0, "awardElasticity": 2.0},
        "procurement": {"contractsPerAgency": 8, "failureRate": {"dist": "beta", "alpha": 2, "beta": 60},
                        "agencyEntryPer10M": 1.0, "agencyExitRate": 0.05, "maxNewUnitsPerYear": 40},
        "targets": [{"metric": "townshipCoverage", "year": 2025 + years - 1, "atLeast": 0.9}],
    }

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    years = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    json.dump(province(n, years), sys.stdout, indent=1)
    sys.stdout.write("\n")

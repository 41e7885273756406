#!/usr/bin/env python3
"""The convergence job of issue 8 done the way analysts do it in Python, for the
benchmark (benches/bench.py). Not used by `cargo test` or CI.

    python3 benches/jobs.py polars DIR   # pl.read_excel(..., engine="calamine")
    python3 benches/jobs.py pandas DIR   # pd.read_excel(..., engine="openpyxl")
    python3 benches/jobs.py fastexcel DIR  # read every sheet with fastexcel, nothing else

Reads the Providers and Systems sheets of every workbook in DIR, keeps NHS trusts,
and per ICB code counts trusts, live and implementing trusts (coverage), live trusts
(their EPRs are the ones in use), distinct EPRs now (live trusts' primary EPR plus Core
EPR / PAS / blank-scope systems) and distinct EPRs once plans land (a target replaces all of a trust's EPRs). Prints the
result as CSV on stdout, then a last line `elapsed SECONDS`: the time of the job
itself, after the imports (which favours Python: eprscan is timed as a whole process).
"""
import glob
import os
import sys
import time

TRUST_SECTORS = ["Acute", "Mental health", "Community", "Mental health and community", "Ambulance"]
PROVIDER_COLUMNS = ["ODS code", "Sector", "ICB code", "EPR status", "Supplier", "Product",
                    "Target supplier", "Target product"]
SYSTEM_COLUMNS = ["ODS code", "Supplier", "Product", "Scope"]


def files_in(folder):
    return sorted(glob.glob(os.path.join(folder, "*.xlsx")))


def job_polars(folder):
    import polars as pl

    started = time.perf_counter()
    providers, systems = [], []
    for path in files_in(folder):
        sheets = pl.read_excel(path, sheet_name=["Providers", "Systems"], engine="calamine")
        providers.append(sheets["Providers"].select(PROVIDER_COLUMNS)
                         .with_columns(pl.all().cast(pl.String)))
        systems.append(sheets["Systems"].select(SYSTEM_COLUMNS)
                       .with_columns(pl.all().cast(pl.String)))
    p = pl.concat(providers).filter(pl.col("Sector").is_in(TRUST_SECTORS))
    s = pl.concat(systems)

    def identity(supplier, product):
        return (pl.when(pl.col(product).is_not_null())
                .then(pl.col(supplier) + " " + pl.col(product))
                .otherwise(pl.col(supplier)))

    primary = p.select("ODS code", "ICB code", identity("Supplier", "Product").alias("epr"))
    core = (s.filter(pl.col("Scope").is_null() | pl.col("Scope").is_in(["Core EPR", "PAS"]))
            .select("ODS code", identity("Supplier", "Product").alias("epr"))
            .join(p.select("ODS code", "ICB code"), on="ODS code", how="inner")
            .select("ODS code", "ICB code", "epr"))
    named = pl.concat([primary, core]).drop_nulls("epr")
    # In use now: the EPRs of live trusts only (a trust not live is not using what it
    # names), as eprscan and the generator's DIR.expected.csv count them.
    now = named.join(p.filter(pl.col("EPR status") == "Live").select("ODS code"),
                     on="ODS code", how="semi")
    planned = pl.concat([
        p.filter(pl.col("Target supplier").is_not_null())
         .select("ICB code", identity("Target supplier", "Target product").alias("epr")),
        named.join(p.filter(pl.col("Target supplier").is_null()).select("ODS code"),
                   on="ODS code", how="semi").select("ICB code", "epr"),
    ])
    coverage = p.group_by("ICB code").agg(
        pl.len().alias("trusts"),
        (pl.col("EPR status") == "Live").sum().alias("live"),
        (pl.col("EPR status") == "Implementing").sum().alias("implementing"),
    )
    converged = now.group_by("ICB code").agg(
        pl.col("ODS code").n_unique().alias("providers"),
        pl.col("epr").n_unique().alias("distinct_eprs"),
    )
    plans = planned.group_by("ICB code").agg(pl.col("epr").n_unique().alias("distinct_eprs_planned"))
    out = (coverage.join(converged, on="ICB code", how="left")
           .join(plans, on="ICB code", how="left").sort("ICB code"))
    text = out.write_csv()
    elapsed = time.perf_counter() - started
    sys.stdout.write(text)
    print(f"elapsed {elapsed:.4f}")


def job_pandas(folder):
    import pandas as pd

    started = time.perf_counter()
    providers, systems = [], []
    for path in files_in(folder):
        sheets = pd.read_excel(path, sheet_name=["Providers", "Systems"], engine="openpyxl",
                               dtype=str)
        providers.append(sheets["Providers"][PROVIDER_COLUMNS])
        systems.append(sheets["Systems"][SYSTEM_COLUMNS])
    p = pd.concat(providers, ignore_index=True)
    p = p[p["Sector"].isin(TRUST_SECTORS)]
    s = pd.concat(systems, ignore_index=True)

    def identity(frame, supplier, product):
        return frame[supplier].where(frame[product].isna(), frame[supplier] + " " + frame[product])

    primary = pd.DataFrame({"ODS code": p["ODS code"], "ICB code": p["ICB code"],
                            "epr": identity(p, "Supplier", "Product")})
    s = s[s["Scope"].isna() | s["Scope"].isin(["Core EPR", "PAS"])]
    core = pd.DataFrame({"ODS code": s["ODS code"], "epr": identity(s, "Supplier", "Product")})
    core = core.merge(p[["ODS code", "ICB code"]], on="ODS code", how="inner")
    named = pd.concat([primary, core[["ODS code", "ICB code", "epr"]]]).dropna(subset=["epr"])
    # In use now: the EPRs of live trusts only, as in job_polars.
    now = named[named["ODS code"].isin(set(p.loc[p["EPR status"] == "Live", "ODS code"]))]
    targeted = p[p["Target supplier"].notna()]
    untargeted = set(p.loc[p["Target supplier"].isna(), "ODS code"])
    planned = pd.concat([
        pd.DataFrame({"ICB code": targeted["ICB code"],
                      "epr": identity(targeted, "Target supplier", "Target product")}),
        named[named["ODS code"].isin(untargeted)][["ICB code", "epr"]],
    ])
    coverage = p.groupby("ICB code").agg(
        trusts=("ODS code", "size"),
        live=("EPR status", lambda x: int((x == "Live").sum())),
        implementing=("EPR status", lambda x: int((x == "Implementing").sum())),
    )
    converged = now.groupby("ICB code").agg(providers=("ODS code", "nunique"),
                                            distinct_eprs=("epr", "nunique"))
    plans = planned.groupby("ICB code").agg(distinct_eprs_planned=("epr", "nunique"))
    out = coverage.join(converged).join(plans).sort_index().reset_index()
    text = out.to_csv(index=False)
    elapsed = time.perf_counter() - started
    sys.stdout.write(text)
    print(f"elapsed {elapsed:.4f}")


def job_fastexcel(folder):
    import fastexcel

    started = time.perf_counter()
    rows = 0
    for path in files_in(folder):
        reader = fastexcel.read_excel(path)
        for name in reader.sheet_names:
            rows += reader.load_sheet_by_name(name).height
    elapsed = time.perf_counter() - started
    print(f"rows {rows}")
    print(f"elapsed {elapsed:.4f}")


if __name__ == "__main__":
    jobs = {"polars": job_polars, "pandas": job_pandas, "fastexcel": job_fastexcel}
    if len(sys.argv) != 3 or sys.argv[1] not in jobs:
        sys.exit("usage: jobs.py polars|pandas|fastexcel DIR")
    jobs[sys.argv[1]](sys.argv[2])

//! `eprscan convergence`: distinct EPRs now and planned, against the expected values in
//! fixtures/README.md ("Convergence fixtures"), and `eprscan.toml` aliases.

mod common;

use common::*;

/// One convergence row's expected values.
struct Expected {
    providers: u64,
    distinct: u64,
    planned: u64,
    largest_share: f64,
    hhi: f64,
}

fn assert_convergence(row: &Row, e: &Expected, context: &str) {
    let int = |c: &str| -> u64 { field(row, c).parse().expect("an integer") };
    assert_eq!(
        int("providers"),
        e.providers,
        "{context}: providers in {row:?}"
    );
    assert_eq!(
        int("distinct_eprs"),
        e.distinct,
        "{context}: distinct_eprs in {row:?}"
    );
    assert_eq!(
        int("distinct_eprs_planned"),
        e.planned,
        "{context}: distinct_eprs_planned in {row:?}"
    );
    let reduction: i64 = field(row, "reduction").parse().expect("an integer");
    assert_eq!(
        reduction,
        e.distinct as i64 - e.planned as i64,
        "{context}: reduction"
    );
    assert_close(float(row, "largest_share"), e.largest_share, context);
    // HHI decimals depend on the order of operations: compare with a relative tolerance.
    let hhi = float(row, "hhi");
    assert!(
        (hhi - e.hhi).abs() <= 1e-9 * e.hhi.max(1.0),
        "{context}: hhi {hhi}, expected {}",
        e.hhi
    );
}

fn convergence_csv(args: &[&str]) -> Vec<Row> {
    let mut all = vec!["convergence"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "csv", "--total"]);
    let run = eprscan(&all);
    run.expect_code(0);
    assert!(
        run.stderr_warnings().is_empty() && !run.stderr.contains("warning"),
        "`{}` gave warnings:\n{}",
        run.cmdline,
        run.stderr
    );
    run.csv()
}

#[test]
fn aliases_products_in_house_systems_and_a_plan() {
    let rows = convergence_csv(&["fixtures/convergence.xlsx", "--sectors", "trusts"]);
    assert_eq!(rows.len(), 2, "one ICS and the total: {rows:#?}");
    let qop = row_where(&rows, "ics_code", "QOP");
    assert_eq!(field(qop, "ics_name"), "Greater Manchester");
    let expected = Expected {
        providers: 10,
        distinct: 11,
        planned: 7,
        largest_share: 0.3,
        hhi: 190_000.0 / 169.0,
    };
    assert_convergence(qop, &expected, "convergence.xlsx");
    assert_convergence(
        total_row(&rows, &["ics_code", "ics_name"]),
        &expected,
        "convergence.xlsx total",
    );
}

#[test]
fn all_systems_counts_departmental_systems() {
    let rows = convergence_csv(&[
        "fixtures/convergence.xlsx",
        "--all-systems",
        "--sectors",
        "trusts",
    ]);
    assert_convergence(
        row_where(&rows, "ics_code", "QOP"),
        &Expected {
            providers: 10,
            distinct: 13,
            planned: 8,
            largest_share: 0.3,
            hhi: 2800.0 / 3.0,
        },
        "convergence.xlsx --all-systems",
    );
}

#[test]
fn list_names_each_epr_with_its_trust_count() {
    let rows = convergence_csv(&["fixtures/convergence.xlsx", "--list", "--sectors", "trusts"]);
    let eprs = field(row_where(&rows, "ics_code", "QOP"), "eprs").to_string();
    let listed: Vec<&str> = eprs.split("; ").collect();
    assert_eq!(listed.len(), 11, "{eprs}");
    // Most common first; the three Oracle spellings with Millennium are one EPR.
    assert_eq!(listed[0], "Oracle Health Millennium (3)");
    for one in [
        "Altera Digital Health Sunrise (1)",
        "Dedalus Lorenzo (1)",
        "Epic (1)",
        "In-house (RT2) (1)",
        "In-house (RXV) (1)",
        "Oracle Health (1)",
        "Ortivus (1)",
        "System C CareFlow (1)",
        "System C Medway (1)",
        "TPP SystmOne (1)",
    ] {
        assert!(listed.contains(&one), "{one} missing from {eprs}");
    }
}

#[test]
fn national_list_with_only_a_supplier_column_grouped_through_ods() {
    let rows = convergence_csv(&[
        "fixtures/convergence_national.csv",
        "--ods",
        "fixtures/ods/etr.csv",
    ]);
    let cases = [
        ("QE1", 2, 1, 1.0, 10_000.0),
        ("QHM", 4, 3, 0.5, 3_750.0),
        ("QOP", 4, 4, 0.25, 2_500.0),
    ];
    assert_eq!(rows.len(), cases.len() + 1, "{rows:#?}");
    for (code, providers, distinct, share, hhi) in cases {
        assert_convergence(
            row_where(&rows, "ics_code", code),
            &Expected {
                providers,
                distinct,
                planned: distinct,
                largest_share: share,
                hhi,
            },
            code,
        );
    }
    // The national row is computed over all trusts, not summed: Epic and Oracle
    // Health span ICSs.
    assert_convergence(
        total_row(&rows, &["ics_code", "ics_name"]),
        &Expected {
            providers: 10,
            distinct: 6,
            planned: 6,
            largest_share: 0.3,
            hhi: 2_200.0,
        },
        "national total",
    );
}

#[test]
fn by_national_and_by_region() {
    let national = convergence_csv(&["fixtures/convergence_national.csv", "--by", "national"]);
    assert_eq!(national.len(), 1, "{national:#?}");
    assert_eq!(field(&national[0], "area"), "England");
    assert_convergence(
        &national[0],
        &Expected {
            providers: 10,
            distinct: 6,
            planned: 6,
            largest_share: 0.3,
            hhi: 2_200.0,
        },
        "--by national",
    );

    let regions = convergence_csv(&[
        "fixtures/convergence_national.csv",
        "--ods",
        "fixtures/ods/etr.csv",
        "--by",
        "region",
    ]);
    assert_convergence(
        row_where(&regions, "region", "North West"),
        &Expected {
            providers: 6,
            distinct: 5,
            planned: 5,
            largest_share: 1.0 / 3.0,
            hhi: 20_000.0 / 9.0,
        },
        "North West",
    );
    assert_convergence(
        row_where(&regions, "region", "North East and Yorkshire"),
        &Expected {
            providers: 4,
            distinct: 3,
            planned: 3,
            largest_share: 0.5,
            hhi: 3_750.0,
        },
        "North East and Yorkshire",
    );
}

#[test]
fn table_output_has_the_national_row_and_percentages() {
    let run = eprscan(&[
        "convergence",
        "fixtures/convergence.xlsx",
        "--sectors",
        "trusts",
    ]);
    run.expect_code(0);
    assert!(run.stdout.contains("England"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("Distinct EPRs of NHS trusts, in use now"),
        "the title names the population: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("30.0%"),
        "largest share as a percentage: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("1124.26"),
        "hhi rounded for display: {}",
        run.stdout
    );
}

/// Two spellings of one unknown supplier: two EPRs, until eprscan.toml says they are
/// the same supplier.
#[test]
fn settings_file_aliases_collapse_local_spellings() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "trusts.csv",
        "ODS code,Organisation name,Sector,ICB code,EPR status,Supplier\n\
         RAA,Alpha Hospitals,Acute,QOP,Live,Acme Health Systems Ltd\n\
         RBB,Beta Hospitals,Acute,QOP,Live,ACME\n",
    );
    let distinct = |run: &Run| -> String {
        run.expect_code(0);
        field(&run.csv()[0], "distinct_eprs").to_string()
    };
    let without = eprscan_in(dir.path(), &["convergence", "trusts.csv", "-f", "csv"]);
    assert_eq!(distinct(&without), "2");

    write_file(
        dir.path(),
        "eprscan.toml",
        "[suppliers]\n\"Acme Health Systems\" = \"Acme\"\n",
    );
    let with = eprscan_in(dir.path(), &["convergence", "trusts.csv", "-f", "csv"]);
    assert_eq!(distinct(&with), "1", "found ./eprscan.toml");

    let elsewhere = temp_dir();
    let config = dir.path().join("eprscan.toml");
    let explicit = eprscan_in(
        elsewhere.path(),
        &[
            "convergence",
            arg(&dir.path().join("trusts.csv")),
            "--config",
            arg(&config),
            "-f",
            "csv",
        ],
    );
    assert_eq!(distinct(&explicit), "1", "--config PATH");
}

#[test]
fn settings_file_unknown_key_is_an_error_naming_it() {
    let dir = temp_dir();
    write_file(dir.path(), "eprscan.toml", "targte = 0.9\n");
    copy_fixture("canonical.xlsx", dir.path(), "canonical.xlsx");
    let run = eprscan_in(dir.path(), &["convergence", "canonical.xlsx"]);
    run.expect_code(2);
    assert!(run.stderr.contains("targte"), "{}", run.stderr);
    assert!(run.stderr.contains("eprscan.toml"), "{}", run.stderr);
}

#[test]
fn settings_file_sets_the_default_target_and_grouping() {
    let dir = temp_dir();
    copy_fixture("canonical.xlsx", dir.path(), "canonical.xlsx");
    write_file(
        dir.path(),
        "eprscan.toml",
        "target = \"70%\"\nby = \"sector\"\n",
    );
    let run = eprscan_in(
        dir.path(),
        &["coverage", "canonical.xlsx", "-f", "csv", "--total"],
    );
    run.expect_code(0);
    let rows = run.csv();
    let total = total_row(&rows, &["sector"]);
    assert_close(float(total, "target"), 0.7, "target from settings");
    assert_eq!(field(total, "met"), "true", "7 of 10 meets 70%");
    // The command line wins over the file.
    let run = eprscan_in(
        dir.path(),
        &[
            "coverage",
            "canonical.xlsx",
            "-f",
            "csv",
            "--by",
            "ics",
            "--target",
            "0.9",
        ],
    );
    run.expect_code(0);
    let rows = run.csv();
    assert_eq!(field(&rows[0], "ics_code"), "QH8");
    assert_eq!(field(&rows[0], "met"), "false");
}

/// An unknown supplier is kept as written and reported; a systems row for a code in
/// no providers table is kept and reported.
#[test]
fn unknown_suppliers_and_orphan_systems_are_warnings_not_losses() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "providers.csv",
        "ODS code,Organisation name,Sector,ICB code,EPR status,Supplier\n\
         RAA,Alpha Hospitals,Acute,QOP,Live,Zebra Clinical\n\
         RBB,Beta Hospitals,Acute,QOP,Live,Epic\n",
    );
    write_file(
        dir.path(),
        "systems.csv",
        "ODS code,Supplier,Product,Scope\n\
         RAA,Oracle Health,Millennium,PAS\n\
         RZZ,Epic,,Core EPR\n",
    );
    let run = eprscan_in(dir.path(), &["convergence", ".", "-v", "-f", "csv"]);
    run.expect_code(0);
    let warnings = run.stderr_warnings();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        warnings.iter().any(|w| w.contains("providers.csv: F2:")
            && w.contains("unknown supplier \"Zebra Clinical\"")),
        "{}",
        run.stderr
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("systems.csv: A3:") && w.contains("RZZ")),
        "{}",
        run.stderr
    );
    let rows = run.csv();
    // Zebra Clinical (kept as written), Oracle Health Millennium (PAS) and Epic.
    assert_eq!(field(&rows[0], "distinct_eprs"), "3", "{rows:?}");
    assert_eq!(field(&rows[0], "providers"), "2");

    let strict = eprscan_in(dir.path(), &["convergence", ".", "--strict"]);
    strict.expect_code(1);
}

// ---------------------------------------------------------------------------
// Issue 17.2 and 17.3: "now" means in use now; the whole landscape by default
// ---------------------------------------------------------------------------

/// convergence.xlsx with the default population (every provider): the GP practice
/// GPX02 (live, EMIS Web, plus a Core EPR row for TPP SystmOne) now counts.
/// fixtures/README.md: providers 11, distinct 12, planned 8, largest 3/11,
/// hhi 10 000 × 23/225.
#[test]
fn by_default_every_provider_counts_gp_practices_too() {
    let rows = convergence_csv(&["fixtures/convergence.xlsx"]);
    let expected = Expected {
        providers: 11,
        distinct: 12,
        planned: 8,
        largest_share: 3.0 / 11.0,
        hhi: 230_000.0 / 225.0,
    };
    assert_convergence(
        row_where(&rows, "ics_code", "QOP"),
        &expected,
        "convergence.xlsx, every provider",
    );
    let run = eprscan(&["convergence", "fixtures/convergence.xlsx"]);
    assert!(
        run.stdout
            .contains("Distinct EPRs of all providers (every sector)"),
        "{}",
        run.stdout
    );
    // One sector only: the GP practice alone.
    let rows = convergence_csv(&["fixtures/convergence.xlsx", "--sectors", "primary care"]);
    assert_convergence(
        row_where(&rows, "ics_code", "QOP"),
        &Expected {
            providers: 1,
            distinct: 2,
            planned: 2,
            largest_share: 1.0,
            hhi: 5000.0,
        },
        "--sectors primary care",
    );
}

/// convergence_now.xlsx (fixtures/README.md): an implementing trust's Epic (go-live
/// 2028) and a PAS going live in 2030 are planned, not in use; a non-live trust's
/// systems are not in use either.
#[test]
fn now_counts_only_eprs_in_use_at_the_date() {
    let at = |as_of: &str, extra: &[&str]| {
        let mut args = vec!["fixtures/convergence_now.xlsx", "--as-of", as_of];
        args.extend_from_slice(extra);
        let rows = convergence_csv(&args);
        row_where(&rows, "ics_code", "QOP").clone()
    };
    assert_convergence(
        &at("2026-06-30", &[]),
        &Expected {
            providers: 4,
            distinct: 5,
            planned: 6,
            largest_share: 0.25,
            hhi: 2000.0,
        },
        "--as-of 2026-06-30",
    );
    // By 2031 RDD's SystmOne PAS is in use: SystmOne at two providers.
    assert_convergence(
        &at("2031-01-01", &[]),
        &Expected {
            providers: 4,
            distinct: 5,
            planned: 6,
            largest_share: 0.5,
            hhi: 20_000.0 / 9.0,
        },
        "--as-of 2031-01-01",
    );
    assert_convergence(
        &at("2026-06-30", &["--sectors", "trusts"]),
        &Expected {
            providers: 3,
            distinct: 4,
            planned: 5,
            largest_share: 1.0 / 3.0,
            hhi: 2500.0,
        },
        "--as-of 2026-06-30 --sectors trusts",
    );
    let listed = at("2026-06-30", &["--list"]);
    let eprs = field(&listed, "eprs");
    assert!(
        !eprs.contains("Lorenzo"),
        "a non-live trust's PAS is not in use: {eprs}"
    );
    assert!(
        eprs.contains("Epic (1)"),
        "only RAA's Epic is in use: {eprs}"
    );
}

/// Coverage and convergence agree on who has an EPR: for every ICS of the example
/// returns, convergence's `providers` over NHS trusts equals coverage's `live`, at
/// the reported status and at a date.
#[test]
fn convergence_providers_equal_coverage_live_for_every_ics() {
    for as_of in [None, Some("2023-12-31")] {
        let mut extra: Vec<&str> = vec!["--sectors", "trusts"];
        let mut cov_args: Vec<&str> = Vec::new();
        if let Some(d) = as_of {
            extra.extend(["--as-of", d]);
            cov_args.extend(["--as-of", d]);
        }
        let mut args = vec!["examples/returns"];
        args.extend_from_slice(&extra);
        let mut all = vec!["convergence"];
        all.extend_from_slice(&args);
        all.extend_from_slice(&["-f", "csv", "--total"]);
        let conv = eprscan(&all);
        conv.expect_code(0);
        let conv = conv.csv();
        let cov = coverage_csv("examples/returns", &cov_args);
        assert_eq!(conv.len(), cov.len(), "same groups");
        assert_eq!(cov.len(), 43, "42 ICSs and England");
        for (c, v) in conv.iter().zip(&cov) {
            assert_eq!(field(c, "ics_code"), field(v, "ics_code"));
            assert_eq!(
                field(c, "providers"),
                field(v, "live"),
                "{} at {as_of:?}: convergence providers vs coverage live",
                field(c, "ics_name")
            );
        }
    }
}

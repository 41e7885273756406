//! `eprscan export`: every table to a folder. Parquet read back with polars is the same
//! frame, row for row and type for type, as the library builds; CSV and JSON files have
//! the tables' columns and rows.

mod common;

use common::*;
use eprscan::config::Config;
use eprscan::frames::{dataset_frames, TABLE_NAMES};
use eprscan::normalise::{load, LoadOptions};
use polars::prelude::{DataFrame, DataType};
use std::path::{Path, PathBuf};

/// The fixtures exported in these tests: 24 providers, 7 systems, 2 returns.
fn inputs() -> Vec<PathBuf> {
    vec![fixture("canonical.xlsx"), fixture("convergence.xlsx")]
}

/// Run `eprscan export INPUTS --to DIR ARGS` and require exit 0.
fn export(dir: &Path, args: &[&str]) -> Run {
    let inputs = inputs();
    let mut all = vec!["export"];
    all.extend(inputs.iter().map(|p| arg(p)));
    all.extend_from_slice(&["--to", arg(dir)]);
    all.extend_from_slice(args);
    let run = eprscan(&all);
    run.expect_code(0);
    run
}

fn read_parquet(path: &Path) -> DataFrame {
    use polars_io::SerReader;
    let file =
        std::fs::File::open(path).unwrap_or_else(|e| panic!("opening {}: {e}", path.display()));
    polars_io::parquet::read::ParquetReader::new(file)
        .finish()
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[test]
fn parquet_round_trip_gives_the_same_rows_and_types() {
    let dir = temp_dir();
    let out = dir.path().join("tables");
    let run = export(&out, &["-f", "parquet"]);
    let wrote: Vec<String> = TABLE_NAMES
        .iter()
        .zip([24, 7, 0, 2, 0])
        .map(|(table, rows)| {
            let path = out.join(format!("{table}.parquet"));
            format!("eprscan: wrote {} ({rows} rows)", path.display())
        })
        .collect();
    assert_eq!(run.stderr.lines().collect::<Vec<_>>(), wrote);

    let config = Config::default();
    let options = LoadOptions {
        synonyms: config.header_synonyms(),
        suppliers: config.supplier_table(),
        ..LoadOptions::default()
    };
    let expected = dataset_frames(&load(&inputs(), &options)).expect("the tables build");
    for table in &expected {
        let read = read_parquet(&out.join(format!("{}.parquet", table.name)));
        assert_eq!(read.schema(), table.frame.schema(), "{} types", table.name);
        assert!(
            read.equals_missing(&table.frame),
            "{}: read back\n{read}\nexpected\n{}",
            table.name,
            table.frame
        );
    }

    // And the values are the fixtures' (fixtures/README.md).
    let providers = read_parquet(&out.join("providers.parquet"));
    // 17 fields, is_trust and is_live (issue 22), source, sheet and row.
    assert_eq!(providers.shape(), (24, 22));
    assert_eq!(
        providers.column("go_live").unwrap().dtype(),
        &DataType::Date
    );
    assert_eq!(
        providers.column("emram_stage").unwrap().dtype(),
        &DataType::Int64
    );
    let rgp = providers
        .column("ods_code")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .position(|code| code == Some("RGP"))
        .expect("RGP");
    let value = |column: &str| {
        providers
            .column(column)
            .unwrap()
            .get(rgp)
            .unwrap()
            .to_string()
    };
    assert_eq!(value("contract_expiry"), "2025-03-31");
    assert_eq!(value("status"), "\"implementing\"");
    assert_eq!(value("target_supplier"), "\"Epic\"");
    assert_eq!(value("emram_stage"), "2");
    assert_eq!(value("row"), "9");
    let funding = read_parquet(&out.join("funding.parquet"));
    assert_eq!(funding.height(), 0);
    assert_eq!(
        funding.column("total_cost").unwrap().dtype(),
        &DataType::Float64
    );
}

#[test]
fn csv_files_have_the_columns_and_rows_of_each_table() {
    let dir = temp_dir();
    export(dir.path(), &[]); // csv by default
    let read = |table: &str| {
        std::fs::read_to_string(dir.path().join(format!("{table}.csv")))
            .unwrap_or_else(|e| panic!("{table}.csv: {e}"))
    };
    let providers = read("providers");
    assert_eq!(
        csv_header(&providers).join(","),
        "ods_code,name,sector,ics_code,ics_name,region,status,supplier,product,go_live,\
         contract_expiry,target_supplier,target_product,target_go_live,journey,emram_stage,\
         epr_group,is_trust,is_live,source,sheet,row"
    );
    let rows = parse_csv(&providers);
    assert_eq!(rows.len(), 24);
    let rmp = row_where(&rows, "ods_code", "RMP");
    assert_eq!(field(rmp, "supplier"), "Oracle Health");
    assert_eq!(field(rmp, "product"), "");
    assert_eq!(field(rmp, "target_supplier"), "Epic");
    assert_eq!(field(rmp, "ics_name"), "Greater Manchester");
    assert_eq!(field(rmp, "row"), "5");
    assert_eq!(parse_csv(&read("systems")).len(), 7);
    assert_eq!(
        read("funding"),
        "ods_code,item,total_cost,national_funding,local_funding,stated_gap,fiscal_year,\
         return_ics_code,return_ics_name,return_region,source,sheet,row\n"
    );
    let returns = parse_csv(&read("returns"));
    assert_eq!(returns.len(), 2);
    assert_eq!(field(&returns[1], "submitted"), "2026-10-20");
    assert_eq!(field(&returns[1], "systems_rows"), "7");
    assert_eq!(read("diagnostics"), "file,sheet,cell,severity,message\n");
}

#[test]
fn json_and_ndjson_files_hold_one_record_per_row() {
    let dir = temp_dir();
    let json_dir = dir.path().join("json");
    assert_eq!(export(&json_dir, &["-f", "json", "-q"]).stderr, "");
    let systems: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(json_dir.join("systems.json")).expect("systems.json"),
    )
    .expect("JSON");
    let systems = systems.as_array().expect("an array");
    assert_eq!(systems.len(), 7);
    assert_eq!(
        systems[1],
        serde_json::json!({
            "ods_code": "RRF", "supplier": "Nervecentre", "product": null, "scope": "Maternity",
            "go_live": null, "contract_expiry": null,
            "source": arg(&fixture("convergence.xlsx")), "sheet": "Systems", "row": 3
        })
    );
    let ndjson_dir = dir.path().join("ndjson");
    export(&ndjson_dir, &["-f", "ndjson"]);
    let returns = std::fs::read_to_string(ndjson_dir.join("returns.ndjson")).expect("returns");
    let first: serde_json::Value =
        serde_json::from_str(returns.lines().next().expect("a line")).expect("JSON");
    assert_eq!(returns.lines().count(), 2);
    assert_eq!(first["ics_code"], "QH8");
    assert_eq!(first["submitted"], "2026-10-15");
    assert_eq!(first["provider_rows"], 12);
}

#[test]
fn bad_options_and_bad_inputs_write_nothing() {
    let dir = temp_dir();
    let out = dir.path().join("out");
    for args in [
        vec!["-f", "table"],
        vec!["-f", "markdown"],
        vec!["-o", "tables.csv"],
    ] {
        let mut all = vec!["export", "fixtures/canonical.xlsx", "--to", arg(&out)];
        all.extend_from_slice(&args);
        let run = eprscan(&all);
        run.expect_code(2);
        // -o is refused as every option a command does not use is (issue 26.3).
        let said = if args[0] == "-o" {
            "eprscan: `eprscan export` does not use -o/--output: it writes one file per table"
        } else {
            "eprscan: export writes"
        };
        assert!(run.stderr.starts_with(said), "{}", run.stderr);
        assert!(!out.exists(), "{args:?} created the folder");
    }
    let run = eprscan(&["export", "fixtures/missing_column.xlsx", "--to", arg(&out)]);
    run.expect_code(1);
    assert_eq!(run.stderr_errors().len(), 1, "{}", run.stderr);
    assert!(!out.exists(), "input errors created the folder");
    let run = eprscan(&["export", "fixtures/canonical.xlsx"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--to <DIR>"), "{}", run.stderr);
}

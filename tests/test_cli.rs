//! The command-line experience (issue: CLI): help with examples, colour policy,
//! progress only on a terminal, completions, the man page, settings precedence and
//! `config --show`, and a closed pipe.

mod common;

use common::*;
use std::io::Read;
use std::process::{Command, Stdio};

const ESC: char = '\u{1b}';

/// The `config --show -f csv` row of one setting.
fn setting(run: &Run, name: &str) -> Row {
    row_where(&run.csv(), "setting", name).clone()
}

const SUBCOMMANDS: [&str; 13] = [
    "coverage",
    "convergence",
    "funding",
    "maturity",
    "validate",
    "report",
    "diff",
    "template",
    "sql",
    "export",
    "config",
    "completions",
    "man",
];

#[test]
fn every_help_ends_with_real_examples() {
    let top = eprscan(&["--help"]);
    top.expect_code(0);
    assert!(top.stdout.contains("Examples:"), "{}", top.stdout);
    for sub in SUBCOMMANDS {
        let run = eprscan(&[sub, "--help"]);
        run.expect_code(0);
        let examples = run
            .stdout
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("`eprscan {sub} --help` has no Examples section"));
        assert!(
            examples.contains(&format!("eprscan {sub}")),
            "`eprscan {sub} --help` examples do not run {sub}:\n{examples}"
        );
    }
    let coverage = eprscan(&["coverage", "--help"]);
    assert!(
        coverage.stdout.contains("[default: 0.9"),
        "{}",
        coverage.stdout
    );
}

#[test]
fn version() {
    let run = eprscan(&["--version"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout.trim(),
        format!("eprscan {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn no_escape_codes_when_piped_or_under_no_color() {
    // Under the test harness stdout and stderr are pipes: auto means no colour.
    for env in [&[][..], &[("NO_COLOR", "1")][..]] {
        let table = eprscan_env(root(), &["coverage", "fixtures/canonical.xlsx"], env);
        table.expect_code(0);
        assert!(!table.stdout.contains(ESC), "{}", table.stdout);
        let problems = eprscan_env(root(), &["validate", "fixtures/bad_cells.xlsx"], env);
        assert!(
            problems.stdout.contains(": warning: "),
            "{}",
            problems.stdout
        );
        assert!(!problems.stdout.contains(ESC) && !problems.stderr.contains(ESC));
    }
    let never = eprscan(&["--color", "never", "coverage", "fixtures/canonical.xlsx"]);
    assert!(!never.stdout.contains(ESC));
}

#[test]
fn color_always_colours_tables_and_diagnostics_but_never_csv_or_json() {
    let table = eprscan(&["--color", "always", "coverage", "fixtures/canonical.xlsx"]);
    table.expect_code(0);
    // QH8 misses the target: "no" in red (comfy-table's red is 38;5;9).
    assert!(
        table.stdout.contains("\u{1b}[38;5;9m no"),
        "{}",
        table.stdout
    );
    let problems = eprscan(&["--color", "always", "validate", "fixtures/bad_cells.xlsx"]);
    assert!(
        problems.stdout.contains("\u{1b}[33mwarning\u{1b}[0m"),
        "{:?}",
        problems.stdout
    );
    for format in ["csv", "json", "ndjson", "markdown"] {
        let run = eprscan(&[
            "--color",
            "always",
            "coverage",
            "fixtures/canonical.xlsx",
            "-f",
            format,
        ]);
        run.expect_code(0);
        assert!(!run.stdout.contains(ESC), "{format}: {}", run.stdout);
    }
}

#[test]
fn bad_color_value_is_a_usage_error() {
    let run = eprscan(&[
        "--color",
        "sometimes",
        "coverage",
        "fixtures/canonical.xlsx",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("sometimes"), "{}", run.stderr);
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    // 42 workbooks: enough for a bar on a terminal.
    let run = eprscan(&["coverage", "examples/returns"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "", "nothing on stderr for clean returns");
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = eprscan(&["completions", shell]);
        run.expect_code(0);
        for word in ["eprscan", "coverage", "funding", "match-rate", "color"] {
            assert!(run.stdout.contains(word), "{shell} completions lack {word}");
        }
    }
    let run = eprscan(&["completions", "tcsh"]);
    run.expect_code(2);
}

#[test]
fn man_page() {
    let run = eprscan(&["man"]);
    run.expect_code(0);
    assert!(run.stdout.starts_with(".ie") || run.stdout.starts_with(".TH"));
    assert!(
        run.stdout.contains(".TH eprscan 1"),
        "{}",
        &run.stdout[..200]
    );
    for section in ["SYNOPSIS", "OPTIONS", "SUBCOMMANDS", "\"EPRSCAN FUNDING\""] {
        assert!(
            run.stdout.contains(&format!(".SH {section}")),
            "no {section}"
        );
    }
    assert!(
        run.stdout
            .contains("eprscan funding returns/ \\-\\-by national")
            || run
                .stdout
                .contains("eprscan funding returns/ --by national")
    );

    let dir = temp_dir();
    let page = dir.path().join("eprscan.1");
    eprscan(&["man", "-o", arg(&page)]).expect_code(0);
    let written = std::fs::read_to_string(&page).expect("man page written");
    assert_eq!(written, run.stdout);
}

/// `by` from each place a settings file can be; the nearer one wins, and the
/// command line wins over all.
#[test]
fn settings_precedence_and_config_show() {
    let home = temp_dir();
    let user_dir = home.path().join("eprscan");
    std::fs::create_dir_all(&user_dir).expect("user config dir");
    write_file(&user_dir, "eprscan.toml", "by = \"region\"\n");
    let work = temp_dir();
    let xdg = [("XDG_CONFIG_HOME", arg(home.path()))];
    let canonical = fixture("canonical.xlsx");
    let header = |run: &Run| csv_header(&run.stdout)[0].clone();

    // Only the user config dir: by region.
    let run = eprscan_env(
        work.path(),
        &["coverage", arg(&canonical), "-f", "csv"],
        &xdg,
    );
    run.expect_code(0);
    assert_eq!(header(&run), "region");
    let show = eprscan_env(work.path(), &["config", "--show", "-f", "csv"], &xdg);
    show.expect_code(0);
    let by = setting(&show, "by");
    assert_eq!(by["value"], "region");
    assert!(by["source"].contains("user config directory"), "{by:?}");

    // ./eprscan.toml wins over the user's.
    write_file(work.path(), "eprscan.toml", "by = \"sector\"\n");
    let run = eprscan_env(
        work.path(),
        &["coverage", arg(&canonical), "-f", "csv"],
        &xdg,
    );
    assert_eq!(header(&run), "sector");
    let show = eprscan_env(work.path(), &["config", "-f", "csv"], &xdg);
    let by = setting(&show, "by");
    assert_eq!(by["value"], "sector");
    assert!(by["source"].contains("working directory"), "{by:?}");
    let target = setting(&show, "target");
    assert_eq!(target["value"], "90%");
    assert_eq!(target["source"], "built-in default");

    // --config wins over both; the option wins over every file.
    let explicit = write_file(home.path(), "team.toml", "by = \"national\"\n");
    let args = [
        "coverage",
        arg(&canonical),
        "-f",
        "csv",
        "--config",
        arg(&explicit),
    ];
    let run = eprscan_env(work.path(), &args, &xdg);
    assert_eq!(header(&run), "area");
    let mut with_by = args.to_vec();
    with_by.extend(["--by", "supplier"]);
    let run = eprscan_env(work.path(), &with_by, &xdg);
    assert_eq!(header(&run), "supplier");

    // An unknown key in the user's file is a usage error naming it.
    write_file(&user_dir, "eprscan.toml", "bye = \"region\"\n");
    std::fs::remove_file(work.path().join("eprscan.toml")).expect("removed");
    let run = eprscan_env(work.path(), &["coverage", arg(&canonical)], &xdg);
    run.expect_code(2);
    assert!(run.stderr.contains("bye"), "{}", run.stderr);
}

#[test]
fn config_show_without_a_file_says_where_it_looked() {
    let work = temp_dir();
    let run = eprscan_in(work.path(), &["config", "--show", "-f", "csv"]);
    run.expect_code(0);
    let file = setting(&run, "settings file");
    assert_eq!(file["value"], "(none)");
    assert!(file["source"].contains("eprscan.toml"), "{file:?}");
    let deadline = setting(&run, "deadline");
    assert_eq!(deadline["value"], "2023-12-31");
}

/// `eprscan ... | head -1`: the reader goes away before eprscan writes. That is not
/// an error: exit 0 and nothing on stderr.
#[test]
fn a_closed_pipe_is_not_an_error() {
    let bin = assert_cmd::cargo::cargo_bin("eprscan");
    for args in [
        &["coverage", "examples/returns"][..],
        &["validate", "fixtures/bad_cells.xlsx"][..],
        &["convergence", "examples/returns", "-f", "csv", "--list"][..],
    ] {
        let mut child = Command::new(&bin)
            .current_dir(root())
            .args(args)
            .env(
                "XDG_CONFIG_HOME",
                root().join("tests").join("no-user-config"),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("eprscan starts");
        // Close our end at once: eprscan reads its inputs first, then writes.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr read");
        let status = child.wait().expect("eprscan exits");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

/// Issue 26.2: an option a command does not take gets the command's own options, not
/// clap's advice to pass it after `--`.
#[test]
fn an_option_the_command_does_not_take_names_the_ones_it_does() {
    let run = eprscan(&[
        "report",
        "examples/returns",
        "--by",
        "region",
        "-o",
        "x.xlsx",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("`eprscan report` does not take --by")
            && run.stderr.contains("--match-rate")
            && run.stderr.contains("--target"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("-- --by"), "{}", run.stderr);
}

/// Issue 26.5: a settings file that does not exist is a usage error naming it, as a
/// settings file with an unknown key is.
#[test]
fn settings_file_missing_or_with_an_unknown_key_is_a_usage_error() {
    let dir = temp_dir();
    let missing = dir.path().join("nope.toml");
    let run = eprscan(&["coverage", "examples/returns", "--config", arg(&missing)]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("nope.toml") && run.stderr.contains("cannot read it"),
        "{}",
        run.stderr
    );
    let bad = write_file(dir.path(), "bad.toml", "targte = 0.9\n");
    let run = eprscan(&["coverage", "examples/returns", "--config", arg(&bad)]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("bad.toml") && run.stderr.contains("targte"),
        "{}",
        run.stderr
    );
}

/// Issue 25.5: every setting is parsed and checked when the settings file is read, so
/// a bad one stops any command at its start (exit 2), naming the file, the setting as
/// written and what is wrong, even a command that would not use it.
#[test]
fn a_bad_setting_stops_every_command_at_start_naming_file_and_setting() {
    let dir = temp_dir();
    let funding = fixture("funding.xlsx");
    for (text, says) in [
        ("target = 1.5\n", "target = 1.5: invalid share \"1.5\""),
        (
            "target = \"95 percent\"\n",
            "target = \"95 percent\": invalid share",
        ),
        ("target = true\n", "target = true: expected 0.9 or \"90%\""),
        (
            "deadline = \"someday\"\n",
            "deadline = \"someday\": \"someday\" is not a date",
        ),
        (
            // The levels SPEC 3 names, in the enum's order.
            "by = \"county\"\n",
            "by = \"county\": unknown grouping (one of: ics, region, sector, supplier, national)",
        ),
    ] {
        let settings = write_file(dir.path(), "team.toml", text);
        // funding uses neither the target nor the deadline, and still stops.
        for command in ["funding", "coverage", "template"] {
            let mut args = vec![command];
            if command == "template" {
                args.extend(["-o", "x.xlsx"]);
            } else {
                args.push(arg(&funding));
            }
            args.extend(["--config", arg(&settings)]);
            let run = eprscan_in(dir.path(), &args);
            run.expect_code(2);
            assert!(
                run.stderr
                    .contains(&format!("settings {}: {says}", settings.display())),
                "{command} with {text}: {}",
                run.stderr
            );
            assert!(run.stdout.is_empty(), "{}", run.stdout);
            assert!(!dir.path().join("x.xlsx").exists());
        }
    }
    // A TOML date is a deadline as written; the values are shown as read.
    let settings = write_file(
        dir.path(),
        "team.toml",
        "deadline = 2024-03-31\ntarget = 0.8\nby = \"Region\"\n",
    );
    let run = eprscan(&[
        "coverage",
        arg(&funding),
        "--config",
        arg(&settings),
        "-f",
        "table",
    ]);
    run.expect_code(0);
    assert!(
        run.stdout
            .starts_with("EPR coverage of NHS trusts against the 80% target (deadline 31/03/2024)"),
        "{}",
        run.stdout
    );
    let show = eprscan(&["config", "--show", "-f", "csv", "--config", arg(&settings)]);
    show.expect_code(0);
    assert_eq!(setting(&show, "deadline")["value"], "2024-03-31");
    assert_eq!(setting(&show, "target")["value"], "80%");
    assert_eq!(setting(&show, "by")["value"], "region");
}

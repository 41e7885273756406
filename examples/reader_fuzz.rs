//! The randomized differential run of issue 23, for machines without cargo-fuzz:
//! mutates the XML parts of committed workbooks (byte changes, cut and repeated
//! spans, and tokens of the sheet, shared-string, style and workbook grammars
//! spliced in), zips them again, and reads each result with eprscan's own xlsx
//! reader and with calamine (`eprscan::ingest::differential`). Prints the
//! executions and every difference not documented in the README, and writes each
//! differing input to the output folder as a regression fixture candidate.
//!
//! Usage: `cargo run --example reader_fuzz -- SECONDS OUT_DIR [SEED]`

use eprscan::ingest::differential::{compare_xlsx_readers, Agreement};
use eprscan::ingest::Limits;
use std::collections::BTreeMap;
use std::error::Error;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn Error>>;

/// Tokens spliced into parts: the elements, attributes and values the readers
/// treat differently.
const TOKENS: &[&str] = &[
    "<c>",
    "</c>",
    "<c/>",
    "<v>",
    "</v>",
    "<v/>",
    " t=\"s\"",
    " t=\"str\"",
    " t=\"b\"",
    " t=\"e\"",
    " t=\"d\"",
    " t=\"n\"",
    " t=\"inlineStr\"",
    " t=\"x\"",
    " r=\"A1\"",
    " r=\"XFD1048576\"",
    " r=\"B\"",
    " r=\"3\"",
    " s=\"1\"",
    " s=\"2\"",
    " s=\"99\"",
    "<f>1+1</f>",
    "<f/>",
    "<is><t>x</t></is>",
    "<is/>",
    "&amp;",
    "&#10;",
    "&#xA0;",
    "&bogus;",
    "_x000D_",
    "_xD83D_",
    "<row>",
    "</row>",
    "<row r=\"3\">",
    "<row/>",
    " xml:space=\"preserve\"",
    "<r><t>a</t></r>",
    "<rPh><t>p</t></rPh>",
    "<t> x </t>",
    " date1904=\"1\"",
    " state=\"hidden\"",
    " state=\"odd\"",
    " numFmtId=\"14\"",
    " numFmtId=\"46\"",
    " formatCode=\"yyyy\"",
    " formatCode=\"[h]\"",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "1e5",
    "-0",
    "inf",
    "NaN",
    "1.5E+3",
    "+4",
    "0x1",
    "#N/A",
    "#DIV/0!",
    "#BAD",
    "TRUE",
    "true",
    "2",
    " ",
    "\r\n",
    "2024-02-30T00:00:00",
    "2024-03-01",
    "<dimension ref=\"A1:B2\"/>",
    "<dimension/>",
    "<sheetData>",
    "</sheetData>",
    "<x/>",
    "<si><t>s</t></si>",
    "<si/>",
    "<xf numFmtId=\"14\"/>",
    "<numFmt numFmtId=\"200\" formatCode=\"d\"/>",
    "<sheet name=\"N\" r:id=\"rId1\"/>",
    "<workbookPr date1904=\"true\"/>",
    "'",
    "\"",
    "<",
    ">",
    "=",
    "/",
];

/// A small deterministic generator (xorshift64*), so a run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// A package's parts, in order.
type Parts = Vec<(String, Vec<u8>)>;

fn unzip(bytes: &[u8]) -> Res<Parts> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i)?;
        let mut data = Vec::new();
        file.read_to_end(&mut data)?;
        parts.push((file.name()?.to_string(), data));
    }
    Ok(parts)
}

fn zip_parts(parts: &Parts) -> Res<Vec<u8>> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Change `data` once, at random.
fn mutate(data: &mut Vec<u8>, rng: &mut Rng) {
    let at = rng.below(data.len() + 1);
    match rng.below(6) {
        0 if !data.is_empty() => {
            let i = rng.below(data.len());
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
            data[i] = token[rng.below(token.len())];
        }
        1 if !data.is_empty() => {
            let len = 1 + rng.below(24);
            let end = (at + len).min(data.len());
            data.drain(at.min(end)..end);
        }
        2 if !data.is_empty() => {
            let len = 1 + rng.below(64);
            let start = rng.below(data.len());
            let span: Vec<u8> = data[start..(start + len).min(data.len())].to_vec();
            data.splice(at..at, span);
        }
        3 => {
            // A digit run replaced by another number.
            if let Some(i) = (at..data.len()).find(|&i| data[i].is_ascii_digit()) {
                let end = (i..data.len())
                    .find(|&j| !data[j].is_ascii_digit())
                    .unwrap_or(data.len());
                let number = match rng.below(4) {
                    0 => rng.below(10).to_string(),
                    1 => rng.below(100_000).to_string(),
                    2 => format!("{}.{}", rng.below(50_000), rng.below(1000)),
                    _ => u64::MAX.to_string(),
                };
                data.splice(i..end, number.into_bytes());
            }
        }
        _ => {
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes().to_vec();
            data.splice(at..at, token);
        }
    }
}

/// Every `.xlsx` under `dir`.
fn workbooks(dir: &Path, found: &mut Vec<PathBuf>) -> Res<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            workbooks(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "xlsx") {
            found.push(path);
        }
    }
    Ok(())
}

fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args
        .next()
        .ok_or("usage: reader_fuzz SECONDS OUT_DIR [SEED]")?
        .parse()?;
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: reader_fuzz SECONDS OUT_DIR [SEED]")?,
    );
    let seed: u64 = args.next().map_or(Ok(0x5EED), |s| s.parse())?;
    std::fs::create_dir_all(&out)?;
    let mut files = Vec::new();
    workbooks(Path::new("fixtures"), &mut files)?;
    workbooks(Path::new("examples/returns"), &mut files)?;
    files.sort();
    let seeds: Vec<Parts> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|bytes| unzip(&bytes).ok())
        .collect();
    eprintln!(
        "reader_fuzz: {} seed workbooks, {seconds} s, seed {seed}",
        seeds.len()
    );
    // Calamine panics on some damaged files (caught as for users); keep them quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let limits = Limits {
        max_cells: 200_000,
        max_unzipped_bytes: 16_000_000,
    };
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut differences: BTreeMap<String, usize> = BTreeMap::new();
    let mut executions = 0usize;
    while started.elapsed() < Duration::from_secs(seconds) {
        let mut parts = seeds[rng.below(seeds.len())].clone();
        // Mostly the parts the readers parse.
        let xml: Vec<usize> = (0..parts.len())
            .filter(|&i| parts[i].0.ends_with(".xml") || parts[i].0.ends_with(".rels"))
            .collect();
        for _ in 0..1 + rng.below(4) {
            let index = if xml.is_empty() || rng.below(10) == 0 {
                rng.below(parts.len())
            } else {
                xml[rng.below(xml.len())]
            };
            mutate(&mut parts[index].1, &mut rng);
        }
        let bytes = zip_parts(&parts)?;
        executions += 1;
        match compare_xlsx_readers(&bytes, &limits) {
            Ok(Agreement::Read) => *outcomes.entry("read alike".into()).or_default() += 1,
            Ok(Agreement::Refused) => *outcomes.entry("refused alike".into()).or_default() += 1,
            Ok(Agreement::Documented(what)) => {
                *outcomes.entry(format!("documented: {what}")).or_default() += 1
            }
            Err(difference) => {
                // One file per kind of difference (its first words).
                let kind: String = difference.chars().take(60).collect();
                let kinds = differences.len();
                let seen = differences.entry(kind).or_default();
                if *seen == 0 {
                    let name = format!("difference_{}.xlsx", kinds + 1);
                    std::fs::write(out.join(&name), &bytes)?;
                    println!("{name}: {difference}");
                }
                *seen += 1;
            }
        }
    }
    println!(
        "{executions} executions in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    for (outcome, n) in &outcomes {
        println!("  {outcome}: {n}");
    }
    println!("  undocumented differences: {} kinds", differences.len());
    for (kind, n) in &differences {
        println!("    {n:6} x {kind}");
    }
    Ok(())
}

//! Holding eprscan's own xlsx reader to calamine (issue 23): one input read by both,
//! compared. Shared by the differential fuzz target (`fuzz/`) and the randomized
//! differential run (`examples/reader_fuzz.rs`), so that both judge a difference
//! by the same rules. The differences allowed are the ones listed in the README
//! (Development), and nothing else.

use super::{catch_reader_panic, read_bytes_with, Contents, Grid, Limits, ReadError, XlsxReader};

/// How the two readers agreed on one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agreement {
    /// Both read it, into identical grids.
    Read,
    /// Both refused it.
    Refused,
    /// They differ in a way the README documents (named here).
    Documented(&'static str),
}

/// Read `bytes` as an `.xlsx` with both readers (a panic inside either becomes that
/// reader's error, as for users) and compare: identical grids, or both refusing, or
/// a documented difference. Any other difference is the `Err`, in words.
pub fn compare_xlsx_readers(bytes: &[u8], limits: &Limits) -> Result<Agreement, String> {
    let read =
        |reader| catch_reader_panic(|| read_bytes_with(bytes.to_vec(), "xlsx", limits, reader));
    let ours = read(XlsxReader::Own);
    if string_count_past_table(bytes) {
        // calamine would reserve the claimed count up front: a panic, or an abort
        // when the allocation fails, which would end the run.
        return Ok(Agreement::Documented(HUGE_STRING_COUNT));
    }
    let oracle = read(XlsxReader::Calamine);
    match (ours, oracle) {
        (Ok(ours), Ok(oracle)) => match grid_difference(&ours, &oracle) {
            None => Ok(Agreement::Read),
            Some(difference) => Err(difference),
        },
        (Err(_), Err(_)) => Ok(Agreement::Refused),
        (Ok(_), Err(oracle)) => documented_refusal(bytes, &oracle, limits)
            .map(Agreement::Documented)
            .ok_or_else(|| format!("only calamine refuses it: {oracle}")),
        (Err(ours), Ok(_)) => Err(format!("only the own reader refuses it: {ours}")),
    }
}

/// The first difference between two readings, in words.
pub fn grid_difference(ours: &Contents, oracle: &Contents) -> Option<String> {
    let names = |grids: &[Grid]| grids.iter().map(|g| g.sheet.clone()).collect::<Vec<_>>();
    if names(&ours.sheets) != names(&oracle.sheets) {
        return Some(format!(
            "sheets {:?} vs calamine {:?}",
            names(&ours.sheets),
            names(&oracle.sheets)
        ));
    }
    for (a, b) in ours.sheets.iter().zip(&oracle.sheets) {
        let sheet = a.sheet.as_deref().unwrap_or("");
        if a.origin != b.origin {
            return Some(format!(
                "sheet {sheet}: origin {:?} vs calamine {:?}",
                a.origin, b.origin
            ));
        }
        for row in 0..a.height().max(b.height()) {
            if a.row(row) != b.row(row) {
                return Some(format!(
                    "sheet {sheet}, row {}: {:?} vs calamine {:?}",
                    a.row_number(row),
                    a.row(row),
                    b.row(row)
                ));
            }
        }
        if a != b {
            return Some(format!("sheet {sheet}: grids differ"));
        }
    }
    None
}

/// The documented difference behind a calamine refusal of a file the own reader
/// reads, if it is one (README, Development):
///
/// - calamine reserves a shared-string table's claimed count up front (checked
///   before calamine is run, see [`compare_xlsx_readers`]).
/// - calamine parses parts of the styles that eprscan does not read (fonts, fills,
///   borders, the alignment and protection of cell styles): damage there refuses
///   the file in calamine only. Recognised by taking the styles part out: if the
///   readers then agree, the difference was confined to it.
/// - calamine (a debug build) panics subtracting the first row or column of a
///   sheet's declared range from a last one that comes before it; a release build
///   wraps and reads on, as the own reader does.
fn documented_refusal(bytes: &[u8], refusal: &ReadError, limits: &Limits) -> Option<&'static str> {
    // A panic says what it is only in its message.
    let overflowed = matches!(refusal, ReadError::ReaderStopped { panic }
        if panic.contains("attempt to subtract with overflow"));
    if overflowed && backwards_dimension(bytes) {
        return Some("calamine (debug) panics on a declared range that runs backwards");
    }
    let without_styles = without_part(bytes, "styles.xml")?;
    let read = |reader| {
        catch_reader_panic(|| read_bytes_with(without_styles.clone(), "xlsx", limits, reader))
    };
    match (read(XlsxReader::Own), read(XlsxReader::Calamine)) {
        (Ok(ours), Ok(oracle)) if grid_difference(&ours, &oracle).is_none() => {
            Some("calamine refuses damage in the styles that eprscan does not read")
        }
        _ => None,
    }
}

/// The documented difference of a shared-string table claiming more entries than
/// it could hold.
const HUGE_STRING_COUNT: &str =
    "calamine reserves a shared-string count its table cannot hold (panic or abort)";

/// Whether the shared-string table claims more entries (`uniqueCount`) than it has
/// bytes, which no genuine table does: calamine 0.38 reserves the claimed count up
/// front.
fn string_count_past_table(bytes: &[u8]) -> bool {
    let Some(text) = part_text(bytes, "sharedstrings.xml") else {
        return false;
    };
    text.split("uniqueCount=\"").nth(1).is_some_and(|rest| {
        rest.split('"')
            .next()
            .and_then(|n| n.trim().parse::<u128>().ok())
            .is_some_and(|n| n > text.len() as u128)
    })
}

/// The text of the first part whose lower-cased name ends in `suffix`, invalid UTF-8
/// replaced: calamine reads the attributes before it meets bad bytes further on, so a
/// part that is not UTF-8 throughout must still be looked at.
fn part_text(bytes: &[u8], suffix: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).ok()?;
        if part.name().ok()?.to_ascii_lowercase().ends_with(suffix) {
            let mut raw = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut raw).ok()?;
            return Some(String::from_utf8_lossy(&raw).into_owned());
        }
    }
    None
}

/// Whether some sheet declares a range whose end comes before its start.
fn backwards_dimension(bytes: &[u8]) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    (0..archive.len()).any(|i| {
        let Ok(mut part) = archive.by_index(i) else {
            return false;
        };
        // Lossy, as in `part_text`: bad bytes after the range do not hide it.
        let mut raw = Vec::new();
        if std::io::Read::read_to_end(&mut part, &mut raw).is_err() {
            return false;
        }
        String::from_utf8_lossy(&raw)
            .split("<dimension ref=\"")
            .skip(1)
            .any(|rest| {
                let range = rest.split('"').next().unwrap_or("");
                let ends: Vec<(String, String)> = range
                    .split(':')
                    .map(|r| {
                        let col: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
                        (col.to_ascii_uppercase(), r[col.len()..].to_string())
                    })
                    .collect();
                match &ends[..] {
                    [(c0, r0), (c1, r1)] => {
                        let row = |r: &str| r.parse::<u64>().unwrap_or(0);
                        let col = |c: &str| (c.len(), c.to_string());
                        row(r1) < row(r0) || col(c1) < col(c0)
                    }
                    _ => false,
                }
            })
    })
}

/// The package with every part whose name ends in `suffix` left out (stored
/// entries), or `None` if it has none or cannot be read.
fn without_part(bytes: &[u8], suffix: &str) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut left_out = false;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).ok()?;
        let name = part.name().ok()?.to_string();
        if name.to_ascii_lowercase().ends_with(suffix) {
            left_out = true;
            continue;
        }
        let mut data = Vec::new();
        part.read_to_end(&mut data).ok()?;
        out.start_file(name, options).ok()?;
        out.write_all(&data).ok()?;
    }
    let bytes = out.finish().ok()?.into_inner();
    left_out.then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `quirks.xlsx` with its first sheet's declared range run backwards.
    fn backwards() -> Vec<u8> {
        quirks_with("xl/worksheets/sheet1.xml", |xml| {
            let xml = String::from_utf8(xml).expect("UTF-8");
            xml.replace("ref=\"A1:E5\"", "ref=\"E5:A1\"").into_bytes()
        })
    }

    /// `quirks.xlsx` with one part changed by `edit` (every part stored).
    fn quirks_with(changed: &str, edit: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
        use std::io::{Read, Write};
        let bytes = include_bytes!("../../fixtures/reader/quirks.xlsx");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).expect("zip");
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..archive.len() {
            let mut part = archive.by_index(i).expect("part");
            let name = part.name().expect("name").to_string();
            let mut text = Vec::new();
            part.read_to_end(&mut text).expect("read");
            if name == changed {
                text = edit(text);
            }
            out.start_file(name, options).expect("start");
            out.write_all(&text).expect("write");
        }
        out.finish().expect("finish").into_inner()
    }

    #[test]
    fn only_a_panic_of_calamine_is_the_documented_backwards_range() {
        let bytes = backwards();
        assert!(backwards_dimension(&bytes));
        let limits = Limits::default();
        let panic = ReadError::ReaderStopped {
            panic: "attempt to subtract with overflow".into(),
        };
        let documented = "calamine (debug) panics on a declared range that runs backwards";
        assert_eq!(
            documented_refusal(&bytes, &panic, &limits),
            Some(documented)
        );
        // The same words in an error that is not a panic are not that difference.
        let worded = ReadError::Unreadable {
            part: None,
            detail: "attempt to subtract with overflow".into(),
        };
        assert_ne!(
            documented_refusal(&bytes, &worded, &limits),
            Some(documented)
        );
    }

    /// Found by the cargo-fuzz target `xlsx_parts_differential`: a shared-string table
    /// claiming 2^64-1 strings, with bytes that are not UTF-8 after the claim. calamine
    /// reserves the claimed count (a capacity-overflow panic, or an abort) before it
    /// meets the bad bytes, so the documented difference must be found in such a part
    /// too, and calamine never asked to read it.
    #[test]
    fn a_huge_string_count_is_found_in_a_part_that_is_not_utf8() {
        let bytes = quirks_with("xl/sharedStrings.xml", |xml| {
            let xml = String::from_utf8(xml).expect("UTF-8");
            let mut bytes = xml
                .replace("uniqueCount=\"6\"", "uniqueCount=\"18446744073709551615\"")
                .into_bytes();
            bytes.extend_from_slice(b"<si><t>\x90\x90</t></si>");
            bytes
        });
        assert!(string_count_past_table(&bytes));
        assert_eq!(
            compare_xlsx_readers(&bytes, &Limits::default()),
            Ok(Agreement::Documented(HUGE_STRING_COUNT))
        );
    }

    /// A backwards range is found in a sheet with bytes that are not UTF-8, too.
    #[test]
    fn a_backwards_range_is_found_in_a_part_that_is_not_utf8() {
        let bytes = quirks_with("xl/worksheets/sheet1.xml", |xml| {
            let xml = String::from_utf8(xml).expect("UTF-8");
            let mut bytes = xml.replace("ref=\"A1:E5\"", "ref=\"E5:A1\"").into_bytes();
            bytes.extend_from_slice(b"\x90");
            bytes
        });
        assert!(backwards_dimension(&bytes));
    }
}

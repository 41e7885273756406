//! CSV files read into one grid: encoding and separator decided from the bytes.

use super::{Cell, Contents, Grid, Limits, ReadError, TooLarge};
use std::borrow::Cow;

/// One CSV file is one grid. The encoding is UTF-8 unless a byte-order mark says
/// otherwise or the bytes are not UTF-8 (then Windows-1252, see [`decode_text`]); the
/// separator is the one of comma, semicolon and tab that splits the first rows most
/// evenly (see [`csv_separator`]). Any other choice than UTF-8 and commas is told in a
/// note.
pub(super) fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Contents, ReadError> {
    let (text, encoding_note) = decode_text(bytes);
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let separator = csv_separator(&text);
    let mut notes: Vec<String> = encoding_note.into_iter().collect();
    if let Some(name) = separator.name() {
        notes.push(format!(
            "fields are separated by {name}, not commas: read as such"
        ));
    }
    let mut reader = csv_reader(separator.byte(), &text);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut cells = 0usize;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadError::MalformedCsv {
            line: i + 1,
            detail: e.to_string(),
        })?;
        cells += record.len();
        if cells > limits.max_cells {
            return Err(TooLarge::CsvCells {
                limit: limits.max_cells,
            }
            .into());
        }
        rows.push(
            record
                .iter()
                .map(|field| {
                    if field.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(field.into())
                    }
                })
                .collect(),
        );
    }
    Ok(Contents {
        sheets: vec![Grid::from_rows(None, (0, 0), rows)],
        notes,
    })
}

/// A text file's contents as text, and a note saying how they were decoded when that
/// is not plain UTF-8. A byte-order mark names the encoding (UTF-8 or UTF-16, the
/// latter from Excel's "Unicode Text"); bytes that are not UTF-8 are Windows-1252,
/// the encoding Excel on Windows writes "CSV (Comma delimited)" in, so that `£`, `–`
/// and `’` arrive as written instead of as replacement characters.
pub fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        let note = (encoding != encoding_rs::UTF_8).then(|| {
            format!(
                "read as {} (the file starts with its byte-order mark)",
                encoding.name()
            )
        });
        return (text, note);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            let note = "the file is not UTF-8: read as Windows-1252, the encoding of Excel's \"CSV (Comma delimited)\"";
            (text, Some(note.to_string()))
        }
    }
}

/// The field separators a CSV file may use: Excel writes commas, or semicolons where
/// the decimal mark is a comma; tab-separated text is sometimes saved as .csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Comma,
    Semicolon,
    Tab,
}

impl Separator {
    const ALL: [Separator; 3] = [Separator::Comma, Separator::Semicolon, Separator::Tab];

    fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
            Separator::Tab => b'\t',
        }
    }

    /// How a note names the separator; none for commas, which need no note.
    fn name(self) -> Option<&'static str> {
        match self {
            Separator::Comma => None,
            Separator::Semicolon => Some("semicolons"),
            Separator::Tab => Some("tabs"),
        }
    }
}

/// A CSV reader over decoded text: no header row (the header is found by content),
/// rows of any length. The one CSV reader setup, also for the NHS ODS files.
pub fn csv_reader(separator: u8, text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes())
}

/// The separator that splits the file's first rows (as many as a header is looked
/// for in) most consistently: the one for which the most rows have the same number of
/// fields (more than one), then the one giving more fields; commas on a tie. A real
/// separator splits every row of a table alike, while a comma inside a quoted field or
/// a decimal comma in a semicolon-separated file splits rows unevenly. A first line
/// `sep=;` (Excel's own hint, which some exports write) decides it outright; the line
/// stays in the grid as a row above the header, so line numbers stay those of the file.
fn csv_separator(text: &str) -> Separator {
    if let Some(hint) = text.strip_prefix("sep=") {
        let mut chars = hint.chars();
        let stated = chars.next();
        if matches!(chars.next(), None | Some('\r' | '\n')) {
            if let Some(separator) = Separator::ALL
                .into_iter()
                .find(|s| Some(char::from(s.byte())) == stated)
            {
                return separator;
            }
        }
    }
    let fit = |separator: Separator| -> (usize, usize) {
        let mut rows_by_width = std::collections::BTreeMap::<usize, usize>::new();
        let records = csv_reader(separator.byte(), text).into_records();
        for record in records
            .take(crate::schema::HEADER_SCAN_ROWS)
            .map_while(Result::ok)
        {
            if record.len() > 1 {
                *rows_by_width.entry(record.len()).or_default() += 1;
            }
        }
        rows_by_width
            .into_iter()
            .map(|(width, rows)| (rows, width))
            .max()
            .unwrap_or((0, 0))
    };
    let mut best = (Separator::Comma, fit(Separator::Comma));
    for separator in &Separator::ALL[1..] {
        let candidate = fit(*separator);
        if candidate > best.1 {
            best = (*separator, candidate);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_text_takes_utf8_as_is_and_other_bytes_as_windows_1252() {
        let (text, note) = decode_text("Guy\u{2019}s, £1.2m".as_bytes());
        assert!(matches!(text, Cow::Borrowed("Guy\u{2019}s, £1.2m")));
        assert_eq!(note, None);
        // Excel's UTF-8 byte-order mark is dropped without a note.
        let (text, note) = decode_text(b"\xEF\xBB\xBFODS code");
        assert_eq!((text.as_ref(), note), ("ODS code", None));
        // £, en dash and right single quote in Windows-1252.
        let (text, note) = decode_text(b"\xA31.2m \x96 Guy\x92s");
        assert_eq!(text, "£1.2m \u{2013} Guy\u{2019}s");
        assert!(note.is_some_and(|n| n.contains("Windows-1252")));
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("RJ1\t£".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (text, note) = decode_text(&utf16le);
        assert_eq!(text, "RJ1\t£");
        assert!(note.is_some_and(|n| n.contains("UTF-16LE")));
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("RJ1".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(&utf16be).0, "RJ1");
    }

    #[test]
    fn csv_separator_is_the_one_that_splits_rows_alike() {
        let cases = [
            (
                "ODS code,Name,Supplier\nRAJ,\"A; B\",Epic\n",
                Separator::Comma,
            ),
            // Excel pads every row to the table's width.
            (
                "ODS code;Name;Supplier\nRAJ;A, B and C;\n;;\n",
                Separator::Semicolon,
            ),
            // Decimal commas in a semicolon-separated file do not decide it.
            (
                "ODS code;Total cost;Local\nRAJ;1,5;2,25\n",
                Separator::Semicolon,
            ),
            (
                "ODS code;Total cost\nRAJ;£1,200,000\n",
                Separator::Semicolon,
            ),
            (
                "ODS code\tName\tSupplier\nRAJ\tA, B\tEpic\n",
                Separator::Tab,
            ),
            // A title line above the header.
            (
                "EPR return\n\nODS code;Name;Supplier\n",
                Separator::Semicolon,
            ),
            // One column: nothing to choose between, commas.
            ("ODS code\nRAJ\n", Separator::Comma),
            // A tie: commas.
            ("a,b;c\n", Separator::Comma),
            // Excel's hint line decides, whatever the rows look like.
            ("sep=;\r\nODS code,Name\r\nRAJ,A\r\n", Separator::Semicolon),
            ("sep=\t\nODS code\tName\n", Separator::Tab),
            ("sep=|\nODS code,Name\nRAJ,A\n", Separator::Comma),
        ];
        for (text, want) in cases {
            assert_eq!(csv_separator(text), want, "{text:?}");
        }
    }

    #[test]
    fn read_csv_splits_on_the_separator_it_found_and_says_so() {
        let contents =
            read_csv(b"ODS code;Name\r\nRAJ;Guy\x92s\r\n", &Limits::default()).expect("a CSV file");
        let grid = &contents.sheets[0];
        assert_eq!(grid.height(), 2);
        assert_eq!(grid.get(1, 1), &Cell::Text("Guy\u{2019}s".into()));
        assert_eq!(contents.notes.len(), 2, "{:?}", contents.notes);
        assert!(
            contents.notes[1].contains("semicolons"),
            "{:?}",
            contents.notes
        );
        let plain = read_csv(b"ODS code,Name\nRAJ,A\n", &Limits::default()).expect("a CSV file");
        assert!(plain.notes.is_empty(), "{:?}", plain.notes);
        assert_eq!(
            read_csv(b" \r\n", &Limits::default()).map(|c| c.sheets.len()),
            Err(ReadError::Empty)
        );
        assert_eq!(ReadError::Empty.to_string(), "the file is empty");
    }
}

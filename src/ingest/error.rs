//! Why a file could not be read: one type for every reader (sniffing and guards,
//! eprscan's own xlsx reader, calamine, CSV), so that callers and tests tell the
//! kinds of failure apart by variant, and the sentence the user reads is written in
//! one place ([`ReadError`]'s `Display`).
//!
//! calamine's errors are mapped here by their types ([`from_xlsx`] and its
//! siblings); the text of the underlying error is kept only as the detail the
//! sentence quotes.

use calamine::{OdsError, XlsError, XlsbError, XlsxError};
use std::fmt;

/// Why a file could not be read. `Display` gives the reason as the user reads it
/// after "cannot read: ", without the file name (the caller adds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The file could not be read from disk.
    Io {
        /// What kind of failure it was.
        kind: std::io::ErrorKind,
        /// The reason in plain words (see [`super::discover::plain_io_error`]).
        message: String,
    },
    /// The file holds no bytes (a CSV file: nothing but blanks).
    Empty,
    /// The file is not the format its extension names.
    WrongFormat {
        /// The extension the file has, without the dot.
        extension: String,
        /// What the file turned out to be.
        actual: ActualFormat,
    },
    /// The workbook is saved with a password.
    Encrypted,
    /// The zip package (or a part of it) is damaged or cut short.
    Truncated {
        /// The underlying error, as its library words it.
        detail: String,
    },
    /// An `.xls` container (an OLE compound file) is damaged.
    XlsContainerDamaged {
        /// The underlying error, as the cfb crate words it.
        detail: String,
    },
    /// The workbook's contents could not be read (malformed XML, a missing part, an
    /// error calamine gives that says nothing more specific).
    Unreadable {
        /// The part of the package at fault, where known.
        part: Option<String>,
        /// What is wrong, as the reader words it.
        detail: String,
    },
    /// A text cell refers past the end of the workbook's shared-string table.
    MissingSharedString {
        /// The sheet.
        sheet: String,
        /// The cell's A1 reference.
        cell: String,
        /// The index the cell holds.
        index: usize,
        /// Entries in the table.
        entries: usize,
    },
    /// One cell cannot be read (eprscan's own xlsx reader names it).
    DamagedCell {
        /// The sheet.
        sheet: String,
        /// The cell's A1 reference.
        cell: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A file, part or sheet past one of the bounds in [`super::Limits`], or past
    /// calamine's own cell limit.
    TooLarge(TooLarge),
    /// A CSV line the csv crate cannot parse.
    MalformedCsv {
        /// One-based record number.
        line: usize,
        /// The csv crate's error.
        detail: String,
    },
    /// The reader panicked (calamine does on some malformed files).
    ReaderStopped {
        /// The panic's message.
        panic: String,
    },
    /// An error while reading one sheet, said with the sheet's name in front.
    InSheet {
        /// The sheet.
        sheet: String,
        /// What went wrong in it.
        error: Box<ReadError>,
    },
    /// An extension no reader is for (discovery only hands over supported ones).
    Unsupported {
        /// The extension, without the dot.
        extension: String,
    },
}

/// What a file turned out to be, when it is not what its extension says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActualFormat {
    /// A web page (HTML), as portals export "Excel" downloads.
    WebPage,
    /// An Excel 97-2003 (OLE compound) workbook under an `.xlsx`-style name.
    OldXls,
    /// Not a zip package, which every `.xlsx`, `.xlsm`, `.xlsb` and `.ods` is.
    NotZip,
    /// A workbook (zip or OLE) under a `.csv` name.
    Workbook,
    /// Text (probably CSV) under an `.xls` name.
    Text,
    /// Binary, but not an Excel 97-2003 file, under an `.xls` name.
    NotXls,
    /// An OLE compound file without a workbook stream (not an Excel workbook).
    NoWorkbookStream,
}

/// Which bound a file passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TooLarge {
    /// A zip part unzips past [`super::Limits::max_unzipped_bytes`] (a possible zip
    /// bomb).
    ZipPart {
        /// The part's name in the package.
        part: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// An `.xls` workbook stream past [`super::Limits::max_unzipped_bytes`].
    XlsStream {
        /// The limit, in bytes.
        limit: u64,
    },
    /// An `.xls` sheet that declares, or whose cells span, more cells than
    /// [`super::Limits::max_cells`] (checked before calamine allocates it).
    XlsSheet {
        /// The sheet's DIMENSIONS record gave the size (else its cells span it).
        declared: bool,
        /// Rows.
        rows: u64,
        /// Columns.
        cols: u64,
        /// The limit, in cells.
        limit: usize,
    },
    /// A sheet read whole by calamine spans more than the cell limit.
    SheetRange {
        /// The sheet.
        sheet: String,
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
        /// The limit, in cells.
        limit: usize,
    },
    /// A sheet read cell by cell holds or spans more than the cell limit.
    SheetCells {
        /// The sheet.
        sheet: String,
        /// The limit, in cells.
        limit: usize,
    },
    /// A CSV file with more cells than the limit.
    CsvCells {
        /// The limit, in cells.
        limit: usize,
    },
    /// calamine's own cell limit (an `.ods` sheet with a cell far away).
    CalamineCellLimit {
        /// calamine's error.
        detail: String,
    },
}

impl ReadError {
    /// The error itself, with any [`ReadError::InSheet`] wrappers taken off.
    pub fn innermost(&self) -> &ReadError {
        match self {
            ReadError::InSheet { error, .. } => error.innermost(),
            other => other,
        }
    }

    /// `self` said as an error in sheet `sheet`.
    pub(crate) fn in_sheet(self, sheet: &str) -> ReadError {
        ReadError::InSheet {
            sheet: sheet.to_string(),
            error: Box::new(self),
        }
    }

    /// An error in a part's content, named after the part.
    pub(crate) fn malformed(part: &str, detail: impl fmt::Display) -> ReadError {
        ReadError::Unreadable {
            part: Some(part.to_string()),
            detail: detail.to_string(),
        }
    }

    /// A zip package that is damaged or cut short.
    pub(crate) fn truncated(detail: impl fmt::Display) -> ReadError {
        ReadError::Truncated {
            detail: detail.to_string(),
        }
    }
}

/// The hint at the end of a refusal for a file past a bound, by the option that
/// raises it.
const RAISE_CELLS: &str = "raise --max-cells if the";
const RAISE_UNZIPPED: &str = "raise --max-unzipped-mb if the file is genuine";
/// What a damaged file's message tells the user to do.
const SAVE_AGAIN: &str =
    "the file is damaged, and nothing in it is read; open it in Excel and save it again";

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { message, .. } => f.write_str(message),
            ReadError::Empty => f.write_str("the file is empty"),
            ReadError::WrongFormat { extension, actual } => match actual {
                ActualFormat::WebPage => write!(
                    f,
                    "this is a web page (HTML) saved with a .{extension} name, not a workbook: open it in Excel and save it as .xlsx"
                ),
                ActualFormat::OldXls => write!(
                    f,
                    "this is an old-style .xls workbook saved with a .{extension} name: rename it to .xls"
                ),
                ActualFormat::NotZip => write!(
                    f,
                    "not a .{extension} workbook (the file is not a zip package): it may be truncated or another format renamed"
                ),
                ActualFormat::Workbook => write!(
                    f,
                    "this is a workbook saved with a .{extension} name, not a CSV file: rename it to .xlsx (or .xls or .ods, whichever Excel opens it as)"
                ),
                ActualFormat::Text => write!(
                    f,
                    "this is a text file (probably CSV) saved with a .{extension} name: rename it to .csv"
                ),
                ActualFormat::NotXls => write!(
                    f,
                    "not a .{extension} workbook: the file is not in Excel 97-2003 format"
                ),
                ActualFormat::NoWorkbookStream => write!(
                    f,
                    "no workbook stream in this .{extension} file: it is not an Excel workbook"
                ),
            },
            ReadError::Encrypted => {
                f.write_str("the workbook is password-protected: save it without a password")
            }
            ReadError::Truncated { detail } => {
                write!(f, "the workbook is damaged or truncated ({detail})")
            }
            ReadError::XlsContainerDamaged { detail } => write!(
                f,
                "the .xls workbook is damaged ({detail}): open it in Excel and save it again"
            ),
            ReadError::Unreadable { part, detail } => match part {
                Some(part) => write!(f, "cannot read the workbook ({part}: {detail})"),
                None => write!(f, "cannot read the workbook ({detail})"),
            },
            ReadError::MissingSharedString {
                sheet,
                cell,
                index,
                entries,
            } => write!(
                f,
                "sheet {sheet}, cell {cell}: the cell refers to text number {index} of the workbook's shared-string table, which has only {entries} (numbered from 0): {SAVE_AGAIN}"
            ),
            ReadError::DamagedCell {
                sheet,
                cell,
                detail,
            } => write!(
                f,
                "sheet {sheet}, cell {cell}: cannot read the cell ({detail}): {SAVE_AGAIN}"
            ),
            ReadError::TooLarge(too_large) => too_large.fmt(f),
            ReadError::MalformedCsv { line, detail } => {
                write!(f, "line {line}: malformed CSV ({detail})")
            }
            ReadError::ReaderStopped { panic } => write!(
                f,
                "the workbook is damaged or malformed: the reader stopped ({panic})"
            ),
            ReadError::InSheet { sheet, error } => write!(f, "sheet {sheet}: {error}"),
            ReadError::Unsupported { extension } => {
                write!(f, "unsupported file type .{extension}")
            }
        }
    }
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TooLarge::ZipPart { part, limit } => write!(
                f,
                "part {part} unzips to more than {} MB: refused as a possible zip bomb ({RAISE_UNZIPPED})",
                limit / 1_000_000
            ),
            TooLarge::XlsStream { limit } => write!(
                f,
                "the workbook stream is over {} MB: refused ({RAISE_UNZIPPED})",
                limit / 1_000_000
            ),
            TooLarge::XlsSheet {
                declared,
                rows,
                cols,
                limit,
            } => write!(
                f,
                "a sheet {} {rows} rows by {cols} columns, more than {limit} cells: refused ({RAISE_CELLS} file is genuine)",
                if *declared { "declares" } else { "spans" }
            ),
            TooLarge::SheetRange {
                sheet,
                rows,
                cols,
                limit,
            } => write!(
                f,
                "sheet {sheet} spans {rows} rows by {cols} columns, more than {limit} cells: refused ({RAISE_CELLS} sheet is genuine)"
            ),
            TooLarge::SheetCells { sheet, limit } => write!(
                f,
                "sheet {sheet} holds or spans more than {limit} cells: refused ({RAISE_CELLS} sheet is genuine)"
            ),
            TooLarge::CsvCells { limit } => write!(
                f,
                "more than {limit} cells: refused ({RAISE_CELLS} file is genuine)"
            ),
            TooLarge::CalamineCellLimit { detail } => write!(
                f,
                "a sheet spans more cells than can be read safely: refused ({detail})"
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::InSheet { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}

impl From<TooLarge> for ReadError {
    fn from(too_large: TooLarge) -> Self {
        ReadError::TooLarge(too_large)
    }
}

/// How one of calamine's errors reads to the user, decided by its type. The kinds
/// below are the ones calamine's error types can say; anything else is
/// [`ReadError::Unreadable`] with calamine's own words.
enum Kind {
    Encrypted,
    Truncated,
    CellLimit,
    Unreadable,
}

impl Kind {
    /// The error of this kind, quoting calamine's message `detail`.
    fn with(self, detail: String) -> ReadError {
        match self {
            Kind::Encrypted => ReadError::Encrypted,
            Kind::Truncated => ReadError::Truncated { detail },
            Kind::CellLimit => TooLarge::CalamineCellLimit { detail }.into(),
            Kind::Unreadable => ReadError::Unreadable { part: None, detail },
        }
    }
}

/// A zip error: damage, unless a part is encrypted (the zip crate says "password
/// required" with a constant it exports for the purpose).
fn zip_kind(e: &zip::result::ZipError) -> Kind {
    use zip::result::ZipError;
    match e {
        ZipError::InvalidPassword => Kind::Encrypted,
        ZipError::UnsupportedArchive(what) if *what == ZipError::PASSWORD_REQUIRED => {
            Kind::Encrypted
        }
        _ => Kind::Truncated,
    }
}

/// An I/O error while a reader inflates or walks bytes already in memory: a file
/// cut short, by its kind. The zip and flate2 crates report other damage as I/O
/// errors of a general kind whose only distinction is their text, so that text is
/// still looked at for the words of a cut or of the zip reader ("EOF", "end of
/// file", "zip"), as before.
fn io_kind(e: &std::io::Error) -> Kind {
    let text = e.to_string().to_ascii_lowercase();
    if e.kind() == std::io::ErrorKind::UnexpectedEof
        || ["eof", "end of file", "zip"]
            .iter()
            .any(|w| text.contains(w))
    {
        Kind::Truncated
    } else {
        Kind::Unreadable
    }
}

/// quick-xml's error: an I/O error by [`io_kind`]; malformed XML otherwise.
fn xml_kind(e: &quick_xml::Error) -> Kind {
    match e {
        quick_xml::Error::Io(io) => io_kind(io),
        _ => Kind::Unreadable,
    }
}

/// calamine's own OLE container reader (`.xls`, and VBA projects). Its error type
/// is not exported, so it cannot be matched: an I/O error is found as the error's
/// source, and a sector chain running past the end of the file by its message,
/// the one thing calamine says only in words.
fn cfb_kind(e: &(dyn std::error::Error + 'static)) -> Kind {
    if let Some(io) = e.source().and_then(|s| s.downcast_ref::<std::io::Error>()) {
        return io_kind(io);
    }
    if e.to_string().contains("past end of file") {
        Kind::Truncated
    } else {
        Kind::Unreadable
    }
}

fn vba_kind(e: &calamine::vba::VbaError) -> Kind {
    match e {
        calamine::vba::VbaError::Cfb(cfb) => cfb_kind(cfb),
        calamine::vba::VbaError::Io(io) => io_kind(io),
        _ => Kind::Unreadable,
    }
}

/// calamine's xlsx error, in the user's words.
pub(super) fn from_xlsx(e: &XlsxError) -> ReadError {
    let kind = match e {
        XlsxError::Password => Kind::Encrypted,
        XlsxError::Zip(zip) => zip_kind(zip),
        XlsxError::Io(io) => io_kind(io),
        XlsxError::Xml(xml) => xml_kind(xml),
        XlsxError::Vba(vba) => vba_kind(vba),
        _ => Kind::Unreadable,
    };
    kind.with(e.to_string())
}

/// calamine's xlsb error, in the user's words.
pub(super) fn from_xlsb(e: &XlsbError) -> ReadError {
    let kind = match e {
        XlsbError::Password => Kind::Encrypted,
        XlsbError::Zip(zip) => zip_kind(zip),
        XlsbError::Io(io) => io_kind(io),
        XlsbError::Xml(xml) => xml_kind(xml),
        XlsbError::Vba(vba) => vba_kind(vba),
        _ => Kind::Unreadable,
    };
    kind.with(e.to_string())
}

/// calamine's xls error, in the user's words.
pub(super) fn from_xls(e: &XlsError) -> ReadError {
    let kind = match e {
        XlsError::Password => Kind::Encrypted,
        XlsError::Io(io) => io_kind(io),
        XlsError::Cfb(cfb) => cfb_kind(cfb),
        XlsError::Vba(vba) => vba_kind(vba),
        _ => Kind::Unreadable,
    };
    kind.with(e.to_string())
}

/// calamine's ods error, in the user's words.
pub(super) fn from_ods(e: &OdsError) -> ReadError {
    let kind = match e {
        OdsError::CellLimitExceeded { .. } => Kind::CellLimit,
        OdsError::Password => Kind::Encrypted,
        OdsError::Zip(zip) => zip_kind(zip),
        OdsError::Io(io) => io_kind(io),
        OdsError::Xml(xml) => xml_kind(xml),
        _ => Kind::Unreadable,
    };
    kind.with(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calamine_errors_are_sorted_by_type_not_by_the_words_they_hold() {
        // A sheet or entity name that holds "zip" or "password" is not damage or
        // encryption (the old rule looked for those words in the whole message).
        let named = XlsxError::WorksheetNotFound("zip codes and password list".into());
        assert!(matches!(
            from_xlsx(&named),
            ReadError::Unreadable { part: None, .. }
        ));
        assert_eq!(
            from_xlsx(&XlsxError::Password),
            ReadError::Encrypted,
            "{}",
            from_xlsx(&XlsxError::Password)
        );
        assert_eq!(from_ods(&OdsError::Password), ReadError::Encrypted);
        assert_eq!(from_xls(&XlsError::Password), ReadError::Encrypted);
        assert_eq!(from_xlsb(&XlsbError::Password), ReadError::Encrypted);
        let cut = XlsxError::Zip(zip::result::ZipError::InvalidArchive(
            "Could not find EOCD".into(),
        ));
        assert!(matches!(from_xlsx(&cut), ReadError::Truncated { .. }));
        let locked = OdsError::Zip(zip::result::ZipError::UnsupportedArchive(
            zip::result::ZipError::PASSWORD_REQUIRED,
        ));
        assert_eq!(from_ods(&locked), ReadError::Encrypted);
        let short = XlsError::Io(std::io::ErrorKind::UnexpectedEof.into());
        assert!(matches!(from_xls(&short), ReadError::Truncated { .. }));
        let limit = OdsError::CellLimitExceeded {
            requested: 20,
            max: 10,
        };
        assert!(matches!(
            from_ods(&limit),
            ReadError::TooLarge(TooLarge::CalamineCellLimit { .. })
        ));
    }

    #[test]
    fn a_sheets_error_is_told_by_what_went_wrong_in_it() {
        let error = ReadError::Encrypted.in_sheet("Providers").in_sheet("Outer");
        assert_eq!(error.innermost(), &ReadError::Encrypted);
        assert_eq!(
            error.to_string(),
            "sheet Outer: sheet Providers: the workbook is password-protected: save it without a password"
        );
        assert_eq!(ReadError::Empty.innermost(), &ReadError::Empty);
    }

    #[test]
    fn the_sentences_are_those_users_have_always_read() {
        let cases = [
            (
                from_ods(&OdsError::CellLimitExceeded {
                    requested: 20,
                    max: 10,
                })
                .in_sheet("Providers"),
                "sheet Providers: a sheet spans more cells than can be read safely: refused (Cell limit exceeded (20 cells requested, max 10))",
            ),
            (
                from_xlsx(&XlsxError::Zip(zip::result::ZipError::FileNotFound)),
                "the workbook is damaged or truncated (Zip error: specified file not found in archive)",
            ),
            (
                from_xlsx(&XlsxError::XmlEof("sheetData")),
                "cannot read the workbook (Unexpected end of xml, expecting '</sheetData>')",
            ),
            (
                ReadError::malformed("xl/workbook.xml", "unexpected end"),
                "cannot read the workbook (xl/workbook.xml: unexpected end)",
            ),
            (
                TooLarge::XlsSheet {
                    declared: true,
                    rows: 100,
                    cols: 200,
                    limit: 10,
                }
                .into(),
                "a sheet declares 100 rows by 200 columns, more than 10 cells: refused (raise --max-cells if the file is genuine)",
            ),
            (
                TooLarge::ZipPart {
                    part: "xl/worksheets/sheet1.xml".into(),
                    limit: 2_000_000,
                }
                .into(),
                "part xl/worksheets/sheet1.xml unzips to more than 2 MB: refused as a possible zip bomb (raise --max-unzipped-mb if the file is genuine)",
            ),
        ];
        for (error, sentence) in cases {
            assert_eq!(error.to_string(), sentence, "{error:?}");
        }
    }
}

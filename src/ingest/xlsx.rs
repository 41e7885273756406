//! eprscan's own `.xlsx`/`.xlsm` sheet reader (issue 23), on the `zip` and `quick-xml`
//! crates. It reads only what eprscan uses: the workbook's sheet list and epoch, the
//! shared-string table, the number formats of the cell styles (to tell dates), and
//! each visible worksheet's cells. Themes, fonts, fills, borders, defined names'
//! meaning, pictures and tables are never parsed.
//!
//! It gives the grids calamine 0.38 gives, cell for cell: calamine is kept as the
//! oracle (`tests/test_reader_diff.rs` and `fuzz/fuzz_targets/xlsx_differential.rs`
//! hold the two readers to each other) and as the reader of `.xls`, `.xlsb` and
//! `.ods`. Where calamine's rules are quirky (a `<f>` after a `<v>` empties the
//! cell, rich text is trimmed unless `xml:space="preserve"`, `_x000D_` escapes are
//! decoded) this reader follows them, so that switching readers changes no figure.
//! The differences that remain are listed in the README (Development).

use super::calamine::convert;
use super::layout::{sparse_grid, PlacedCell};
use super::read::MAX_DEFLATE_RATIO;
use super::{Cell, Grid, Limits, ReadError, TooLarge};
use calamine::{CellErrorType, DataRef, Dimensions, ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::Arc;

/// Read the visible worksheets of an `.xlsx`/`.xlsm` package, in workbook order
/// (chart and dialog sheets, which hold no cells, are left out). The package's parts
/// were checked against the unzip limit before; each part read is still bounded by
/// it, since it is inflated whole into memory to be tokenized without copies.
pub fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, ReadError> {
    let mut package = Package::open(bytes, limits)?;
    let book = Book::open(&mut package)?;
    let mut out = Vec::new();
    for sheet in book.sheets.iter().filter(|s| s.visible) {
        // As calamine finds a sheet: the first one of that name.
        let Some(first) = book.sheets.iter().find(|s| s.name == sheet.name) else {
            continue;
        };
        let name = &sheet.name;
        let xml = package.part(&first.path)?.ok_or_else(|| {
            ReadError::Unreadable {
                part: None,
                detail: format!("its part {} is missing", first.path),
            }
            .in_sheet(name)
        })?;
        if let Some(grid) = read_sheet(&xml, name, &book, limits)? {
            out.push(grid);
        }
    }
    Ok(out)
}

/// The zip package and a case-insensitive index of its part names (part names in
/// OOXML are case-insensitive, and some writers use `\`).
struct Package<'b> {
    zip: zip::ZipArchive<Cursor<&'b [u8]>>,
    names: HashMap<String, String>,
    limit: u64,
}

impl<'b> Package<'b> {
    fn open(bytes: &'b [u8], limits: &Limits) -> Result<Self, ReadError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
        let mut names = HashMap::with_capacity(zip.len());
        for name in zip.file_names() {
            let name = name.map_err(damaged)?;
            names.insert(
                name.replace('\\', "/").to_ascii_lowercase(),
                name.to_string(),
            );
        }
        Ok(Package {
            zip,
            names,
            limit: limits.max_unzipped_bytes,
        })
    }

    /// A part inflated whole, or `None` if the package has no part of that name.
    fn part(&mut self, path: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let name = self
            .names
            .get(&path.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| path.to_string());
        let mut file = match self.zip.by_name(&name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(damaged(e)),
        };
        // Sized from what the part declares, but no more than its compressed bytes
        // can inflate to: a false size must not set aside memory.
        let room = file
            .size()
            .min(self.limit)
            .min(file.compressed_size().saturating_mul(MAX_DEFLATE_RATIO));
        let mut buf = Vec::with_capacity(room as usize);
        (&mut file)
            .take(self.limit + 1)
            .read_to_end(&mut buf)
            .map_err(damaged)?;
        if buf.len() as u64 > self.limit {
            return Err(TooLarge::ZipPart {
                part: name,
                limit: self.limit,
            }
            .into());
        }
        Ok(Some(buf))
    }
}

/// The package is damaged or cut short.
fn damaged(e: impl std::fmt::Display) -> ReadError {
    ReadError::truncated(e)
}

/// A part's XML could not be read as calamine would read it.
fn malformed(part: &str, what: impl std::fmt::Display) -> ReadError {
    ReadError::malformed(part, what)
}

/// A tokenizer over one inflated part, set up as calamine sets up its own (end
/// names unchecked, text untrimmed, `<a/>` read as `<a></a>`) so that both readers
/// see the same events.
fn xml(bytes: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(bytes);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

/// One sheet of the workbook's list.
struct SheetEntry {
    name: String,
    /// The part holding it.
    path: String,
    /// Neither hidden nor very hidden.
    visible: bool,
}

/// What a workbook's sheets are read with.
struct Book {
    sheets: Vec<SheetEntry>,
    /// The shared-string table, one shared copy of each entry's text.
    strings: Vec<Arc<str>>,
    /// What each cell style's number format makes of a number.
    formats: Vec<NumberKind>,
    /// The workbook counts dates from 1904.
    is_1904: bool,
}

impl Book {
    /// The parts calamine reads on opening a workbook, in its order, minus the
    /// styles' fonts, fills, borders and theme (eprscan reads no formatting).
    fn open(package: &mut Package) -> Result<Book, ReadError> {
        let (xl_path, workbook_name) = office_document(package)?;
        let strings = match package.part(&format!("{xl_path}sharedStrings.xml"))? {
            Some(part) => shared_strings(&part)?,
            None => Vec::new(),
        };
        let formats = match package.part(&format!("{xl_path}styles.xml"))? {
            Some(part) => number_kinds(&part)?,
            None => Vec::new(),
        };
        let rels_path = format!("{xl_path}_rels/{workbook_name}.rels");
        let rels = package
            .part(&rels_path)?
            .ok_or_else(|| malformed(&rels_path, "missing"))?;
        let relationships = relationships(&rels, &rels_path)?;
        let mut book = Book {
            sheets: Vec::new(),
            strings,
            formats,
            is_1904: false,
        };
        let path = format!("{xl_path}{workbook_name}");
        if let Some(part) = package.part(&path)? {
            book.read_workbook(&part, &path, &xl_path, &relationships)?;
        }
        Ok(book)
    }

    /// The sheet list and the date epoch from the workbook part.
    fn read_workbook(
        &mut self,
        part: &[u8],
        path: &str,
        xl_path: &str,
        relationships: &HashMap<String, (String, String)>,
    ) -> Result<(), ReadError> {
        let bad = |what: &dyn std::fmt::Display| malformed(path, what);
        let mut reader = xml(part);
        loop {
            match reader.read_event().map_err(|e| bad(&e))? {
                Event::Start(e) if local(e.name()) == "sheet" => {
                    let mut name = String::new();
                    let mut rel_id = "";
                    let mut visible = true;
                    for attr in RawAttrs::of(&e) {
                        let (key, value) = attr.map_err(|e| bad(&e))?;
                        match key {
                            "name" => name = decode_attr(value).map_err(|e| bad(&e))?,
                            "state" => {
                                visible = match value {
                                    "visible" => true,
                                    "hidden" | "veryHidden" => false,
                                    other => return Err(bad(&format!("sheet state {other:?}"))),
                                }
                            }
                            key if local_name_matches(key, "id") => rel_id = value,
                            _ => {}
                        }
                    }
                    let (target, kind) = relationships
                        .get(rel_id)
                        .ok_or_else(|| bad(&format!("no relationship {rel_id:?}")))?;
                    let path = match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_string(),
                        None => format!("{xl_path}{target}"),
                    };
                    if !matches!(
                        kind.rsplit('/').next(),
                        Some("worksheet" | "chartsheet" | "dialogsheet")
                    ) {
                        return Err(bad(&format!("sheet {name} is of unknown type {kind:?}")));
                    }
                    self.sheets.push(SheetEntry {
                        name,
                        path,
                        visible,
                    });
                }
                Event::Start(e) if local(e.name()) == "workbookPr" => {
                    // `<x15:workbookPr>` in extLst has the same local name and no
                    // date1904: only an explicit attribute decides.
                    if let Some(v) = raw_attr(&e, "date1904").map_err(|e| bad(&e))? {
                        self.is_1904 = v == "1" || v == "true";
                    }
                }
                // Not used, but read through as calamine reads it (a bad entity in
                // one refuses the workbook there too).
                Event::Start(e)
                    if local(e.name()) == "definedName"
                        && raw_attr(&e, "name").map_err(|e| bad(&e))?.is_some() =>
                {
                    decode_attr(raw_attr(&e, "name").ok().flatten().unwrap_or(""))
                        .map_err(|e| bad(&e))?;
                    loop {
                        match reader.read_event().map_err(|e| bad(&e))? {
                            Event::GeneralRef(r) => {
                                resolve_entity(&r).map_err(|e| bad(&e))?;
                            }
                            Event::End(end) if end.name() == e.name() => break,
                            Event::Eof => return Err(bad(&"unexpected end")),
                            _ => {}
                        }
                    }
                }
                Event::End(e) if local(e.name()) == "workbook" => return Ok(()),
                Event::Eof => return Err(bad(&"unexpected end")),
                _ => {}
            }
        }
    }
}

/// The folder and name of the workbook part, from the package relationships.
fn office_document(package: &mut Package) -> Result<(String, String), ReadError> {
    const PATH: &str = "_rels/.rels";
    let bad = |what: &dyn std::fmt::Display| malformed(PATH, what);
    let part = package.part(PATH)?.ok_or_else(|| bad(&"missing"))?;
    let mut reader = xml(&part);
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) if local(e.name()) == "Relationships" => break,
            Event::Eof => return Err(bad(&"no Relationships")),
            _ => {}
        }
    }
    let mut document = None;
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) if local(e.name()) == "Relationship" => {
                let [kind, target] = get_attrs(&e, ["Type", "Target"]).map_err(|e| bad(&e))?;
                if kind.is_some_and(|t| t.ends_with("/relationships/officeDocument")) {
                    if let Some(target) = target {
                        document = Some(decode_attr(target).map_err(|e| bad(&e))?);
                    }
                }
            }
            Event::End(e) if local(e.name()) == "Relationships" => break,
            Event::Eof => return Err(bad(&"unexpected end")),
            _ => {}
        }
    }
    let target = document.ok_or_else(|| bad(&"no office document"))?;
    let (dir, name) = match target.rfind('/') {
        Some(i) => target.split_at(i + 1),
        None => ("", target.as_str()),
    };
    let dir = dir.strip_prefix('/').unwrap_or(dir).to_string();
    let name = if name.is_empty() {
        "workbook.xml".to_string()
    } else {
        name.to_string()
    };
    Ok((dir, name))
}

/// The workbook's relationships: id to (target, type).
fn relationships(part: &[u8], path: &str) -> Result<HashMap<String, (String, String)>, ReadError> {
    let bad = |what: &dyn std::fmt::Display| malformed(path, what);
    let mut reader = xml(part);
    let mut out = HashMap::new();
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) if local(e.name()) == "Relationship" => {
                let [id, kind, target] =
                    get_attrs(&e, ["Id", "Type", "Target"]).map_err(|e| bad(&e))?;
                if let Some(id) = id {
                    out.insert(
                        id.to_string(),
                        (
                            target.unwrap_or_default().to_string(),
                            kind.unwrap_or_default().to_string(),
                        ),
                    );
                }
            }
            Event::End(e) if local(e.name()) == "Relationships" => return Ok(out),
            Event::Eof => return Err(bad(&"unexpected end")),
            _ => {}
        }
    }
}

/// The shared-string table: each `<si>`, plain or rich text.
fn shared_strings(part: &[u8]) -> Result<Vec<Arc<str>>, ReadError> {
    let bad = |what: &dyn std::fmt::Display| malformed("sharedStrings.xml", what);
    let mut reader = xml(part);
    let mut strings = Vec::new();
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) if local(e.name()) == "sst" => {
                if let Some(count) = raw_attr(&e, "uniqueCount").map_err(|e| bad(&e))? {
                    // A hint only, bounded: the count is the file's word.
                    if let Ok(n) = count.parse::<usize>() {
                        strings.reserve(n.min(1 << 20));
                    }
                }
                break;
            }
            Event::Eof => return Err(bad(&"no sst")),
            _ => {}
        }
    }
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) if local(e.name()) == "si" => {
                let text = rich_text(&mut reader, e.name()).map_err(|e| bad(&e))?;
                strings.push(Arc::from(text));
            }
            Event::End(e) if local(e.name()) == "sst" => return Ok(strings),
            Event::Eof => return Err(bad(&"unexpected end")),
            _ => {}
        }
    }
}

/// The text of a string item (`<si>` or `<is>`) up to its end `closing`: the `<t>`
/// runs joined, phonetic runs (`<rPh>`) left out; each run trimmed of ASCII
/// white space unless `xml:space="preserve"`, and Excel's `_xHHHH_` escapes decoded.
fn rich_text(reader: &mut Reader<&[u8]>, closing: QName) -> Result<String, String> {
    let mut text: Option<String> = None;
    let mut phonetic = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            // A rich-text item: its runs are joined.
            Event::Start(e) if local(e.name()) == "r" && text.is_none() => {
                text = Some(String::new());
            }
            Event::Start(e) if local(e.name()) == "rPh" => phonetic = true,
            Event::End(e) if e.name() == closing => return Ok(text.unwrap_or_default()),
            Event::End(e) if local(e.name()) == "rPh" => phonetic = false,
            Event::Start(e) if local(e.name()) == "t" && !phonetic => {
                let preserve = raw_attr(&e, "xml:space")
                    .map_err(|e| e.to_string())?
                    .is_some_and(|v| v == "preserve");
                let mut value = String::new();
                loop {
                    match reader.read_event().map_err(|e| e.to_string())? {
                        Event::Text(t) => value.push_str(&t.xml10_content()),
                        Event::CData(t) => value.push_str(&t.xml10_content()),
                        Event::GeneralRef(r) => value.push_str(&resolve_entity(&r)?),
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => return Err("unexpected end in <t>".into()),
                        _ => {}
                    }
                }
                let cleaned = if preserve {
                    unescape_excel(&value)
                } else {
                    unescape_excel(value.trim_matches([' ', '\t', '\r', '\n']))
                };
                // Most runs need neither trimming nor unescaping: keep them uncopied.
                let changed = match cleaned {
                    Cow::Borrowed(same) if same.len() == value.len() => None,
                    other => Some(other.into_owned()),
                };
                let value = changed.unwrap_or(value);
                match &mut text {
                    Some(s) => s.push_str(&value),
                    None => text = Some(value),
                }
            }
            Event::Eof => return Err("unexpected end in a string item".into()),
            _ => {}
        }
    }
}

/// What a number in a cell of some style is: a plain number, a date (or time), or
/// a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberKind {
    Other,
    DateTime,
    TimeDelta,
}

/// The number kind of each cell style (`cellXfs/xf`), from its number format:
/// custom formats (`numFmts`) by their code, built-in ones by their id.
fn number_kinds(part: &[u8]) -> Result<Vec<NumberKind>, ReadError> {
    let bad = |what: &dyn std::fmt::Display| malformed("styles.xml", what);
    let mut reader = xml(part);
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut kinds = Vec::new();
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) if local(e.name()) == "numFmts" => loop {
                match reader.read_event().map_err(|e| bad(&e))? {
                    Event::Start(e) if local(e.name()) == "numFmt" => {
                        let [id, code] =
                            get_attrs(&e, ["numFmtId", "formatCode"]).map_err(|e| bad(&e))?;
                        if let (Some(id), Some(code)) = (id, code) {
                            custom.insert(id.to_string(), decode_attr(code).map_err(|e| bad(&e))?);
                        }
                    }
                    Event::End(e) if local(e.name()) == "numFmts" => break,
                    Event::Eof => return Err(bad(&"unexpected end in numFmts")),
                    _ => {}
                }
            },
            Event::Start(e) if local(e.name()) == "cellXfs" => loop {
                match reader.read_event().map_err(|e| bad(&e))? {
                    Event::Start(xf) if local(xf.name()) == "xf" => {
                        let kind = match raw_attr(&xf, "numFmtId").map_err(|e| bad(&e))? {
                            None => NumberKind::Other,
                            Some(id) => match custom.get(id) {
                                Some(code) => custom_format_kind(code),
                                None => builtin_format_kind(id),
                            },
                        };
                        // calamine reads these too (for its styles): a malformed
                        // attribute among them refuses the workbook there as well.
                        get_attrs(&xf, ["numFmtId", "fontId", "fillId", "borderId"])
                            .map_err(|e| bad(&e))?;
                        kinds.push(kind);
                        loop {
                            match reader.read_event().map_err(|e| bad(&e))? {
                                Event::End(end) if local(end.name()) == "xf" => break,
                                Event::Eof => return Err(bad(&"unexpected end in xf")),
                                _ => {}
                            }
                        }
                    }
                    Event::End(e) if local(e.name()) == "cellXfs" => break,
                    Event::Eof => return Err(bad(&"unexpected end in cellXfs")),
                    _ => {}
                }
            },
            // Fonts, fills and borders are not read, but walked as calamine walks
            // them (an element ends at the first end tag of its name), so that both
            // readers find the same number formats in a damaged styles part.
            Event::Start(e) if local(e.name()) == "fonts" => {
                skip_list(&mut reader, "fonts", "font", &[]).map_err(|e| bad(&e))?;
            }
            Event::Start(e) if local(e.name()) == "fills" => {
                skip_list(&mut reader, "fills", "fill", &[]).map_err(|e| bad(&e))?;
            }
            Event::Start(e) if local(e.name()) == "borders" => {
                const SIDES: &[&str] = &["left", "right", "top", "bottom", "diagonal"];
                skip_list(&mut reader, "borders", "border", SIDES).map_err(|e| bad(&e))?;
            }
            Event::End(e) if local(e.name()) == "styleSheet" => return Ok(kinds),
            Event::Eof => return Err(bad(&"unexpected end")),
            _ => {}
        }
    }
}

/// Walk a list of style elements (`<fonts>` of `<font>`) to the list's end without
/// reading them: each item runs to the first end tag of its name, and within an item
/// each of the `nested` elements (a border's sides) to the first end tag of its own.
fn skip_list(
    reader: &mut Reader<&[u8]>,
    list: &str,
    item: &str,
    nested: &[&str],
) -> Result<(), String> {
    let eof = || format!("unexpected end in {list}");
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if local(e.name()) == item => loop {
                match reader.read_event().map_err(|e| e.to_string())? {
                    Event::Start(inner) if nested.contains(&local(inner.name())) => {
                        let side = local(inner.name()).to_string();
                        loop {
                            match reader.read_event().map_err(|e| e.to_string())? {
                                Event::End(end) if local(end.name()) == side => break,
                                Event::Eof => return Err(eof()),
                                _ => {}
                            }
                        }
                    }
                    Event::End(end) if local(end.name()) == item => break,
                    Event::Eof => return Err(eof()),
                    _ => {}
                }
            },
            Event::End(e) if local(e.name()) == list => return Ok(()),
            Event::Eof => return Err(eof()),
            _ => {}
        }
    }
}

/// Whether a custom number format shows a date or time, or a duration (`[h]`), by
/// its first section: a date or time letter outside quotes, brackets and escapes.
/// The rule calamine 0.38 applies (ported from openpyxl), so that the same cells
/// are dates.
fn custom_format_kind(format: &str) -> NumberKind {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut am_pm = false;
    for c in format.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            // The next character is a literal (or a width, or a fill).
            escaped = true;
        } else if quoted {
            if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return NumberKind::Other;
        } else if c == '[' {
            brackets = brackets.saturating_add(1);
        } else if c == ']' && brackets == 1 && hms {
            return NumberKind::TimeDelta;
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if matches!(c, 'a' | 'A') && !am_pm && brackets == 0 {
            am_pm = true;
        } else if brackets == 0
            && if am_pm {
                // After an `a`: AM/PM or A/P.
                matches!(c, 'p' | 'm' | '/' | 'P' | 'M')
            } else {
                matches!(c, 'd' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S')
            }
        {
            return NumberKind::DateTime;
        } else if !(hms && c.eq_ignore_ascii_case(&prev)) {
            hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
        }
        prev = c;
    }
    NumberKind::Other
}

/// The number kind of a built-in format id (ECMA-376 18.8.30), compared as the
/// attribute's text as calamine compares it.
fn builtin_format_kind(id: &str) -> NumberKind {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" | "27"
        | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51" | "52"
        | "53" | "54" | "55" | "56" | "57" | "58" => NumberKind::DateTime,
        "46" => NumberKind::TimeDelta,
        _ => NumberKind::Other,
    }
}

/// One worksheet's cells as a grid, or `None` for a part that is not a worksheet
/// (a chart sheet).
fn read_sheet(
    part: &[u8],
    name: &str,
    book: &Book,
    limits: &Limits,
) -> Result<Option<Grid>, ReadError> {
    let bad = |what: &dyn std::fmt::Display| {
        ReadError::Unreadable {
            part: None,
            detail: what.to_string(),
        }
        .in_sheet(name)
    };
    let mut reader = xml(part);
    let mut declared = Dimensions::default();
    let mut first_element = None;
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) => match local(e.name()) {
                "dimension" => {
                    let range = raw_attr(&e, "ref")
                        .map_err(|e| bad(&e))?
                        .ok_or_else(|| bad(&"a dimension without its range"))?;
                    declared = dimension(range).map_err(|e| bad(&e))?;
                }
                "sheetData" => break,
                _ => {
                    first_element.get_or_insert(());
                }
            },
            // A part with elements but no cell table is a chart sheet.
            Event::Eof if first_element.is_some() => return Ok(None),
            Event::Eof => return Err(bad(&"the sheet has no cell table")),
            _ => {}
        }
    }
    let mut cells = SheetCells {
        reader,
        book,
        row: 0,
        col: 0,
    };
    sparse_grid(name, limits, declared, || {
        cells.next_cell().map_err(|e| match e {
            CellError::SharedString { cell, index } => ReadError::MissingSharedString {
                sheet: name.to_string(),
                cell: crate::diag::cell_ref(cell.0, cell.1),
                index,
                entries: book.strings.len(),
            },
            CellError::At { cell, what } => ReadError::DamagedCell {
                sheet: name.to_string(),
                cell: crate::diag::cell_ref(cell.0, cell.1),
                detail: what,
            },
            CellError::Other(what) => bad(&what),
        })
    })
    .map(Some)
}

/// Why a cell could not be read.
enum CellError {
    /// A text cell points past the end of the shared-string table.
    SharedString { cell: (u32, u32), index: usize },
    /// A cell whose contents cannot be read, and why.
    At { cell: (u32, u32), what: String },
    /// Anything else (the cell table around the cells), in words.
    Other(String),
}

impl From<String> for CellError {
    fn from(what: String) -> Self {
        CellError::Other(what)
    }
}

impl From<&str> for CellError {
    fn from(what: &str) -> Self {
        CellError::Other(what.to_string())
    }
}

impl From<quick_xml::Error> for CellError {
    fn from(e: quick_xml::Error) -> Self {
        CellError::Other(e.to_string())
    }
}

/// The cells of a sheet's `<sheetData>`, in document order.
struct SheetCells<'x, 'b> {
    reader: Reader<&'x [u8]>,
    book: &'b Book,
    /// The row a cell without a reference is in (zero-based).
    row: u32,
    /// The column a cell without a reference is in (zero-based).
    col: u32,
}

impl SheetCells<'_, '_> {
    /// The next cell and its zero-based position (its value may be empty), or
    /// `None` at the end of the cell table.
    fn next_cell(&mut self) -> Result<Option<PlacedCell>, CellError> {
        loop {
            match self.reader.read_event()? {
                Event::Start(e) if local(e.name()) == "row" => {
                    if let Some(r) = raw_attr(&e, "r").map_err(|e| e.to_string())? {
                        self.row = row_and_column(r)?.0;
                    }
                }
                Event::End(e) if local(e.name()) == "row" => {
                    self.row = self.row.checked_add(1).ok_or("too many rows")?;
                    self.col = 0;
                }
                Event::Start(c) if local(c.name()) == "c" => {
                    let [reference, style, kind] = cell_attrs(&c).map_err(|e| e.to_string())?;
                    let pos = match reference {
                        Some(r) => {
                            let (row, col) = row_and_column(r)?;
                            let col =
                                col.ok_or_else(|| format!("cell reference {r:?} has no column"))?;
                            self.col = col;
                            (row, col)
                        }
                        None => (self.row, self.col),
                    };
                    let mut value = Cell::Empty;
                    // What goes wrong inside the cell is told with its reference.
                    let at = |e: CellError| match e {
                        CellError::Other(what) => CellError::At { cell: pos, what },
                        other => other,
                    };
                    loop {
                        match self.reader.read_event().map_err(|e| at(e.into()))? {
                            // Each child sets the value, as in calamine: a formula
                            // after its cached value leaves the cell empty.
                            Event::Start(e) => {
                                value = self.value(&e, pos, style, kind).map_err(at)?;
                            }
                            Event::End(e) if local(e.name()) == "c" => break,
                            Event::Eof => return Err(at("the sheet ends inside the cell".into())),
                            _ => {}
                        }
                    }
                    self.col = self.col.checked_add(1).ok_or("too many columns")?;
                    return Ok(Some((pos, value)));
                }
                Event::End(e) if local(e.name()) == "sheetData" => return Ok(None),
                Event::Eof => return Err("the sheet ends inside its cell table".into()),
                _ => {}
            }
        }
    }

    /// The value a child element (`<v>`, `<is>`, `<f>`) of a cell gives it.
    fn value(
        &mut self,
        e: &BytesStart,
        pos: (u32, u32),
        style: Option<&str>,
        kind: Option<&str>,
    ) -> Result<Cell, CellError> {
        match local(e.name()) {
            "is" => {
                let text = rich_text(&mut self.reader, e.name())?;
                Ok(convert(&DataRef::String(text)))
            }
            // An inline string's <v> repeats its <is>.
            "v" if matches!(kind, Some("inlineStr" | "is")) => {
                self.reader.read_to_end(e.name())?;
                Ok(Cell::Empty)
            }
            "v" if matches!(kind, None | Some("n" | "s" | "b" | "e")) => {
                // Plain ASCII values: the first text event is the value.
                let value = match self.reader.read_event()? {
                    Event::Text(t) => self.typed(&t, pos, style, kind)?,
                    Event::End(end) if end.name() == e.name() => return Ok(Cell::Empty),
                    Event::Eof => return Err("the sheet ends inside a value".into()),
                    _ => Cell::Empty,
                };
                self.reader.read_to_end(e.name())?;
                Ok(value)
            }
            "v" => {
                let mut text = String::new();
                loop {
                    match self.reader.read_event()? {
                        Event::Text(t) => text.push_str(&t.xml10_content()),
                        Event::GeneralRef(r) => text.push_str(&resolve_entity(&r)?),
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => return Err("the sheet ends inside a value".into()),
                        _ => {}
                    }
                }
                self.typed(&text, pos, style, kind)
            }
            "f" => {
                self.reader.read_to_end(e.name())?;
                Ok(Cell::Empty)
            }
            other => Err(format!("unexpected <{other}> in a cell").into()),
        }
    }

    /// A `<v>` value read as the cell's type `t` and style `s` say.
    fn typed(
        &self,
        v: &str,
        pos: (u32, u32),
        style: Option<&str>,
        kind: Option<&str>,
    ) -> Result<Cell, CellError> {
        match kind {
            Some("s") => {
                if v.is_empty() {
                    return Ok(Cell::Empty);
                }
                let index = parse_index(v).unwrap_or(0);
                match self.book.strings.get(index) {
                    Some(text) => Ok(Cell::Text(text.clone())),
                    None => Err(CellError::SharedString { cell: pos, index }),
                }
            }
            Some("b") => {
                let value = v.trim();
                if value.is_empty() {
                    Ok(Cell::Empty)
                } else if value == "0" || value.eq_ignore_ascii_case("false") {
                    Ok(Cell::Bool(false))
                } else if value == "1" || value.eq_ignore_ascii_case("true") {
                    Ok(Cell::Bool(true))
                } else {
                    Err(format!("{v:?} is not a boolean").into())
                }
            }
            Some("d") => Ok(convert(&DataRef::DateTimeIso(v.to_string()))),
            Some("e") => {
                let error: CellErrorType = v
                    .parse()
                    .map_err(|_| format!("{v:?} is not a cell error value"))?;
                Ok(convert(&DataRef::Error(error)))
            }
            Some("str") => Ok(convert(&DataRef::String(unescape_excel(v).into_owned()))),
            Some("n") | None => {
                if v.is_empty() {
                    return Ok(Cell::Empty);
                }
                match fast_float2::parse::<f64, _>(v.as_bytes()) {
                    Ok(n) => {
                        // Only a number's style matters (text cells skip the lookup).
                        let number_kind = match style {
                            Some(s) => self.book.formats.get(parse_index(s).unwrap_or(0)).copied(),
                            None => Some(NumberKind::Other),
                        };
                        if number_kind == Some(NumberKind::DateTime) {
                            if let Some(date) = whole_day_date(n, self.book.is_1904) {
                                return Ok(Cell::Date(date));
                            }
                        }
                        let data = match number_kind {
                            Some(NumberKind::DateTime) => DataRef::DateTime(ExcelDateTime::new(
                                n,
                                ExcelDateTimeType::DateTime,
                                self.book.is_1904,
                            )),
                            Some(NumberKind::TimeDelta) => DataRef::DateTime(ExcelDateTime::new(
                                n,
                                ExcelDateTimeType::TimeDelta,
                                self.book.is_1904,
                            )),
                            _ => DataRef::Float(n),
                        };
                        Ok(convert(&data))
                    }
                    // Without a type, text that is not a number is text.
                    Err(_) if kind.is_none() => Ok(convert(&DataRef::String(v.to_string()))),
                    Err(_) => Err(format!("{v:?} is not a number").into()),
                }
            }
            Some(other) => Err(format!("unknown cell type {other:?}").into()),
        }
    }
}

/// The date calamine gives a date cell whose serial is a whole number of days, from
/// serial 60 on (nearly every date in a return), without its millisecond
/// arithmetic; `None` for any other serial, which calamine converts. A property test
/// holds the two together.
fn whole_day_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    let days = if is_1904 { serial + 1462.0 } else { serial };
    // From serial 60 on calamine counts plainly from 30 December 1899 (below it,
    // Excel's phantom 29 February 1900 shifts the count); the bound is 9999-12-31.
    if days.fract() != 0.0 || !(60.0..=2_958_465.0).contains(&days) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(days as u64))
}

/// A non-negative decimal index as calamine parses style and string indices.
fn parse_index(text: &str) -> Option<usize> {
    atoi_simd::parse::<usize, true, false>(text.as_bytes()).ok()
}

/// A sheet's declared range (`A1:C9`, or one cell).
fn dimension(range: &str) -> Result<Dimensions, String> {
    let mut parts = Vec::new();
    for part in range.split(':') {
        let (row, col) = row_and_column(part)?;
        parts.push((
            row,
            col.ok_or_else(|| format!("range {range:?} has no column"))?,
        ));
    }
    match parts[..] {
        [one] => Ok(Dimensions::new(one, one)),
        [start, end] => Ok(Dimensions::new(start, end)),
        _ => Err(format!("range {range:?} has {} parts", parts.len())),
    }
}

/// The zero-based row and (if given) column of an A1 reference such as `B3` or `7`.
fn row_and_column(reference: &str) -> Result<(u32, Option<u32>), String> {
    let bad = || format!("{reference:?} is not a cell reference");
    let bytes = reference.as_bytes();
    let mut i = 0;
    let mut col: u32 = 0;
    let mut row: u32 = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b.is_ascii_alphabetic() {
            let digit = u32::from(b.to_ascii_uppercase() - b'A') + 1;
            col = col
                .checked_mul(26)
                .and_then(|c| c.checked_add(digit))
                .ok_or_else(bad)?;
        } else if b.is_ascii_digit() {
            row = u32::from(b - b'0');
            break;
        } else {
            return Err(bad());
        }
    }
    for &b in &bytes[i..] {
        if !b.is_ascii_digit() {
            return Err(bad());
        }
        row = row
            .checked_mul(10)
            .and_then(|r| r.checked_add(u32::from(b - b'0')))
            .ok_or_else(bad)?;
    }
    let row = row.checked_sub(1).ok_or_else(bad)?;
    Ok((row, col.checked_sub(1)))
}

/// An entity reference's text (`&amp;`, `&#xA0;`); an unknown entity is an error.
fn resolve_entity(r: &quick_xml::events::BytesRef) -> Result<String, String> {
    if let Some(text) = quick_xml::escape::resolve_xml_entity(r) {
        return Ok(text.to_string());
    }
    match r.resolve_char_ref().map_err(|e| e.to_string())? {
        Some(c) => Ok(c.to_string()),
        None => Err(format!("unknown entity &{};", &**r)),
    }
}

/// An attribute value with its XML entities decoded.
fn decode_attr(value: &str) -> Result<String, String> {
    quick_xml::escape::unescape(value)
        .map(|v| v.into_owned())
        .map_err(|e| e.to_string())
}

/// Excel's escapes of characters XML cannot hold: `_x000D_` is a carriage return
/// (four hex digits of a UTF-16 unit; a surrogate pair is two escapes, a lone
/// surrogate U+FFFD).
fn unescape_excel(text: &str) -> Cow<'_, str> {
    const LEN: usize = 7;
    let unit_at = |i: usize| -> Option<u16> {
        let b = text.as_bytes().get(i..i + LEN)?;
        if b[0] != b'_'
            || b[1] != b'x'
            || b[6] != b'_'
            || !b[2..6].iter().all(u8::is_ascii_hexdigit)
        {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    };
    let next = |from: usize| -> Option<(usize, u16)> {
        let mut start = from;
        while let Some(offset) = text.get(start..)?.find('_') {
            let i = start + offset;
            if let Some(unit) = unit_at(i) {
                return Some((i, unit));
            }
            start = i + 1;
        }
        None
    };
    let Some(mut found) = next(0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    loop {
        let (mut i, unit) = found;
        out.push_str(&text[copied..i]);
        i += LEN;
        match unit {
            0xD800..=0xDBFF => match unit_at(i) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                    i += LEN;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = i;
        match next(i) {
            Some(n) => found = n,
            None => break,
        }
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// An element's attributes as raw (key, value) text, without entity decoding:
/// quoted values, and an error for a key without `=` or an unquoted value.
struct RawAttrs<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> RawAttrs<'a> {
    fn of(e: &'a BytesStart) -> Self {
        RawAttrs {
            raw: e.attributes_raw(),
            pos: 0,
        }
    }
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<(&'a str, &'a str), String>;

    fn next(&mut self) -> Option<Self::Item> {
        let raw = self.raw;
        let bytes = raw.as_bytes();
        let mut pos = self.pos;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        while pos < bytes.len() && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= bytes.len() {
            self.pos = bytes.len();
            return Some(Err(format!("attribute without a value at {key_start}")));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match bytes.get(pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                self.pos = bytes.len();
                return Some(Err(format!("unquoted attribute value at {pos}")));
            }
        };
        pos += 1;
        let value_start = pos;
        while pos < bytes.len() && bytes[pos] != quote {
            pos += 1;
        }
        let value = &raw[value_start..pos];
        if pos < bytes.len() {
            pos += 1;
        }
        self.pos = pos;
        Some(Ok((key, value)))
    }
}

/// One attribute by its exact name; scanning stops there, as calamine's does
/// ([`get_attrs`] with one name).
fn raw_attr<'a>(e: &'a BytesStart, name: &str) -> Result<Option<&'a str>, String> {
    get_attrs(e, [name]).map(|[value]| value)
}

/// Several attributes in one pass, stopping once as many matches as names were
/// seen (a repeated attribute counts each time, and its last value wins), as
/// calamine's scan does, so that a malformed attribute after them is not looked at.
fn get_attrs<'a, const N: usize>(
    e: &'a BytesStart,
    names: [&str; N],
) -> Result<[Option<&'a str>; N], String> {
    attrs_in(e.attributes_raw(), names)
}

/// [`get_attrs`] over an element's raw attribute text.
fn attrs_in<'a, const N: usize>(
    raw: &'a str,
    names: [&str; N],
) -> Result<[Option<&'a str>; N], String> {
    let mut found = [None; N];
    let mut seen = 0;
    for attr in (RawAttrs { raw, pos: 0 }) {
        let (key, value) = attr?;
        if let Some(i) = names.iter().position(|n| *n == key) {
            found[i] = Some(value);
            seen += 1;
        }
        if seen == N {
            break;
        }
    }
    Ok(found)
}

/// A cell's `r`, `s` and `t` attributes: [`get_attrs`] with those names, by way of
/// a fast path for the form nearly every writer uses (every `<c>` passes here).
fn cell_attrs<'a>(e: &'a BytesStart) -> Result<[Option<&'a str>; 3], String> {
    let raw = e.attributes_raw();
    match written_as_excel_writes(raw) {
        Some(found) => Ok(found),
        None => attrs_in(raw, ["r", "s", "t"]),
    }
}

/// The `r`, `s` and `t` attributes of a cell whose attributes are written as Excel
/// and most writers write them (` r="A1" s="2" t="s"`: one space before each, a
/// one-letter name, `="`, no `"` in the value), or `None` for anything else, which
/// [`attrs_in`] reads. On the attributes it accepts it gives what that scan
/// gives (a unit test and a property test hold them together); it exists because
/// every cell passes here, and the general scan cost 6% of a national run.
fn written_as_excel_writes(raw: &str) -> Option<[Option<&str>; 3]> {
    let bytes = raw.as_bytes();
    let mut found = [None; 3];
    let mut seen = 0;
    let mut pos = 0;
    while pos < bytes.len() && seen < 3 {
        let [b' ', key, b'=', b'"', ..] = bytes[pos..] else {
            return None;
        };
        if !key.is_ascii_alphabetic() {
            return None;
        }
        let value_start = pos + 4;
        let value_len = bytes[value_start..].iter().position(|&b| b == b'"')?;
        let value_end = value_start + value_len;
        let slot = match key {
            b'r' => 0,
            b's' => 1,
            b't' => 2,
            _ => {
                pos = value_end + 1;
                continue;
            }
        };
        found[slot] = Some(raw.get(value_start..value_end)?);
        seen += 1;
        pos = value_end + 1;
    }
    Some(found)
}

/// An element's name without its namespace prefix, as `QName::local_name` gives it,
/// but found with a byte loop instead of a string search: every element of every
/// sheet is asked its name, and the search's set-up cost 5% of a national run.
fn local(name: QName<'_>) -> &str {
    let name = name.0;
    match name.bytes().position(|b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// An attribute name equal to `local`, with or without a namespace prefix.
fn local_name_matches(key: &str, local: &str) -> bool {
    key == local
        || key
            .strip_suffix(local)
            .is_some_and(|prefix| prefix.ends_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A whole-day date serial reads as calamine reads it, in either epoch, and
        /// the fast path takes every whole serial from 60 to 9999-12-31.
        #[test]
        fn whole_day_dates_are_calamines(
            serial in prop_oneof![-100.0..3_000_000.0f64, (-100i64..3_000_000).prop_map(|n| n as f64)],
            is_1904: bool,
        ) {
            let calamine = convert(&DataRef::DateTime(ExcelDateTime::new(
                serial,
                ExcelDateTimeType::DateTime,
                is_1904,
            )));
            match whole_day_date(serial, is_1904) {
                Some(date) => prop_assert_eq!(Cell::Date(date), calamine),
                None => {
                    let days = if is_1904 { serial + 1462.0 } else { serial };
                    prop_assert!(days.fract() != 0.0 || !(60.0..=2_958_465.0).contains(&days));
                }
            }
        }

        /// Whatever the cells' fast path accepts, the general scan reads the same.
        #[test]
        fn the_fast_cell_attribute_path_agrees_with_the_scan(raw in "[ rst=\"'xA1:\t]{0,24}") {
            if let Some(fast) = written_as_excel_writes(&raw) {
                prop_assert_eq!(Ok(fast), attrs_in(&raw, ["r", "s", "t"]));
            }
        }
    }

    #[test]
    fn custom_formats_are_dates_as_calamine_judges_them() {
        let cases = [
            ("DD/MM/YY", NumberKind::DateTime),
            ("H:MM:SS;@", NumberKind::DateTime),
            ("#,##0\\ [$\\u20bd-46D]", NumberKind::Other),
            ("m\"M\"d\"D\";@", NumberKind::DateTime),
            ("[h]:mm:ss", NumberKind::TimeDelta),
            (
                "\"Y: \"0.00\"m\";\"Y: \"-0.00\"m\";\"Y: <num>m\";@",
                NumberKind::Other,
            ),
            ("\"$\"#,##0_);[Red](\"$\"#,##0)", NumberKind::Other),
            (
                "[$-404]e\"\\xfc\"m\"\\xfc\"d\"\\xfc\"",
                NumberKind::DateTime,
            ),
            ("0_ ;[Red]\\-0\\ ", NumberKind::Other),
            ("\\Y000000", NumberKind::Other),
            ("#,##0.0####\" YMD\"", NumberKind::Other),
            ("[h]", NumberKind::TimeDelta),
            ("[ss]", NumberKind::TimeDelta),
            ("[mm]", NumberKind::TimeDelta),
            ("[>=100][Magenta][s].00", NumberKind::TimeDelta),
            ("[>=100][Magenta].00", NumberKind::Other),
            ("[>=100][Magenta]General", NumberKind::Other),
            ("ha/p\\\\m", NumberKind::DateTime),
            ("#,##0*y", NumberKind::Other),
            ("*-yyyy-mm-dd", NumberKind::DateTime),
            ("yyyy-mm-dd", NumberKind::DateTime),
            ("0.00", NumberKind::Other),
        ];
        for (format, want) in cases {
            assert_eq!(custom_format_kind(format), want, "{format:?}");
        }
    }

    #[test]
    fn cell_references_are_zero_based_and_checked() {
        assert_eq!(row_and_column("A1"), Ok((0, Some(0))));
        assert_eq!(row_and_column("xfd1048576"), Ok((1_048_575, Some(16_383))));
        assert_eq!(row_and_column("12"), Ok((11, None)));
        assert!(row_and_column("A0").is_err());
        assert!(row_and_column("A").is_err());
        assert!(row_and_column("A1B").is_err());
        assert!(row_and_column("ZZZZZZZZ1").is_err());
        assert!(row_and_column("A99999999999").is_err());
    }

    #[test]
    fn excel_escapes_are_decoded() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_excel("_xD83D__xDCF7_"), "\u{1F4F7}");
        assert_eq!(unescape_excel("_xD83D_ x"), "\u{FFFD} x");
        assert_eq!(unescape_excel("plain_text_x12"), "plain_text_x12");
    }

    #[test]
    fn attributes_are_scanned_raw() {
        let mut reader = xml(br#"<c r="B2" s='3' t="s" bad></c>"#);
        let Ok(Event::Start(c)) = reader.read_event() else {
            panic!("a start tag");
        };
        assert_eq!(
            get_attrs(&c, ["r", "s", "t"]),
            Ok([Some("B2"), Some("3"), Some("s")])
        );
        assert!(raw_attr(&c, "missing").is_err());
        // The cells' scan is the general one with those names.
        for tag in [
            r#"<c r="B2" s='3' t="s" bad></c>"#,
            r#"<c t="n" r="C1" r="D1" bad></c>"#,
            r#"<c x:r="A1" rr="1" s="2"></c>"#,
            r#"<c r=B2></c>"#,
            r#"<c></c>"#,
        ] {
            let mut reader = xml(tag.as_bytes());
            let Ok(Event::Start(c)) = reader.read_event() else {
                panic!("a start tag");
            };
            assert_eq!(cell_attrs(&c), get_attrs(&c, ["r", "s", "t"]), "{tag}");
        }
        // The fast path reads what it accepts as the general scan does, and leaves
        // the rest to it.
        for raw in [
            r#" r="B2" s="3" t="s""#,
            r#" r="B2""#,
            r#" t="s" r="A1" r="B1" s="1""#,
            r#" r="A1" s="1" t="s" x"#,
            r#" x="1" r="A1""#,
            r#" r="" s="1""#,
            "",
        ] {
            let fast = written_as_excel_writes(raw);
            assert!(fast.is_some(), "{raw:?} is as Excel writes it");
            assert_eq!(
                fast.map(Ok),
                Some(attrs_in(raw, ["r", "s", "t"])),
                "{raw:?}"
            );
        }
        for raw in [
            r#"  r="B2""#,
            r#" r = "B2""#,
            r#" r='B2'"#,
            r#" rr="1" s="2""#,
            r#" x:r="A1""#,
            r#" r="B2"#,
            r#" r=B2"#,
            "\tr=\"B2\"",
            r#"r="B2""#,
        ] {
            assert_eq!(
                written_as_excel_writes(raw),
                None,
                "{raw:?} goes the general way"
            );
        }
        assert!(local_name_matches("r:id", "id"));
        assert!(!local_name_matches("rid", "id"));
    }

    #[test]
    fn local_names_are_quick_xmls() {
        for name in [
            "c",
            "x:c",
            "a:b:c",
            ":c",
            "c:",
            "",
            "rPh",
            "x14ac:dyDescent",
        ] {
            let name = QName(name);
            assert_eq!(local(name), name.local_name().as_ref(), "{name:?}");
        }
    }
}

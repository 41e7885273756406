//! Provider rows: from a located header to normalised [`Provider`] records (SPEC 1.4,
//! 1.5). Every bad cell is a warning at its cell and is treated as missing; the row
//! is kept.

use crate::diag::Diagnostic;
use crate::geography::canonical_region;
use crate::ingest::Grid;
use crate::model::{Provider, SharedText};
use crate::normalise::cover::complete_ics;
use crate::normalise::header::HeaderMatch;
use crate::normalise::rows::{read_rows, RowReader};
use crate::normalise::suppliers::{SupplierLookup, SupplierName, SupplierTable};
use crate::normalise::values::{parse_emram, parse_epr_group, remembered};
use crate::schema::{Field, Rung, Sector, Status};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// Read every provider row below the header. Blank rows are passed over; a row with
/// neither an ODS code nor a name is reported and not counted (it is a note or a
/// total line, not a provider).
pub fn read_providers(
    grid: &Grid,
    header: &HeaderMatch,
    suppliers: &SupplierTable,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Provider> {
    let mut suppliers = SupplierLookup::new(suppliers);
    let mut memory = SheetMemory::default();
    read_rows(grid, header, file, diags, |reader| {
        read_row(reader, &mut suppliers, &mut memory)
    })
}

/// The ICS code, name and region cells of a row.
type IcsCells = [Option<String>; 3];

/// What a provider sheet repeats from row to row, read once per distinct cell text:
/// its sectors and statuses (a few words each), and its ICS (the same on every row,
/// whose rows share one copy of the answer).
#[derive(Default)]
struct SheetMemory {
    sectors: FxHashMap<String, Option<Sector>>,
    statuses: FxHashMap<String, Option<(Status, Option<Rung>)>>,
    ics: FxHashMap<IcsCells, [Option<SharedText>; 3]>,
    /// The last row's ICS cells and answer, compared without a copy of the cells.
    last_ics: Option<(IcsCells, [Option<SharedText>; 3])>,
}

impl SheetMemory {
    /// The row's ICS as [`completed_ics`] gives it.
    fn ics(&mut self, cells: [Option<Cow<'_, str>>; 3]) -> [Option<SharedText>; 3] {
        if let Some((last, answer)) = &self.last_ics {
            if last
                .iter()
                .zip(&cells)
                .all(|(l, c)| l.as_deref() == c.as_deref())
            {
                return answer.clone();
            }
        }
        let key = cells.map(|c| c.map(Cow::into_owned));
        let answer = remembered(&mut self.ics, &key, completed_ics);
        self.last_ics = Some((key, answer.clone()));
        answer
    }
}

/// The ICS code upper-cased, the region canonical, and what is missing filled in.
fn completed_ics([code, name, region]: &[Option<String>; 3]) -> [Option<SharedText>; 3] {
    let mut code = code.as_deref().map(|t| t.to_uppercase().into());
    let mut name = name.as_deref().map(Into::into);
    let mut region = region
        .as_deref()
        .map(|t| canonical_region(t).unwrap_or(t).into());
    complete_ics(&mut code, &mut name, &mut region);
    [code, name, region]
}

fn read_row(
    r: &mut RowReader<'_>,
    suppliers: &mut SupplierLookup<'_>,
    memory: &mut SheetMemory,
) -> Option<Provider> {
    let raw_code = r.text_ref(Field::OdsCode);
    let name = r.text(Field::Name);
    if raw_code.is_none() && name.is_none() {
        let row = r.grid.row_number(r.row);
        r.warn(
            Field::OdsCode,
            format!("row {row} has values but no ODS code or organisation name: not counted as a provider"),
        );
        return None;
    }
    let ods_code = r.ods_code();

    let sector = r.text_ref(Field::Sector).and_then(|text| {
        let parsed = remembered(&mut memory.sectors, &*text, Sector::parse);
        if parsed.is_none() {
            r.warn(
                Field::Sector,
                format!(
                    "unrecognised sector \"{text}\": treated as missing (still counted as an NHS trust, unless --sectors is given)"
                ),
            );
        }
        parsed
    });

    let (supplier_name, product) = r.supplier_and_product(suppliers);
    let (status, rung) = match r.header.index(Field::Status) {
        Some(_) => r
            .text_ref(Field::Status)
            .and_then(|text| {
                let parsed = remembered(&mut memory.statuses, &*text, Status::parse_with_rung);
                if parsed.is_none() {
                    r.warn(
                        Field::Status,
                        format!(
                            "unrecognised EPR status \"{text}\": treated as missing (counted as not started)"
                        ),
                    );
                }
                parsed
            })
            .map_or((None, None), |(status, rung)| (Some(status), rung)),
        // No status column: the supplier cell tells (SPEC 1.5).
        None => match &supplier_name {
            Some(SupplierName::NoEpr) => (Some(Status::None), None),
            Some(_) => (Some(Status::Live), None),
            None => {
                r.warn(
                    Field::Supplier,
                    "no status column and the supplier is blank: EPR status unknown (counted as not started)".into(),
                );
                (None, None)
            }
        },
    };
    let target_cell = r.text_ref(Field::TargetSupplier);
    let target_supplier = r
        .supplier(Field::TargetSupplier, target_cell.as_deref(), suppliers)
        .and_then(|s| s.canonical());
    let target_product = r
        .text_ref(Field::TargetProduct)
        .map(|p| suppliers.product(&p));

    let [ics_code, ics_name, region] = memory.ics([
        r.text_ref(Field::IcsCode),
        r.text_ref(Field::IcsName),
        r.text_ref(Field::Region),
    ]);

    Some(Provider {
        ods_code,
        name,
        sector,
        ics_code,
        ics_name,
        region,
        status,
        rung,
        supplier: supplier_name.and_then(|s| s.canonical()),
        product,
        go_live: r.date(Field::GoLive),
        contract_expiry: r.date(Field::ContractExpiry),
        target_supplier,
        target_product,
        target_go_live: r.date(Field::TargetGoLive),
        journey: r.text(Field::Journey),
        emram_stage: r.parsed(Field::EmramStage, parse_emram, "an EMRAM stage (0 to 7)"),
        epr_group: r.parsed(Field::EprGroup, parse_epr_group, "an EPR group (0 to 3)"),
        origin: r.origin(),
    })
}

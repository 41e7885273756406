//! Laying a sheet's cells out in a [`Grid`], whichever reader gives them: rows only
//! as long as their last cell, within the cell limit.

use super::{Cell, Grid, Limits, ReadError, TooLarge};
use calamine::Dimensions;

/// A cell and its zero-based (row, column) in the sheet.
pub(super) type PlacedCell = ((u32, u32), Cell);

/// Collect the non-empty cells a reader yields into a grid whose rows are only as
/// long as their last cell, refusing a sheet past the cell limit. Cells are laid out
/// as they arrive, which is row by row in every workbook seen so far; a cell out of
/// that order is set aside and the grid rebuilt from sorted cells at the end. Where
/// two cells share a position the later one wins. The sheet's `declared` size
/// only sizes the grid's memory up front (within a bound: it may be wrong).
pub(super) fn sparse_grid(
    name: &str,
    limits: &Limits,
    declared: Dimensions,
    mut next_cell: impl FnMut() -> Result<Option<PlacedCell>, ReadError>,
) -> Result<Grid, ReadError> {
    let too_big = || {
        ReadError::from(TooLarge::SheetCells {
            sheet: name.to_string(),
            limit: limits.max_cells,
        })
    };
    let mut layout = RowLayout::sized_for(declared, limits);
    let mut origin: Option<(u32, u32)> = None;
    let mut out_of_order: Vec<((u32, u32), Cell)> = Vec::new();
    let mut count = 0usize;
    while let Some(((r, c), value)) = next_cell()? {
        if matches!(value, Cell::Empty) {
            continue;
        }
        count += 1;
        if count > limits.max_cells {
            return Err(too_big());
        }
        let (r0, c0) = *origin.get_or_insert((r, c));
        let in_order = r >= r0 && c >= c0 && (r - r0) as usize + 1 >= layout.height();
        if in_order {
            layout
                .place((r - r0) as usize, (c - c0) as usize, value, limits)
                .map_err(|()| too_big())?;
        } else {
            out_of_order.push(((r, c), value));
        }
    }
    let Some(origin) = origin else {
        return Ok(layout.into_grid(name, (0, 0)));
    };
    if out_of_order.is_empty() {
        return Ok(layout.into_grid(name, origin));
    }
    // Rare: rebuild from every cell in position order. The cells already laid out
    // came before any set aside at the same position, and the sort is stable.
    let mut cells: Vec<((u32, u32), Cell)> = Vec::with_capacity(count);
    for (i, row) in layout.grid.rows().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            if *cell != Cell::Empty {
                cells.push(((origin.0 + i as u32, origin.1 + j as u32), cell.clone()));
            }
        }
    }
    cells.append(&mut out_of_order);
    cells.sort_by_key(|(pos, _)| *pos);
    let first_row = cells.first().map_or(0, |((r, _), _)| *r);
    let first_col = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let mut layout = RowLayout::default();
    for ((r, c), cell) in cells {
        layout
            .place(
                (r - first_row) as usize,
                (c - first_col) as usize,
                cell,
                limits,
            )
            .map_err(|()| too_big())?;
    }
    Ok(layout.into_grid(name, (first_row, first_col)))
}

/// The rows of the largest sheet Excel and LibreOffice write (1 048 576).
const MAX_SHEET_ROWS: usize = 1 << 20;

/// Rows of cells being laid out row after row, with the cells they hold (blanks
/// included) counted against the limit as they grow, so that a sheet that spans too
/// much is refused before it is allocated.
#[derive(Default)]
pub(super) struct RowLayout {
    pub(super) grid: Grid,
}

impl RowLayout {
    /// Room for a sheet of the size it declares, up to a bound: growing one vector
    /// by doubling costs more than the row-by-row vectors it replaces.
    pub(super) fn sized_for(declared: Dimensions, limits: &Limits) -> RowLayout {
        const MAX_RESERVED_CELLS: usize = 1 << 20;
        let span = |from: u32, to: u32| to.checked_sub(from).map_or(0, |d| d as usize + 1);
        let rows = span(declared.start.0, declared.end.0);
        let cells = rows
            .saturating_mul(span(declared.start.1, declared.end.1))
            .min(limits.max_cells)
            .min(MAX_RESERVED_CELLS);
        let mut layout = RowLayout::default();
        layout.grid.cells.reserve(cells);
        layout.grid.row_starts.reserve(rows.min(cells));
        layout
    }

    /// Number of rows laid out so far.
    fn height(&self) -> usize {
        self.grid.row_starts.len()
    }

    /// Put a cell at a row and column relative to the grid's origin. Cells come row
    /// by row: `row` is the last row laid out or a later one.
    fn place(&mut self, row: usize, col: usize, cell: Cell, limits: &Limits) -> Result<(), ()> {
        debug_assert!(row + 1 >= self.height(), "cells laid out row by row");
        // Each row costs its start even when blank: a cell billions of rows down must
        // be refused, not allocated. Blank rows are cheap, so a sheet may be as tall as
        // a spreadsheet allows (a far cell is read even under a small cell limit), or
        // as tall as the cell limit if that is larger.
        if row >= limits.max_cells.max(MAX_SHEET_ROWS) {
            return Err(());
        }
        let grid = &mut self.grid;
        while grid.row_starts.len() <= row {
            grid.row_starts.push(grid.cells.len());
        }
        let start = grid.row_starts[grid.row_starts.len() - 1];
        let len = grid.cells.len() - start;
        if col < len {
            grid.cells[start + col] = cell;
            return Ok(());
        }
        if grid.cells.len() + (col + 1 - len) > limits.max_cells {
            return Err(());
        }
        // Blanks only for a gap: most cells come right after the row's last one.
        if col > len {
            grid.cells.resize(start + col, Cell::Empty);
        }
        grid.cells.push(cell);
        Ok(())
    }

    /// The grid laid out, for a sheet whose first cell is at `origin`.
    fn into_grid(self, sheet: &str, origin: (u32, u32)) -> Grid {
        Grid {
            sheet: Some(sheet.to_string()),
            origin,
            ..self.grid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the cargo-fuzz target `xlsx_parts_differential`: a cell far down the
    /// sheet made the layout push a row start for every blank row above it,
    /// gigabytes, before any limit was looked at. A sheet is now at most as tall as a
    /// spreadsheet can be, or as the cell limit if that is larger.
    #[test]
    fn a_cell_far_below_the_others_is_past_the_cell_limit() {
        let limits = Limits {
            max_cells: 1_000,
            ..Limits::default()
        };
        let mut cells = vec![
            ((0, 0), Cell::Number(1.0)),
            ((50_000_000, 0), Cell::Number(2.0)),
        ]
        .into_iter();
        let declared = Dimensions::new((0, 0), (0, 0));
        let read = sparse_grid("Providers", &limits, declared, || Ok(cells.next()));
        assert!(
            matches!(read, Err(ReadError::TooLarge(TooLarge::SheetCells { .. }))),
            "{read:?}"
        );
        // A cell in a spreadsheet's last row is still read under the small limit.
        let last = MAX_SHEET_ROWS as u32 - 1;
        let mut cells =
            vec![((0, 0), Cell::Number(1.0)), ((last, 0), Cell::Number(2.0))].into_iter();
        let grid = sparse_grid("Providers", &limits, declared, || Ok(cells.next())).expect("read");
        assert_eq!(grid.rows().count(), MAX_SHEET_ROWS);
    }
}

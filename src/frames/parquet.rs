//! Parquet files of frames (`eprscan export -f parquet`, `eprscan sql -o x.parquet`).

use anyhow::{Context, Result};
use polars::prelude::DataFrame;
use std::path::Path;

/// Write a frame to a Parquet file (Snappy-compressed, the codec every reader has).
pub fn write_parquet(frame: &mut DataFrame, path: &Path) -> Result<()> {
    use polars_io::parquet::write::{ParquetCompression, ParquetWriter};
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    ParquetWriter::new(std::io::BufWriter::new(file))
        .with_compression(ParquetCompression::Snappy)
        .finish(frame)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

//! eprscan: analytics over the NHS EPR landscape returns that Integrated Care Systems
//! send NHS England.
//!
//! The pipeline, one module per stage:
//! [`ingest`] (find files, read cells) → [`normalise`] (find tables and headers, parse
//! values, merge returns) → [`metrics`] (one module per metric) → [`output`] (one
//! layer for every format). For ad hoc questions, [`frames`] turns the normalised
//! model into polars tables (queried by [`query`], or exported) and results back into
//! the output layer's tables. [`schema`] is the single place that knows the spec's
//! vocabulary; [`commands`] holds one module per subcommand; [`template`] writes the
//! blank questionnaire; [`panics`] turns a panic while reading one file into that
//! file's error; the binary is thin.

#![warn(missing_docs)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod diag;
pub mod frames;
pub mod geography;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod money;
pub mod normalise;
pub mod output;
pub mod panics;
pub mod query;
pub mod schema;
pub mod template;

/// A usage error (bad option value, unknown output format): exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

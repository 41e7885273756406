//! The progress bar drawn on stderr while files are read: the command line's side of
//! [`crate::normalise::Progress`].

use crate::normalise::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::OnceLock;

/// Files from which a progress bar is worth drawing (fewer are read in a blink).
const MIN_FILES: usize = 6;

/// A bar, drawn once reading starts with enough files to be worth it.
#[derive(Default)]
pub struct Bar(OnceLock<ProgressBar>);

impl Progress for Bar {
    fn start(&self, files: usize) {
        let bar = if files >= MIN_FILES {
            let bar = ProgressBar::new(files as u64);
            if let Ok(style) =
                ProgressStyle::with_template("reading {bar:30} {pos}/{len} files {elapsed}")
            {
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };
        let _ = self.0.set(bar);
    }

    fn advance(&self) {
        if let Some(bar) = self.0.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}

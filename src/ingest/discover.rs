//! Finding the input files (SPEC 1.1): files and directories, walked recursively in
//! sorted order; lock files, hidden files and other file types skipped with a note.

use crate::diag::{Diagnostic, Severity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// File extensions eprscan reads, lower case.
pub const SUPPORTED_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"];

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path on disk.
    pub path: PathBuf,
    /// The path as shown in messages.
    pub display: String,
    /// Lower-case extension, one of [`SUPPORTED_EXTENSIONS`].
    pub extension: String,
}

/// Expand paths into the files to read. Directories are walked recursively in sorted
/// order; a symbolic link to a folder is followed, but a folder already walked (a
/// link to a parent, which would loop) is not walked again, and a file reached by two
/// paths (a link, or named twice) is read once: both with a note. Problems (a path that
/// does not exist, an unreadable directory) are errors; skipped files are notes.
pub fn discover(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<Diagnostic>) {
    let mut walk = Walk::default();
    for path in paths {
        let display = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => walk.diags.push(Diagnostic::file(
                Severity::Error,
                &display,
                format!("cannot read: {}", plain_io_error(&e)),
            )),
            Ok(meta) if meta.is_dir() => walk.dir(path),
            Ok(_) => match classify(path) {
                Classified::Read(extension) => walk.file(path.clone(), display, extension),
                Classified::Skip(why) => {
                    walk.diags
                        .push(Diagnostic::file(Severity::Note, &display, why))
                }
                Classified::Unsupported => walk.diags.push(Diagnostic::file(
                    Severity::Error,
                    &display,
                    format!(
                        "not a supported file type (expected one of .{})",
                        SUPPORTED_EXTENSIONS.join(" .")
                    ),
                )),
            },
        }
    }
    (walk.files, walk.diags)
}

/// The state of a walk: what was found, and where it has been, by real path (links
/// resolved), so that it ends and reads each file once.
#[derive(Default)]
struct Walk {
    files: Vec<InputFile>,
    diags: Vec<Diagnostic>,
    /// Real path of each folder walked → the path it was first reached by.
    dirs: HashMap<PathBuf, String>,
    /// Real path of each file kept → the path it was first reached by.
    seen_files: HashMap<PathBuf, String>,
}

impl Walk {
    /// Keep a file unless it was already reached by another path.
    fn file(&mut self, path: PathBuf, display: String, extension: String) {
        // A file whose real path cannot be found is kept as named (reading it will
        // say what is wrong).
        if let Ok(real) = std::fs::canonicalize(&path) {
            if let Some(first) = self.seen_files.get(&real) {
                self.diags.push(Diagnostic::file(
                    Severity::Note,
                    &display,
                    format!("skipped: the same file as {first}, which is read once"),
                ));
                return;
            }
            self.seen_files.insert(real, display.clone());
        }
        self.files.push(InputFile {
            path,
            display,
            extension,
        });
    }

    /// Walk a folder unless it was already walked (reached again through a link).
    fn dir(&mut self, dir: &Path) {
        let display = dir.display().to_string();
        if let Ok(real) = std::fs::canonicalize(dir) {
            if let Some(first) = self.dirs.get(&real) {
                self.diags.push(Diagnostic::file(
                    Severity::Note,
                    &display,
                    format!(
                        "skipped: the same folder as {first}, already read (a link back to a folder would loop)"
                    ),
                ));
                return;
            }
            self.dirs.insert(real, display.clone());
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.diags.push(Diagnostic::file(
                    Severity::Error,
                    &display,
                    format!("cannot read directory: {}", plain_io_error(&e)),
                ));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let display = path.display().to_string();
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if path.is_dir() {
                if hidden {
                    self.diags.push(Diagnostic::file(
                        Severity::Note,
                        &display,
                        "skipped: hidden directory",
                    ));
                } else {
                    self.dir(&path);
                }
                continue;
            }
            match classify(&path) {
                Classified::Read(extension) => self.file(path, display, extension),
                Classified::Skip(why) => {
                    self.diags
                        .push(Diagnostic::file(Severity::Note, &display, why))
                }
                // Other files in a returns folder (a README, a PDF) are passed over, but
                // said, so that nothing is left out unseen.
                Classified::Unsupported => self.diags.push(Diagnostic::file(
                    Severity::Note,
                    &display,
                    "skipped: not a spreadsheet or CSV file",
                )),
            }
        }
    }
}

enum Classified {
    Read(String),
    Skip(String),
    Unsupported,
}

fn classify(path: &Path) -> Classified {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with("~$") {
        return Classified::Skip("skipped: Excel lock file".into());
    }
    if name.starts_with('.') {
        return Classified::Skip("skipped: hidden file".into());
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if SUPPORTED_EXTENSIONS.contains(&extension.as_str()) {
        Classified::Read(extension)
    } else {
        Classified::Unsupported
    }
}

/// An I/O error in plain words, without the OS error number.
pub fn plain_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

//! Finding the input files (SPEC 1.1): files and directories, walked recursively in
//! sorted order; lock files, hidden files and other file types skipped with a note.

use crate::diag::{Diagnostic, Severity};
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
/// order. Problems (a path that does not exist, an unreadable directory) are errors;
/// skipped files are notes.
pub fn discover(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for path in paths {
        let display = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => diags.push(Diagnostic::file(
                Severity::Error,
                &display,
                format!("cannot read: {}", plain_io_error(&e)),
            )),
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut diags),
            Ok(_) => match classify(path) {
                Classified::Read(extension) => files.push(InputFile {
                    path: path.clone(),
                    display,
                    extension,
                }),
                Classified::Skip(why) => {
                    diags.push(Diagnostic::file(Severity::Note, &display, why))
                }
                Classified::Unsupported => diags.push(Diagnostic::file(
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
    (files, diags)
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

fn walk(dir: &Path, files: &mut Vec<InputFile>, diags: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(Diagnostic::file(
                Severity::Error,
                &dir.display().to_string(),
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
                diags.push(Diagnostic::file(
                    Severity::Note,
                    &display,
                    "skipped: hidden directory",
                ));
            } else {
                walk(&path, files, diags);
            }
            continue;
        }
        match classify(&path) {
            Classified::Read(extension) => files.push(InputFile {
                path,
                display,
                extension,
            }),
            Classified::Skip(why) => diags.push(Diagnostic::file(Severity::Note, &display, why)),
            // Other files in a returns folder (a README, a PDF) are passed over, but
            // said, so that nothing is left out unseen.
            Classified::Unsupported => diags.push(Diagnostic::file(
                Severity::Note,
                &display,
                "skipped: not a spreadsheet or CSV file",
            )),
        }
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

//! `eprscan.toml`: site settings that a team keeps next to its returns — extra
//! supplier and product aliases, extra header synonyms, and defaults for the target,
//! the deadline and the grouping level. Found with `--config PATH`, else
//! `./eprscan.toml`, else `eprscan/eprscan.toml` in the user's config directory
//! (`~/.config` on Linux). Command-line options win over the file.

use crate::metrics::GroupBy;
use crate::normalise::header::HeaderSynonyms;
use crate::normalise::suppliers::SupplierTable;
use crate::schema::{Field, TableKind};
use crate::UsageError;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name looked for in the working directory.
pub const FILE_NAME: &str = "eprscan.toml";

/// The settings file. Unknown keys are errors, so a misspelt setting is never
/// silently ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default target share (`0.9` or `"90%"`).
    pub target: Option<toml::Value>,
    /// Default deadline (`"2023-12-31"`).
    pub deadline: Option<String>,
    /// Default grouping level (`"ics"`, `"region"` ...).
    pub by: Option<String>,
    /// Default geography: a built-in name (`"2022"`, `"2026"`) or a CSV file
    /// (relative to the settings file).
    pub geography: Option<String>,
    /// Extra supplier aliases: alias = canonical supplier.
    #[serde(default)]
    pub suppliers: BTreeMap<String, String>,
    /// Extra products: alias = { product, supplier }.
    #[serde(default)]
    pub products: BTreeMap<String, ProductAlias>,
    /// Extra header synonyms: table → field → headers.
    #[serde(default)]
    pub headers: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Where the settings were read from.
    #[serde(skip)]
    pub source: Option<PathBuf>,
    /// How that file was found.
    #[serde(skip)]
    pub found_by: FoundBy,
}

/// How the settings file was found (`eprscan config --show` says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FoundBy {
    /// No file: built-in defaults.
    #[default]
    Nothing,
    /// `--config PATH`.
    Option,
    /// `./eprscan.toml`.
    WorkingDirectory,
    /// The user's config directory.
    UserConfigDir,
}

impl FoundBy {
    /// For people.
    pub fn describe(self) -> &'static str {
        match self {
            FoundBy::Nothing => "built-in default",
            FoundBy::Option => "--config",
            FoundBy::WorkingDirectory => "working directory",
            FoundBy::UserConfigDir => "user config directory",
        }
    }
}

/// A product alias from the settings file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductAlias {
    /// Canonical product name.
    pub product: String,
    /// The supplier that makes it.
    pub supplier: String,
}

impl Config {
    /// The settings file's `geography`, a file named in it taken relative to the
    /// settings file's folder.
    pub fn geography_choice(&self) -> Option<String> {
        let choice = self.geography.as_deref()?;
        if crate::geography::Geography::built_in(choice).is_some() {
            return Some(choice.to_string());
        }
        let folder = self.source.as_deref().and_then(Path::parent);
        Some(match folder {
            Some(folder) if Path::new(choice).is_relative() => {
                folder.join(choice).display().to_string()
            }
            _ => choice.to_string(),
        })
    }

    /// Read `--config PATH` if given (it must exist), else `./eprscan.toml` if there is
    /// one, else the user's `eprscan/eprscan.toml` if there is one, else the defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<Config> {
        let (path, found_by) = match explicit {
            Some(path) => (path.to_path_buf(), FoundBy::Option),
            None => match Config::candidates().into_iter().find(|(p, _)| p.is_file()) {
                Some(found) => found,
                None => return Ok(Config::default()),
            },
        };
        let mut config = Config::read(&path)?;
        config.found_by = found_by;
        Ok(config)
    }

    /// Where a settings file is looked for when `--config` is not given, in order.
    pub fn candidates() -> Vec<(PathBuf, FoundBy)> {
        let mut out = vec![(PathBuf::from(FILE_NAME), FoundBy::WorkingDirectory)];
        if let Some(dir) = dirs::config_dir() {
            out.push((dir.join("eprscan").join(FILE_NAME), FoundBy::UserConfigDir));
        }
        out
    }

    /// Read and check one settings file.
    pub fn read(path: &Path) -> Result<Config> {
        // A settings file that cannot be read is a usage error, as a bad key is: the
        // command line named something that is not there.
        let text = std::fs::read_to_string(path).map_err(|e| {
            UsageError(format!(
                "settings {}: cannot read it: {}",
                path.display(),
                crate::ingest::discover::plain_io_error(&e)
            ))
        })?;
        let mut config: Config = toml::from_str(&text)
            .map_err(|e| UsageError(format!("settings {}: {}", path.display(), e.message())))?;
        config.source = Some(path.to_path_buf());
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<()> {
        let place = self
            .source
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if let Some(by) = &self.by {
            self.group_by()
                .with_context(|| format!("settings {place}: by = \"{by}\""))?;
        }
        if let Some(choice) = self.geography_choice() {
            crate::geography::Geography::resolve(&choice).map_err(|e| {
                UsageError(format!("settings {place}: geography = \"{choice}\": {e:#}"))
            })?;
        }
        for (table, fields) in &self.headers {
            let kind = table_kind(table).ok_or_else(|| {
                UsageError(format!(
                    "settings {place}: unknown table [headers.{table}] (providers, systems or funding)"
                ))
            })?;
            for field in fields.keys() {
                if field_of(kind, field).is_none() {
                    return Err(UsageError(format!(
                        "settings {place}: unknown field {field} in [headers.{table}]"
                    ))
                    .into());
                }
            }
        }
        Ok(())
    }

    /// The configured target as written (`"90%"`, `0.9`), if any.
    pub fn target_text(&self) -> Option<String> {
        self.target.as_ref().map(|value| match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Integer(i) => i.to_string(),
            _ => String::new(),
        })
    }

    /// The configured grouping level, if any.
    pub fn group_by(&self) -> Result<Option<GroupBy>> {
        use clap::ValueEnum;
        self.by
            .as_deref()
            .map(|by| {
                GroupBy::from_str(by, true).map_err(|_| {
                    UsageError(format!(
                        "unknown grouping \"{by}\" (ics, region, sector, supplier or national)"
                    ))
                    .into()
                })
            })
            .transpose()
    }

    /// The built-in supplier table extended with this file's aliases.
    pub fn supplier_table(&self) -> SupplierTable {
        let mut table = SupplierTable::builtin();
        for (alias, canonical) in &self.suppliers {
            table.add_alias(canonical, canonical);
            table.add_alias(alias, canonical);
        }
        for (alias, p) in &self.products {
            table.add_product(alias, &p.product, &p.supplier);
            table.add_product(&p.product, &p.product, &p.supplier);
        }
        table
    }

    /// Add the command line's `--map FIELD=HEADER` entries as header synonyms, as if
    /// they were in the settings file. `FIELD` is `table.field`, or a bare field name
    /// for every table that has it (`supplier`: providers and systems). An unknown
    /// field is a usage error listing the fields.
    pub fn add_header_maps(&mut self, maps: &[String]) -> Result<()> {
        for map in maps {
            let Some((target, header)) = map.split_once('=') else {
                return Err(UsageError(format!(
                    "--map {map}: expected FIELD=HEADER, e.g. --map supplier=\"trust_epr\""
                ))
                .into());
            };
            let (target, header) = (target.trim(), header.trim().trim_matches('"'));
            let tables: Vec<(TableKind, Field)> = match target.split_once('.') {
                Some((table, field)) => table_kind(table)
                    .and_then(|kind| Some((kind, field_of(kind, field)?)))
                    .into_iter()
                    .collect(),
                None => TableKind::ALL
                    .into_iter()
                    .filter_map(|kind| Some((kind, field_of(kind, target)?)))
                    .collect(),
            };
            if tables.is_empty() || header.is_empty() {
                return Err(UsageError(format!(
                    "--map {map}: {}; fields: {}",
                    if header.is_empty() {
                        "no header after =".to_string()
                    } else {
                        format!("unknown field \"{target}\"")
                    },
                    mappable_fields()
                ))
                .into());
            }
            for (kind, field) in tables {
                self.headers
                    .entry(kind.name().to_string())
                    .or_default()
                    .entry(field.name().to_string())
                    .or_default()
                    .push(header.to_string());
            }
        }
        Ok(())
    }

    /// The built-in header synonyms extended with this file's.
    pub fn header_synonyms(&self) -> HeaderSynonyms {
        let mut synonyms = HeaderSynonyms::default();
        for (table, fields) in &self.headers {
            let Some(kind) = table_kind(table) else {
                continue;
            };
            for (field, headers) in fields {
                if let Some(field) = field_of(kind, field) {
                    for header in headers {
                        synonyms.add(kind, field, header);
                    }
                }
            }
        }
        synonyms
    }
}

fn table_kind(name: &str) -> Option<TableKind> {
    TableKind::ALL.into_iter().find(|k| k.name() == name)
}

fn field_of(kind: TableKind, name: &str) -> Option<Field> {
    kind.fields().iter().copied().find(|f| f.name() == name)
}

/// Every table's fields, for usage errors: `providers: ods_code, name, ...; systems: ...`.
fn mappable_fields() -> String {
    TableKind::ALL
        .into_iter()
        .filter(|kind| !kind.fields().is_empty())
        .map(|kind| {
            let names: Vec<&str> = kind.fields().iter().map(|f| f.name()).collect();
            format!("{}: {}", kind.name(), names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        config.source = Some("test.toml".into());
        config.check()?;
        Ok(config)
    }

    #[test]
    fn unknown_keys_are_errors_naming_them() {
        let err = parse("targte = 0.9").unwrap_err().to_string();
        assert!(err.contains("targte"), "{err}");
        let err = parse("[headers.providers]\nods = [\"Site\"]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field ods"), "{err}");
    }

    #[test]
    fn aliases_extend_the_builtin_table() {
        let config = parse(
            "[suppliers]\n\"Acme Health Ltd\" = \"Acme\"\n[products]\n\"Acme One\" = { product = \"AcmeOne\", supplier = \"Acme\" }",
        )
        .unwrap();
        let table = config.supplier_table();
        use crate::normalise::suppliers::SupplierName;
        assert_eq!(
            table.supplier("ACME HEALTH"),
            SupplierName::Known("Acme".into())
        );
        assert_eq!(table.product("acme one").0, "AcmeOne");
        assert_eq!(
            table.supplier("Cerner"),
            SupplierName::Known("Oracle Health".into())
        );
    }
}

//! Supplier and product names to their canonical form (SPEC 1.5), through the built-in
//! alias table in [`crate::schema::SUPPLIERS`], extendable at run time.

use crate::model::SharedText;
use crate::normalise::values::remembered;
use crate::schema::{supplier_key, IN_HOUSE, IN_HOUSE_WORDS, SUPPLIERS};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// What a supplier cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupplierName {
    /// A supplier in the alias table, by its canonical name.
    Known(SharedText),
    /// An in-house or bespoke system.
    InHouse,
    /// "No EPR ..." (however spaced or cased).
    NoEpr,
    /// A supplier not in the table, kept as written (title-cased).
    Unknown(SharedText),
}

impl SupplierName {
    /// The canonical text stored for the provider; `None` for "No EPR". Known and
    /// unknown names are shared with every row that gave the same answer; in-house
    /// systems are rare, and each gets its own copy.
    pub fn canonical(&self) -> Option<SharedText> {
        match self {
            SupplierName::Known(s) | SupplierName::Unknown(s) => Some(s.clone()),
            SupplierName::InHouse => Some(IN_HOUSE.into()),
            SupplierName::NoEpr => None,
        }
    }
}

/// The supplier and product alias tables.
#[derive(Debug, Clone)]
pub struct SupplierTable {
    /// Matching key → canonical supplier.
    suppliers: HashMap<String, String>,
    /// Matching key → (canonical product, its supplier).
    products: HashMap<String, (String, String)>,
}

impl Default for SupplierTable {
    fn default() -> Self {
        Self::builtin()
    }
}

impl SupplierTable {
    /// The built-in table of SPEC 1.5.
    pub fn builtin() -> Self {
        let mut table = SupplierTable {
            suppliers: HashMap::new(),
            products: HashMap::new(),
        };
        for (canonical, aliases, products) in SUPPLIERS {
            table.add_alias(canonical, canonical);
            for alias in *aliases {
                table.add_alias(alias, canonical);
            }
            for product in *products {
                table.add_product(product, product, canonical);
            }
        }
        table
    }

    /// Add (or override) a supplier alias.
    pub fn add_alias(&mut self, alias: &str, canonical: &str) {
        self.suppliers
            .insert(supplier_key(alias), canonical.to_string());
    }

    /// Add (or override) a product alias with the supplier that makes it.
    pub fn add_product(&mut self, alias: &str, canonical: &str, supplier: &str) {
        self.products.insert(
            supplier_key(alias),
            (canonical.to_string(), supplier.to_string()),
        );
    }

    /// Canonical supplier for a cell's text. A cell naming a product alone
    /// ("Lorenzo") or supplier and product ("Cerner Millennium") gives the supplier.
    pub fn supplier(&self, raw: &str) -> SupplierName {
        let key = supplier_key(raw);
        if key.is_empty() {
            return SupplierName::Unknown(raw.trim().into());
        }
        if key.starts_with("no epr") || key == "none" {
            return SupplierName::NoEpr;
        }
        if IN_HOUSE_WORDS.contains(&key.as_str()) {
            return SupplierName::InHouse;
        }
        if let Some(canonical) = self.suppliers.get(&key) {
            return SupplierName::Known(canonical.as_str().into());
        }
        if let Some((_, supplier)) = self.products.get(&key) {
            return SupplierName::Known(supplier.as_str().into());
        }
        // "Cerner Millennium", "System C Medway": the longest known supplier prefix.
        let words: Vec<&str> = key.split(' ').collect();
        for cut in (1..words.len()).rev() {
            if let Some(canonical) = self.suppliers.get(&words[..cut].join(" ")) {
                return SupplierName::Known(canonical.as_str().into());
            }
        }
        SupplierName::Unknown(title_case(raw).into())
    }

    /// Canonical product name, and the supplier that makes it when known.
    pub fn product(&self, raw: &str) -> (String, Option<String>) {
        match self.products.get(&supplier_key(raw)) {
            Some((product, supplier)) => (product.clone(), Some(supplier.clone())),
            None => (title_case(raw), None),
        }
    }

    /// The product named inside a supplier cell ("System C Medway" → "Medway").
    pub fn product_in_supplier_cell(&self, raw: &str) -> Option<String> {
        let key = supplier_key(raw);
        let words: Vec<&str> = key.split(' ').collect();
        (1..words.len()).find_map(|cut| {
            self.products
                .get(&words[cut..].join(" "))
                .map(|(product, _)| product.clone())
        })
    }
}

/// Title-case words written all in lower case; words with capitals are kept as written
/// ("acme health" → "Acme Health", "NHS eCare" unchanged).
/// The supplier table's answers remembered for each distinct cell text of one
/// sheet ([`remembered`]).
#[derive(Debug)]
pub struct SupplierLookup<'a> {
    table: &'a SupplierTable,
    suppliers: FxHashMap<String, SupplierName>,
    products: FxHashMap<String, SharedText>,
    products_in_supplier_cells: FxHashMap<String, Option<SharedText>>,
}

impl<'a> SupplierLookup<'a> {
    /// An empty memory over `table`.
    pub fn new(table: &'a SupplierTable) -> Self {
        SupplierLookup {
            table,
            suppliers: FxHashMap::default(),
            products: FxHashMap::default(),
            products_in_supplier_cells: FxHashMap::default(),
        }
    }

    /// [`SupplierTable::supplier`].
    pub fn supplier(&mut self, raw: &str) -> SupplierName {
        remembered(&mut self.suppliers, raw, |raw| self.table.supplier(raw))
    }

    /// The canonical product name of [`SupplierTable::product`].
    pub fn product(&mut self, raw: &str) -> SharedText {
        remembered(&mut self.products, raw, |raw| {
            self.table.product(raw).0.into()
        })
    }

    /// [`SupplierTable::product_in_supplier_cell`].
    pub fn product_in_supplier_cell(&mut self, raw: &str) -> Option<SharedText> {
        remembered(&mut self.products_in_supplier_cells, raw, |raw| {
            self.table.product_in_supplier_cell(raw).map(Into::into)
        })
    }
}

fn title_case(raw: &str) -> String {
    let cleaned = crate::normalise::values::clean_text(raw).unwrap_or_default();
    cleaned
        .split(' ')
        .map(|word| {
            if word.chars().any(char::is_uppercase) {
                word.to_string()
            } else {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_collapse() {
        let t = SupplierTable::builtin();
        let known = |s: &str| SupplierName::Known(s.into());
        assert_eq!(t.supplier("Cerner"), known("Oracle Health"));
        assert_eq!(
            t.supplier("Oracle Cerner Corporation"),
            known("Oracle Health")
        );
        assert_eq!(t.supplier("ORACLE HEALTH"), known("Oracle Health"));
        assert_eq!(t.supplier("Epic Systems Corporation"), known("Epic"));
        assert_eq!(t.supplier("DXC Technology"), known("Dedalus"));
        assert_eq!(t.supplier("System C Healthcare Ltd."), known("System C"));
        assert_eq!(t.supplier("CSE Servelec"), known("The Access Group"));
        assert_eq!(t.supplier("Lorenzo"), known("Dedalus"));
        assert_eq!(t.supplier("Cerner Millennium"), known("Oracle Health"));
        assert_eq!(t.supplier("Civica UK Limited"), known("Civica"));
    }

    #[test]
    fn no_epr_in_house_and_unknown() {
        let t = SupplierTable::builtin();
        assert_eq!(t.supplier("No EPR"), SupplierName::NoEpr);
        assert_eq!(t.supplier("NO  EPR - paper based"), SupplierName::NoEpr);
        assert_eq!(
            t.supplier("Generic or In House EPR Provider"),
            SupplierName::InHouse
        );
        assert_eq!(t.supplier("Bespoke"), SupplierName::InHouse);
        assert_eq!(
            t.supplier("acme health"),
            SupplierName::Unknown("Acme Health".into())
        );
    }

    #[test]
    fn lookup_remembers_the_same_answers() {
        let table = SupplierTable::builtin();
        let mut lookup = SupplierLookup::new(&table);
        for _ in 0..2 {
            for raw in ["Cerner", "acme health", "No EPR", "Bespoke"] {
                assert_eq!(lookup.supplier(raw), table.supplier(raw));
            }
            assert_eq!(&*lookup.product("Systmone"), "SystmOne");
            assert_eq!(
                lookup.product_in_supplier_cell("System C Medway"),
                Some("Medway".into())
            );
        }
    }

    #[test]
    fn lookup_gives_every_row_of_a_sheet_one_shared_copy() {
        let table = SupplierTable::builtin();
        let mut lookup = SupplierLookup::new(&table);
        let shared = |a: Option<SharedText>, b: Option<SharedText>| match (a, b) {
            (Some(a), Some(b)) => std::sync::Arc::ptr_eq(&a, &b),
            _ => false,
        };
        let supplier = |lookup: &mut SupplierLookup<'_>| lookup.supplier("Cerner").canonical();
        assert!(shared(supplier(&mut lookup), supplier(&mut lookup)));
        let product = |lookup: &mut SupplierLookup<'_>| Some(lookup.product("Systmone"));
        assert!(shared(product(&mut lookup), product(&mut lookup)));
        assert_eq!(product(&mut lookup).as_deref(), Some("SystmOne"));
    }

    #[test]
    fn products() {
        let t = SupplierTable::builtin();
        assert_eq!(t.product("medway").0, "Medway");
        assert_eq!(
            t.product("Systmone"),
            ("SystmOne".into(), Some("TPP".into()))
        );
        assert_eq!(
            t.product_in_supplier_cell("System C Medway"),
            Some("Medway".into())
        );
    }
}

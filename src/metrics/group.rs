//! Group, count, order: the one mechanism every metric uses to put items (providers,
//! funding lines, trusts) in groups by key, fold each group's figures, and list the
//! groups in output order ([`key_order`]).
//!
//! A hash map and a sort, not a polars frame: measured on the synthetic national set
//! (README, Performance, "Grouping"), grouping is too small a part of a run to tell
//! the two apart, and a plain fold keeps each group's figures typed (exact counts,
//! money in pence, sets of EPRs) where a frame would hold only columns of numbers.

use super::key_order;
use rustc_hash::FxHashMap;

/// A group key: the values of [`super::GroupBy::key_columns`].
pub type Key = Vec<String>;

/// Groups by key, each with its figures `A` folded from its items.
#[derive(Debug, Clone)]
pub struct Groups<A> {
    groups: FxHashMap<Key, A>,
}

impl<A> Default for Groups<A> {
    fn default() -> Self {
        Groups {
            groups: FxHashMap::default(),
        }
    }
}

impl<A: Default> Groups<A> {
    /// No groups yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The figures of the group `key`, started empty when it has none yet (a group
    /// can exist with no item: an ICS that sent no funding line).
    pub fn entry(&mut self, key: Key) -> &mut A {
        self.groups.entry(key).or_default()
    }

    /// The groups in output order: [`key_order`], then keys that order treats as
    /// equal (differing only in case) by their bytes, so the order never depends on
    /// the order items came in.
    pub fn into_sorted(self) -> Vec<(Key, A)> {
        let mut groups: Vec<(Key, A)> = self.groups.into_iter().collect();
        groups.sort_by(|a, b| output_order(&a.0, &b.0));
        groups
    }
}

/// The order groups are listed in (see [`Groups::into_sorted`]).
pub fn output_order(a: &[String], b: &[String]) -> std::cmp::Ordering {
    key_order(a, b).then_with(|| a.cmp(b))
}

/// Group `items` by `key`, folding each into its group's figures with `add`; the
/// groups in output order.
pub fn group_by_key<T, A: Default>(
    items: impl IntoIterator<Item = T>,
    mut key: impl FnMut(&T) -> Key,
    mut add: impl FnMut(&mut A, T),
) -> Vec<(Key, A)> {
    let mut groups = Groups::new();
    for item in items {
        add(groups.entry(key(&item)), item);
    }
    groups.into_sorted()
}

/// Group `items` by `key`, keeping each group's members in the order they came.
pub fn members_by_key<T>(
    items: impl IntoIterator<Item = T>,
    key: impl FnMut(&T) -> Key,
) -> Vec<(Key, Vec<T>)> {
    group_by_key(items, key, |members: &mut Vec<T>, item| members.push(item))
}

/// Every key of `keys` once, in output order.
pub fn sorted_keys<'k>(keys: impl IntoIterator<Item = &'k Key>) -> Vec<Key> {
    let mut keys: Vec<Key> = keys.into_iter().cloned().collect();
    keys.sort_by(|a, b| output_order(a, b));
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::UNKNOWN_GROUP;

    fn key(parts: &[&str]) -> Key {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn counts_in_output_order_unknown_last() {
        let items = ["b", UNKNOWN_GROUP, "a", "B", "b"];
        let groups = group_by_key(items, |i| key(&[i]), |n: &mut u32, _| *n += 1);
        assert_eq!(
            groups,
            vec![
                (key(&["a"]), 1),
                (key(&["B"]), 1),
                (key(&["b"]), 2),
                (key(&[UNKNOWN_GROUP]), 1)
            ]
        );
    }

    #[test]
    fn order_does_not_depend_on_input_order() {
        let one = members_by_key(["b", "B", "a"], |i| key(&[i]));
        let two = members_by_key(["B", "a", "b"], |i| key(&[i]));
        let keys = |g: &[(Key, Vec<&str>)]| g.iter().map(|g| g.0.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&one), keys(&two));
    }

    #[test]
    fn sorted_keys_once_each() {
        let keys = [key(&["b"]), key(&["a"]), key(&["b"])];
        assert_eq!(sorted_keys(&keys), vec![key(&["a"]), key(&["b"])]);
    }
}

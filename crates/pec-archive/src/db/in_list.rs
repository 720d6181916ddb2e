//! `IN (…)` lists of parameters for queries that ask about many rows at once. A list's length is
//! rounded up to a power of two by repeating its last item (which changes nothing an `IN` asks), so
//! a query has a handful of spellings to prepare and keep, not one per length.

/// `?1, ?2, …` for `items`, and the items to bind to them (padded; see the module).
pub fn in_list<T: Clone>(items: &[T]) -> (String, Vec<T>) {
    let mut padded = items.to_vec();
    if let Some(last) = items.last() {
        padded.resize(items.len().next_power_of_two(), last.clone());
    }
    let marks = (1..=padded.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    (marks, padded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_padded_with_their_last_item() {
        let (marks, items) = in_list(&["a", "b", "c"]);
        assert_eq!(marks, "?1, ?2, ?3, ?4");
        assert_eq!(items, ["a", "b", "c", "c"]);
        assert_eq!(in_list(&["a"]).1, ["a"]);
    }
}

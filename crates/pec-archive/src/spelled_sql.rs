//! The closed sets' spellings written by hand inside SQL (issue 16 §1): a `source = 'imap'` or a
//! `kind IN ('acceptance', …)` in this crate's queries and migrations must be a spelling of its set, so
//! renaming a variant's spelling, or misspelling one in a query, fails this test instead of silently
//! matching nothing. Test-only: it reads the crate's own source files.

#[cfg(test)]
mod tests {
    use pec_core::PecKind;
    use pec_core::correlate::{RecipientState, SentSummary};
    use pec_core::daticert::RecipientType;
    use pec_core::signature::SignatureStatus;

    use crate::origin::{FolderRole, Source};
    use crate::outbox::OutboxState;

    /// Every source file of this crate that writes SQL, by name.
    const SOURCES: &[(&str, &str)] = &[
        ("anchor.rs", include_str!("anchor.rs")),
        ("blob.rs", include_str!("blob.rs")),
        ("documents.rs", include_str!("documents.rs")),
        ("item.rs", include_str!("item.rs")),
        ("journal.rs", include_str!("journal.rs")),
        ("links.rs", include_str!("links.rs")),
        ("listing.rs", include_str!("listing.rs")),
        ("migrations.rs", include_str!("migrations.rs")),
        ("open.rs", include_str!("open.rs")),
        ("outbox.rs", include_str!("outbox.rs")),
        ("query.rs", include_str!("query.rs")),
        ("rebuild.rs", include_str!("rebuild.rs")),
        ("rows.rs", include_str!("rows.rs")),
        ("search/mod.rs", include_str!("search/mod.rs")),
        (
            "search/newest_first.rs",
            include_str!("search/newest_first.rs"),
        ),
        ("sends.rs", include_str!("sends.rs")),
        ("store.rs", include_str!("store.rs")),
        ("sync_state.rs", include_str!("sync_state.rs")),
        ("witness.rs", include_str!("witness.rs")),
        ("check/messages.rs", include_str!("check/messages.rs")),
        ("check/provenance.rs", include_str!("check/provenance.rs")),
        ("check/sends.rs", include_str!("check/sends.rs")),
        (
            "db/postgres/schema.rs",
            include_str!("db/postgres/schema.rs"),
        ),
    ];

    /// Whether `value` spells a member of the set stored in `column`.
    fn spells(column: &str, value: &str) -> bool {
        match column {
            "source" => value.parse::<Source>().is_ok(),
            "kind" => value.parse::<PecKind>().is_ok(),
            "family" => value.parse::<pec_core::Family>().is_ok(),
            "folder_role" => value.parse::<FolderRole>().is_ok(),
            "type" => value.parse::<RecipientType>().is_ok(),
            "state" => {
                value.parse::<RecipientState>().is_ok() || value.parse::<OutboxState>().is_ok()
            }
            "summary" => value.parse::<SentSummary>().is_ok(),
            "sig_status" => value.parse::<SignatureStatus>().is_ok(),
            "qualified" => value.parse::<pec_document::Qualified>().is_ok(),
            "time_basis" => value.parse::<pec_core::signature::TimeBasis>().is_ok(),
            _ => true,
        }
    }

    /// The quoted literals compared with `column` in `sql`: after `=`, `!=`, `<>` or in an `IN (…)`.
    fn literals<'a>(sql: &'a str, column: &str) -> Vec<&'a str> {
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(i) = sql[at..].find(column) {
            let start = at + i;
            at = start + column.len();
            let before = sql[..start].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue; // part of a longer name (`link_kind`, `subtype`)
            }
            // `coalesce(type, '') != 'esterno'`: past the closing of a call around the column.
            let rest = sql[at..].trim_start_matches([')', ',', ' ', '\'']);
            let after = ["!=", "<>", "=", "IN ("]
                .iter()
                .find_map(|op| rest.strip_prefix(op))
                .map(str::trim_start);
            let Some(after) = after else { continue };
            let single = !rest.starts_with("IN (");
            let mut tail = after;
            while let Some(quoted) = tail.strip_prefix('\'') {
                let Some(end) = quoted.find('\'') else { break };
                found.push(&quoted[..end]);
                if single {
                    break;
                }
                tail = quoted[end + 1..].trim_start();
                match tail.strip_prefix(',') {
                    Some(more) => tail = more.trim_start(),
                    None => break,
                }
            }
        }
        found
    }

    #[test]
    fn every_spelling_written_in_sql_is_one_of_its_closed_set_issue_16() {
        let mut checked = 0;
        for (file, text) in SOURCES {
            for column in [
                "source",
                "kind",
                "folder_role",
                "type",
                "state",
                "summary",
                "sig_status",
                "qualified",
                "time_basis",
            ] {
                for value in literals(text, column) {
                    checked += 1;
                    assert!(
                        value.contains('{') || spells(column, value),
                        "{file}: '{value}' compared with {column} is no spelling of its set"
                    );
                }
            }
        }
        assert!(
            checked >= 20,
            "only {checked} literals found: the scan is broken"
        );
    }

    #[test]
    fn the_scan_finds_comparisons_and_lists_and_skips_longer_names() {
        let sql = "WHERE o.source = 'imap' AND kind IN ('acceptance', 'delivery') \
                   AND link_kind = 'x' AND coalesce(type, '') != 'esterno'";
        assert_eq!(literals(sql, "source"), ["imap"]);
        assert_eq!(literals(sql, "kind"), ["acceptance", "delivery"]);
        assert_eq!(literals(sql, "type"), ["esterno"]);
        assert!(!spells("kind", "acceptanse"));
    }
}

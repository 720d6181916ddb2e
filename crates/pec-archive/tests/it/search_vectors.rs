//! The search document's words as written, made by Attesta (`simple_vector`) instead of the
//! server's parser, against the server's own `to_tsvector('simple', …)` over every message of the
//! real corpus (PEC, REM, signed documents and e-invoices) and over words chosen to trip the parser:
//! where Attesta makes the vector, it must be the server's, lexeme for lexeme and position for
//! position; elsewhere it leaves the cutting to the server.

use pec_archive::Reading;
use pec_archive::db::Db;
use pec_archive::db::postgres::search::{simple_vector, words_and_prose};
use pec_archive::db::postgres::{Address, PgConn};
use pec_core::signature::TrustAnchors;
use pec_testkit::corpus;

use super::{now, on_postgres};

/// Every file under the corpus's folders.
fn corpus_messages(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.is_file() {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn attesta_makes_the_vectors_the_server_would_make() {
    if !on_postgres() {
        println!("SKIPPED: the oracle is PostgreSQL's parser (ATTESTA_TEST_ENGINE=postgres)");
        return;
    }
    let Some(dir) = corpus::dir_or_skip("search vectors against the server's parser") else {
        return;
    };
    let server = Address::test_server().unwrap().unwrap();
    let db = Db::Postgres(PgConn::connect(&server).unwrap());
    let anchors = TrustAnchors::builtin();
    let mut words: Vec<(String, String)> = corpus_messages(&dir)
        .into_iter()
        .map(|(name, raw)| {
            let reading = Reading::of(&raw, &anchors, now());
            (name, words_and_prose(&reading.search).0)
        })
        .collect();
    for tricky in [
        "1e10 3e8a 12e x86 0x1f 00012 99999999999999999999 e5 5e 1e5e3",
        "a a a a b a",
        "",
    ] {
        words.push((format!("{tricky:?}"), tricky.to_owned()));
    }
    words.push(("a long word".into(), format!("x {} y", "z".repeat(3000))));
    words.push(("many of one".into(), vec!["ok"; 20_000].join(" ")));
    let mut made = 0;
    for (name, words) in &words {
        let Some(vector) = simple_vector(words) else {
            continue;
        };
        made += 1;
        let (ours, theirs): (String, String) = db
            .query_row(
                "SELECT ?1::text::tsvector::text, to_tsvector('simple', ?2)::text",
                pec_archive::db::params![vector, words],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(ours, theirs, "{name}");
    }
    // Most messages are ASCII once folded: the vector is made for them, not only for the easy ones.
    assert!(made * 2 > words.len(), "{made} of {}", words.len());
    println!(
        "{made} of {} vectors made by Attesta, all as the server's",
        words.len()
    );
}

//! Moving an archive (issue 18 §5): a person's file into another archive — the firm's server when the
//! suite runs on PostgreSQL, another file otherwise — and back to a file. Nothing lost (bytes, origins,
//! INTERNALDATEs, first sights, verdicts), nothing doubled, a second run adds nothing, and a move cut
//! short resumes.

use pec_archive::Archive;

use super::{fresh, now, signed, store_files};

/// Every message as (SHA-256, origins with their times, latest verdict status), sorted.
fn holdings(archive: &Archive) -> Vec<String> {
    let mut out: Vec<String> = (1..=archive.message_count().unwrap() as i64)
        .map(|id| {
            let item = archive.item(id, now()).unwrap();
            let bytes = pec_archive::store::address(&archive.raw(id).unwrap());
            format!(
                "{} {:?} {:?} {:?} {:?}",
                item.sha256,
                bytes,
                item.origins,
                item.verdicts.first().map(|v| (v.status, v.signed_at)),
                item.archived_at,
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn issue_18_an_archive_moves_whole_and_back_and_a_second_run_adds_nothing() {
    let Some(signed) = signed() else { return };
    let source_dir = tempfile::tempdir().unwrap();
    let mut source = Archive::open(&Archive::file_in(source_dir.path())).unwrap();
    store_files(&mut source, &signed.anchors, &signed.files);
    // One message arrives twice (a second origin): both origins must move.
    store_files(
        &mut source,
        &signed.anchors,
        &[("/elsewhere/copy.eml".to_owned(), signed.files[1].1.clone())],
    );
    let (_dir, mut target) = fresh();
    let report = source
        .migrate_into(&mut target, now(), &mut |_, _| {})
        .unwrap();
    assert_eq!(report.messages, 4);
    assert_eq!(report.new, 4);
    assert_eq!(report.origins_added, 5);
    assert!(report.missing.is_empty(), "{:?}", report.missing);
    assert!(target.check().unwrap().is_clean());
    assert_eq!(holdings(&target), holdings(&source));
    let sends = |a: &Archive| format!("{:?}", a.status(&Default::default(), now()).unwrap());
    assert_eq!(sends(&target), sends(&source));

    let again = source
        .migrate_into(&mut target, now(), &mut |_, _| {})
        .unwrap();
    assert_eq!((again.new, again.origins_added), (0, 0));
    assert_eq!(holdings(&target), holdings(&source));

    let back_dir = tempfile::tempdir().unwrap();
    let mut back = Archive::open(&Archive::file_in(back_dir.path())).unwrap();
    let report = target
        .migrate_into(&mut back, now(), &mut |_, _| {})
        .unwrap();
    assert!(report.missing.is_empty(), "{:?}", report.missing);
    assert!(back.check().unwrap().is_clean());
    assert_eq!(holdings(&back), holdings(&source));
}

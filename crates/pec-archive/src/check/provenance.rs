//! Part of step 3 of `archive check`: a stored message's origins, verdict and signed attachments'
//! verdicts against the ones the journal recorded.

use crate::db::Db;
use sha2::{Digest, Sha256};

use super::recorded::Recorded;
use super::{Add, ProblemCode};
use crate::item::{ORIGIN_COLUMNS, read_origin};
use crate::journal::hex;
use crate::origin::Origin;

/// Every recorded origin is still there with the INTERNALDATE recorded of it, and no other.
pub(super) fn origins(
    conn: &Db,
    id: i64,
    rec: &Recorded,
    add: &mut Add<'_>,
) -> crate::db::Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ORIGIN_COLUMNS}, received_at FROM origins WHERE raw_id = ?1"
    ))?;
    let mut stored: Vec<(Origin, Option<String>)> = stmt
        .query_map([id], |r| Ok((read_origin(r)?, r.get("received_at")?)))?
        .collect::<crate::db::Result<_>>()?;
    for (origin, received) in &rec.origins {
        // NOTE: a submission whose sender alone differs (issue 18 §3) is said as such, with both
        // names, rather than as one origin removed and another inserted.
        let same_but_sender = |(o, at): &(Origin, Option<String>)| {
            at == received && o.sent_by() != origin.sent_by() && anonymous(o) == anonymous(origin)
        };
        if let Some(i) = stored
            .iter()
            .position(|(o, at)| o == origin && at == received)
        {
            stored.swap_remove(i);
            continue;
        }
        match stored.iter().position(same_but_sender) {
            Some(i) => {
                let (now, _) = stored.swap_remove(i);
                add(
                    ProblemCode::SenderAltered,
                    Some(id),
                    format!(
                        "message {id}: the journal recorded it as sent by {}; the database now says {}",
                        named(origin.sent_by()),
                        named(now.sent_by())
                    ),
                );
            }
            None => add(
                ProblemCode::OriginRemoved,
                Some(id),
                format!(
                    "message {id}: its recorded origin \"{}\" was removed or edited",
                    origin.describe()
                ),
            ),
        }
    }
    for (origin, _) in stored {
        add(
            ProblemCode::OriginInserted,
            Some(id),
            format!(
                "message {id}: origin \"{}\" was never recorded by Attesta",
                origin.describe()
            ),
        );
    }
    Ok(())
}

/// `origin` without its sender.
fn anonymous(origin: &Origin) -> Origin {
    match origin {
        Origin::Submitted { account, .. } => Origin::Submitted {
            account: account.clone(),
            by: None,
        },
        other => other.clone(),
    }
}

/// A sender as the report names it.
fn named(person: Option<&crate::person::Person>) -> String {
    person.map_or_else(|| "no one recorded".to_owned(), |p| format!("\"{p}\""))
}

/// The latest verdict, its text and the listed status are the ones recorded.
pub(super) fn verdict(
    conn: &Db,
    id: i64,
    rec: &Recorded,
    sig_status: &str,
    signed_at: Option<&str>,
    add: &mut Add<'_>,
) -> crate::db::Result<()> {
    let Some(expected) = &rec.verdict else {
        return Ok(());
    };
    let latest = conn
        .prepare_cached(
            "SELECT v.status, v.signed_at, t.report, t.sha256 FROM verdicts v JOIN verdict_texts t ON t.id = v.text_id \
             WHERE v.raw_id = ?1 ORDER BY v.id DESC LIMIT 1",
        )?
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>("status")?,
                r.get::<_, Option<String>>("signed_at")?,
                r.get::<_, String>("report")?,
                r.get::<_, Vec<u8>>("sha256")?,
            ))
        })?
        .next()
        .transpose()?;
    let was = format!(
        "`{}`{}",
        expected.status.as_str(),
        expected
            .signed_at
            .as_deref()
            .map(|t| format!(" (signed at {t})"))
            .unwrap_or_default()
    );
    match latest {
        None => add(
            ProblemCode::VerdictAltered,
            Some(id),
            format!("message {id}: its recorded verdict {was} was removed"),
        ),
        Some((status, at, report, text_sha)) => {
            let report_sha = hex(&Sha256::digest(report.as_bytes()));
            if status != expected.status.as_str() || at != expected.signed_at {
                add(
                    ProblemCode::VerdictAltered,
                    Some(id),
                    format!(
                        "message {id}: the verdict recorded was {was}; the database now says `{status}`"
                    ),
                );
            } else if report_sha != expected.report_sha256
                || hex(&text_sha) != expected.report_sha256
            {
                add(
                    ProblemCode::VerdictAltered,
                    Some(id),
                    format!("message {id}: the text of its recorded verdict {was} was edited"),
                );
            }
        }
    }
    if sig_status != expected.status.as_str() || signed_at != expected.signed_at.as_deref() {
        add(
            ProblemCode::VerdictAltered,
            Some(id),
            format!(
                "message {id}: its listed signature status is `{sig_status}`, but the verdict recorded was {was}"
            ),
        );
    }
    Ok(())
}

/// The latest verdict of each signed attachment is the one recorded, its text unedited and its
/// closed sets readable; none was removed, none added behind Attesta's back.
pub(super) fn documents(
    conn: &Db,
    id: i64,
    rec: &Recorded,
    add: &mut Add<'_>,
) -> crate::db::Result<()> {
    let stored = crate::documents::latest(conn, id)?;
    let mut add_doc = |message: String| add(ProblemCode::DocumentVerdictAltered, Some(id), message);
    for found in &stored {
        let verdict = match &found.verdict {
            Ok(v) => v,
            Err(bad) => {
                add_doc(format!(
                    "message {id}: a recorded attachment verdict (row {}) no longer reads: {bad}",
                    found.id
                ));
                continue;
            }
        };
        let part = verdict.part;
        let Some((file, expected)) = rec.documents.get(&part) else {
            add_doc(format!(
                "message {id}: attachment {part} ({}) has a verdict `{}` that Attesta never recorded",
                verdict.name,
                verdict.status.as_str()
            ));
            continue;
        };
        let was = format!(
            "`{}` (qualified: {})",
            expected.status.as_str(),
            expected.qualified.as_str()
        );
        if found.text_sha256 != found.stored_sha256 || found.text_sha256 != expected.report_sha256 {
            add_doc(format!(
                "message {id}: the report of attachment {part} ({}), recorded as {was}, was edited",
                verdict.name
            ));
        } else if verdict.digest() != *expected || verdict.file_sha256 != *file {
            add_doc(format!(
                "message {id}: attachment {part} ({}) was recorded as {was}; the database now says `{}` (qualified: {})",
                verdict.name,
                verdict.status.as_str(),
                verdict.qualified.as_str()
            ));
        }
    }
    for (part, (_, expected)) in &rec.documents {
        let present = stored.iter().any(|s| s.part == i64::from(*part));
        if !present {
            add_doc(format!(
                "message {id}: the recorded verdict `{}` of attachment {part} was removed",
                expected.status.as_str()
            ));
        }
    }
    Ok(())
}

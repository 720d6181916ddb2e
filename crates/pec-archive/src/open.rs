//! Opening the archive: refuse what is not ours, never harm what is, migrate transactionally.
//!
//! Durability (issue 4): WAL with `synchronous = FULL`, so every committed batch of evidence survives a
//! power cut, not only a crash of the process. Writers take an exclusive lock file for the length of a
//! write, so two Attesta processes (the app and the command) never interleave the hash chain.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};

use rusqlite::{Connection, OpenFlags};

use crate::db::Db;
use crate::error::ArchiveError;
use crate::head;
use crate::location::Location;
use crate::migrations;
use crate::person::Person;
use crate::upgrade::{self, Plan, UpgradeStep};

/// Creates an empty database file for its owner only (0600), so SQLite, which gives its WAL and
/// shared-memory files the database's mode, makes those private too. Never follows a link.
fn create_private_file(path: &Path) -> Result<(), ArchiveError> {
    match File::options()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        // Made by another process in the meantime: SQLite judges what is there.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(ArchiveError::io(path, e)),
    }
}

/// How long a writer waits for another process's write to finish.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// An open archive.
pub struct Archive {
    pub(crate) conn: Db,
    /// Where the archive is, to open another connection to it.
    location: Location,
    path: PathBuf,
    pub(crate) head_path: PathBuf,
    lock_path: PathBuf,
    /// Who this handle writes as (issue 18 §3): every journal entry it appends names them, and a
    /// message it submits records them as its sender. Set once, right after opening
    /// ([`Archive::acting_as`]).
    pub(crate) actor: Option<Person>,
    /// What finds and verifies signed attachments (issue 15 §6, [`Archive::checking_documents`]).
    pub(crate) documents: Option<std::sync::Arc<dyn crate::documents::DocumentChecker>>,
}

/// Held while writing; released on drop.
pub(crate) struct WriteLock {
    _file: File,
}

impl Archive {
    /// The archive file inside a data directory.
    pub fn file_in(dir: &Path) -> PathBuf {
        dir.join("archive.sqlite3")
    }

    /// Opens (or creates) the archive at `path`, upgrading its schema if needed (see
    /// [`crate::upgrade`]: a copy is kept until the upgrade is verified).
    pub fn open(path: &Path) -> Result<Archive, ArchiveError> {
        Archive::open_upgrading(path, &mut |_| {})
    }

    /// [`Archive::open`], telling `progress` where an upgrade is (nothing when there is none).
    pub fn open_upgrading(
        path: &Path,
        progress: &mut dyn FnMut(&UpgradeStep),
    ) -> Result<Archive, ArchiveError> {
        Archive::open_with(path, &Plan::CURRENT, progress)
    }

    /// [`Archive::open_upgrading`] with the migrations of `plan`.
    pub(crate) fn open_with(
        path: &Path,
        plan: &Plan<'_>,
        progress: &mut dyn FnMut(&UpgradeStep),
    ) -> Result<Archive, ArchiveError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.exists()
        {
            // Issue 13 §5: a data directory the archive makes is its owner's only.
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(|e| ArchiveError::io(parent, e))?;
        }
        let existed = refuse_foreign_file(path)?;
        if !existed {
            create_private_file(path)?;
        }
        let corrupt = |e: rusqlite::Error| classify_open_error(path, e);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(corrupt)?;
        conn.busy_timeout(LOCK_WAIT).map_err(corrupt)?;
        // Reading the schema first makes a damaged file fail here, before anything is written.
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(corrupt)?;
        let conn = Db::Sqlite(conn);
        let version = migrations::current(&conn).map_err(|e| match e {
            crate::db::Error::Sqlite(e) => corrupt(e),
            e => e.into(),
        })?;
        let Db::Sqlite(conn) = conn else {
            unreachable!("opened as SQLite")
        };
        if existed && version == 0 && tables > 0 {
            return Err(ArchiveError::NotAnArchive { path: path.into() });
        }
        let latest = migrations::latest_of(plan.steps);
        if version > latest {
            return Err(ArchiveError::TooNew {
                path: path.into(),
                found: version,
                known: latest,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(corrupt)?;
        let archive = Archive {
            location: Location::File(path.into()),
            head_path: head::path_for(path),
            lock_path: lock_path_for(path),
            path: path.into(),
            conn: Db::Sqlite(conn),
            actor: None,
            documents: None,
        };
        archive.keep_private()?;
        if version == 0 {
            // A new, empty file: nothing to keep a copy of.
            let _lock = archive.lock()?;
            migrations::run_steps(&archive.conn, plan.steps, &mut |_, _, _| {}).map_err(
                |(v, e)| ArchiveError::MigrationFailed {
                    path: path.into(),
                    version: v,
                    detail: e.to_string(),
                },
            )?;
        }
        upgrade::bring_up_to_date(archive, plan, progress)
    }

    /// Opens (or creates) the firm's shared archive on a PostgreSQL server (issue 18), bringing its
    /// schema up to date step by step under the writers' lock. `local` is this desktop's data directory:
    /// it keeps this desktop's witness of the chain's end (the head file), the server keeps the rest.
    pub fn open_postgres(
        address: &crate::db::postgres::Address,
        local: &Path,
    ) -> Result<Archive, ArchiveError> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(local)
            .map_err(|e| ArchiveError::io(local, e))?;
        let conn = connect_server(address, false)?;
        let version = migrations::current(&conn)?;
        let steps = migrations::of(&conn);
        let latest = migrations::latest_of(steps);
        let shown = PathBuf::from(&address.shown);
        if version > latest {
            return Err(ArchiveError::TooNew {
                path: shown,
                found: version,
                known: latest,
            });
        }
        migrations::run_steps(&conn, steps, &mut |_, _, _| {}).map_err(|(v, e)| {
            ArchiveError::MigrationFailed {
                path: shown.clone(),
                version: v,
                detail: e.to_string(),
            }
        })?;
        Ok(on_server(conn, address, local))
    }

    /// Opens an existing archive for reading only (e.g. a second connection for lookups while another
    /// one writes). Never creates, migrates or writes.
    pub fn open_read_only(path: &Path) -> Result<Archive, ArchiveError> {
        refuse_foreign_file(path)?;
        let corrupt = |e: rusqlite::Error| classify_open_error(path, e);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(corrupt)?;
        conn.busy_timeout(LOCK_WAIT).map_err(corrupt)?;
        let conn = Db::Sqlite(conn);
        let version = migrations::current(&conn)?;
        if version != migrations::latest() {
            return Err(ArchiveError::TooNew {
                path: path.into(),
                found: version,
                known: migrations::latest(),
            });
        }
        Ok(Archive {
            location: Location::File(path.into()),
            head_path: head::path_for(path),
            lock_path: lock_path_for(path),
            path: path.into(),
            conn,
            actor: None,
            documents: None,
        })
    }

    /// Takes group and other permissions off the archive's files (database, WAL, shared memory, head,
    /// lock) that are ours: evidence and its index are their owner's only (issue 13 §5). SQLite gives
    /// the WAL and shared-memory files the database's mode; an archive made by an older Attesta is
    /// tightened here.
    fn keep_private(&self) -> Result<(), ArchiveError> {
        let me = std::fs::metadata(&self.path)
            .map_err(|e| ArchiveError::io(&self.path, e))?
            .uid();
        let mut files = vec![
            self.path.clone(),
            self.head_path.clone(),
            self.lock_path.clone(),
        ];
        for suffix in ["-wal", "-shm"] {
            let mut name = self.path.as_os_str().to_owned();
            name.push(suffix);
            files.push(PathBuf::from(name));
        }
        for file in files {
            let Ok(meta) = std::fs::symlink_metadata(&file) else {
                continue;
            };
            let mode = meta.permissions().mode();
            if meta.is_file() && meta.uid() == me && mode & 0o077 != 0 {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode & 0o700))
                    .map_err(|e| ArchiveError::io(&file, e))?;
            }
        }
        Ok(())
    }

    /// The SQLite connection, for what only a file archive has (its copy before an upgrade, pragmas).
    pub(crate) fn sqlite(&self) -> Result<&Connection, ArchiveError> {
        self.conn.sqlite().ok_or_else(|| {
            ArchiveError::Database(crate::db::Error::Connect(
                "this needs an archive file, and the archive is on a server".into(),
            ))
        })
    }

    /// Where the archive is (a file, or a server), to open another connection to it.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Opens a second connection to the firm's shared archive for reading only: every transaction of
    /// the session is read-only, so nothing it runs can write. Never migrates.
    pub fn open_postgres_read_only(
        address: &crate::db::postgres::Address,
        local: &Path,
    ) -> Result<Archive, ArchiveError> {
        let conn = connect_server(address, true)?;
        let version = migrations::current(&conn)?;
        let latest = migrations::latest_of(migrations::of(&conn));
        let shown = PathBuf::from(&address.shown);
        if version != latest {
            return Err(ArchiveError::TooNew {
                path: shown,
                found: version,
                known: latest,
            });
        }
        Ok(on_server(conn, address, local))
    }

    /// This handle, writing as `person` from now on: every journal entry it appends says who did it,
    /// and what it submits records its sender (issue 18 §3). `None` writes as no one in particular,
    /// as every archive did before people were recorded.
    pub fn acting_as(mut self, person: Option<Person>) -> Archive {
        self.actor = person;
        self
    }

    /// Who this handle writes as.
    pub fn actor(&self) -> Option<&Person> {
        self.actor.as_ref()
    }

    /// The database file (or, on a server, the address as the user gave it).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes the writer's lock, waiting for another process's write to finish. On PostgreSQL, writers
    /// queue on the server's advisory lock inside each transaction instead (see [`crate::db`]); this
    /// desktop's own lock then only keeps its head file's updates in order.
    pub(crate) fn lock(&self) -> Result<WriteLock, ArchiveError> {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&self.lock_path)
            .map_err(|e| ArchiveError::io(&self.lock_path, e))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WriteLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(ArchiveError::Busy {
                        path: self.lock_path.clone(),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(ArchiveError::io(&self.lock_path, e));
                }
            }
        }
    }
}

/// A connection to the server at `address` (reading only, if `read_only`: every transaction of the
/// session is), refused by name when this role was not granted the archive there (the server would
/// only say "permission denied" on the first table).
pub(crate) fn connect_server(
    address: &crate::db::postgres::Address,
    read_only: bool,
) -> Result<Db, ArchiveError> {
    let conn = Db::Postgres(crate::db::postgres::PgConn::connect(address).map_err(|e| {
        if e.is_unreachable() {
            ArchiveError::Unreachable {
                detail: format!("{}: {e}", address.shown),
            }
        } else {
            ArchiveError::Server {
                address: address.shown.clone(),
                detail: e.to_string(),
            }
        }
    })?);
    if read_only {
        conn.execute_batch("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
    }
    // NOTE: the row-level security policies (schema step 10) make the planner's cost estimates of a
    // plain list or count high enough to start JIT compilation, which then costs more (20–40 ms on a
    // 20,000-message archive) than the whole query (a few ms): Attesta's queries are short ones.
    conn.execute_batch("SET jit = off")?;
    let granted: bool = conn.query_row(GRANTED, [], |r| r.get(0))?;
    if !granted {
        return Err(ArchiveError::NotGranted {
            address: address.shown.clone(),
        });
    }
    Ok(conn)
}

/// The archive on the server at `address`, over `conn`, with this desktop's witness in `local`.
fn on_server(conn: Db, address: &crate::db::postgres::Address, local: &Path) -> Archive {
    Archive {
        location: Location::Server {
            address: Box::new(address.clone()),
            local: local.to_path_buf(),
        },
        head_path: witness_path(address, local),
        lock_path: lock_path_for(&local.join("archive.postgres")),
        path: PathBuf::from(&address.shown),
        conn,
        actor: None,
        documents: None,
    }
}

/// Whether this role may read the archive's tables (true for a database with none yet). Read from the
/// catalog tables, not `to_regclass` (see `migrations::current`).
const GRANTED: &str = "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_tables WHERE \
     schemaname = current_schema() AND tablename = 'attesta_schema') \
     THEN has_table_privilege('attesta_schema', 'SELECT') ELSE true END";

/// This desktop's witness of the chain of the server archive at `address` (see `check/chain.rs`):
/// one per archive, so that a data directory moved to another server, or back, never holds one
/// archive's chain to another's end.
fn witness_path(address: &crate::db::postgres::Address, local: &Path) -> PathBuf {
    local.join(format!("archive.postgres.{}.head", address.file_key()))
}

fn lock_path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Refuses a file that exists and is not an SQLite database. Returns whether the file existed (with
/// content).
fn refuse_foreign_file(path: &Path) -> Result<bool, ArchiveError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(ArchiveError::io(path, e)),
    };
    let mut magic = [0u8; 16];
    let mut read = 0;
    while read < magic.len() {
        match file.read(&mut magic[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(ArchiveError::io(path, e)),
        }
    }
    if read == 0 {
        return Ok(false);
    }
    if read < magic.len() || &magic != b"SQLite format 3\0" {
        return Err(ArchiveError::NotAnArchive { path: path.into() });
    }
    Ok(true)
}

fn classify_open_error(path: &Path, e: rusqlite::Error) -> ArchiveError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => ArchiveError::NotAnArchive { path: path.into() },
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => ArchiveError::Corrupt {
            path: path.into(),
            detail: e.to_string(),
        },
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            ArchiveError::Busy { path: path.into() }
        }
        _ => ArchiveError::from(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_archive_is_created_at_the_latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("archive.sqlite3");
        let a = Archive::open(&path).unwrap();
        assert_eq!(migrations::current(&a.conn).unwrap(), migrations::latest());
        drop(a);
        Archive::open(&path).unwrap();
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn issue_13_a_new_archive_and_its_folder_are_their_owners_only() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("attesta");
        let path = data.join("archive.sqlite3");
        let a = Archive::open(&path).unwrap();
        let _lock = a.lock().unwrap();
        assert_eq!(mode(&data), 0o700);
        for name in [
            "archive.sqlite3",
            "archive.sqlite3-wal",
            "archive.sqlite3-shm",
            "archive.sqlite3.lock",
        ] {
            assert_eq!(mode(&data.join(name)), 0o600, "{name}");
        }
    }

    #[test]
    fn issue_13_an_older_archive_readable_by_others_is_made_private_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.sqlite3");
        drop(Archive::open(&path).unwrap());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(Archive::open(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.sqlite3");
        std::fs::write(&path, b"my precious notes, not a database").unwrap();
        let err = Archive::open(&path).err().unwrap();
        assert!(matches!(err, ArchiveError::NotAnArchive { .. }), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"my precious notes, not a database"
        );
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite3");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        assert!(matches!(
            Archive::open(&path).err().unwrap(),
            ArchiveError::NotAnArchive { .. }
        ));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_damaged_archive_is_reported_and_never_reset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.sqlite3");
        {
            let a = Archive::open(&path).unwrap();
            a.conn
                .execute_batch(
                    "CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n \
                     WHERE i < 2000) INSERT INTO filler SELECT randomblob(500) FROM n;",
                )
                .unwrap();
            a.checkpoint().unwrap();
        }
        // Cut the file in half, as a full disk or a bad copy would.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let _ = std::fs::remove_file(path.with_extension("sqlite3-wal"));
        let damaged = std::fs::read(&path).unwrap();
        let outcome = Archive::open(&path).and_then(|a| a.check());
        match outcome {
            Err(e) => assert!(!e.to_string().is_empty()),
            Ok(report) => assert!(!report.is_clean(), "damage must show"),
        }
        assert_eq!(
            std::fs::read(&path).unwrap(),
            damaged,
            "the file was left as it was"
        );
    }

    #[test]
    fn an_archive_from_a_newer_attesta_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.sqlite3");
        drop(Archive::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Archive::open(&path).err().unwrap();
        assert!(
            matches!(err, ArchiveError::TooNew { found: 99, .. }),
            "{err}"
        );
    }
}

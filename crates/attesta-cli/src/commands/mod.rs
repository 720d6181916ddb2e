//! One module per subcommand.

pub mod account;
pub mod archive;
pub mod export;
pub mod extract;
pub mod import;
pub mod inspect;
pub mod lab;
pub mod outbox;
pub mod search;
pub mod send;
pub mod show;
pub mod status;
pub mod sync;
pub mod trust;
pub mod user;
pub mod verify;
pub mod verify_doc;
pub mod verify_pack;

//! pec-rem against AgID's REM-Policy-IT 1.2 kit (`../shared/corpus/rem`), read in place.

mod evidence;
mod forgery;
mod kit;
mod messages;
mod oracle;

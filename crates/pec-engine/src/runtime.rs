//! The one way synchronous code runs network work: a current-thread tokio runtime with I/O and timers
//! (issue 16 §3: one helper instead of a copy per caller). Used by sync, send, account set-up and the
//! `attesta` command; a runtime that cannot start is a typed [`RuntimeError`], never a string.

/// The operating system refused what a runtime needs (an epoll instance, a timer, a thread).
#[derive(Debug, thiserror::Error)]
#[error("cannot start the network runtime: {0}")]
pub struct RuntimeError(#[source] pub std::io::Error);

/// A runtime for the network work of one call (sync, send, a connection test).
pub fn network() -> Result<tokio::runtime::Runtime, RuntimeError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(RuntimeError)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_network_runtime_runs_timers_and_returns_what_the_work_returns() {
        let runtime = super::network().unwrap();
        let out = runtime.block_on(async {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            7
        });
        assert_eq!(out, 7);
    }
}

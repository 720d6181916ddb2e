//! Waiting between reconnection attempts: 1 s, 2 s, 4 s … up to a ceiling, so a restarting server is
//! caught quickly and a dead one is not hammered.

use std::time::Duration;

/// A sequence of waits.
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
    ceiling: Duration,
    attempts: u32,
    max_attempts: u32,
}

impl Backoff {
    /// Waits from 1 s doubling to `ceiling`, at most `max_attempts` times.
    pub fn new(ceiling: Duration, max_attempts: u32) -> Backoff {
        Backoff {
            next: Duration::from_millis(500),
            ceiling,
            attempts: 0,
            max_attempts,
        }
    }

    /// The next wait, or `None` when the attempts are used up.
    pub fn next_wait(&mut self) -> Option<Duration> {
        if self.attempts >= self.max_attempts {
            return None;
        }
        self.attempts += 1;
        let wait = self.next;
        self.next = (self.next * 2).min(self.ceiling);
        Some(wait)
    }

    /// Starts over (after a success).
    pub fn reset(&mut self) {
        self.next = Duration::from_millis(500);
        self.attempts = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_ceiling_then_stop() {
        let mut b = Backoff::new(Duration::from_secs(3), 5);
        let waits: Vec<_> = std::iter::from_fn(|| b.next_wait()).collect();
        assert_eq!(
            waits,
            [500, 1000, 2000, 3000, 3000].map(Duration::from_millis)
        );
        b.reset();
        assert_eq!(b.next_wait(), Some(Duration::from_millis(500)));
    }
}

//! Fault points, for the tests that prove a bug or a slow step cannot hold anything up: a test
//! arms a point for one company, and the code passing that point for that company panics, as a
//! bug would, or stalls. The rest of the process (other tests' companies included) runs on
//! untouched.
//!
//! Only debug builds (the tests') have the switch: in a release build [`hit`] is empty, so no
//! input can make production panic this way.

/// Where a test can make the code panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// In a posting, after its entries were inserted and before the balances are written: in
    /// the middle of a write transaction, from a mutation or a job.
    Posting,
}

/// What an armed point does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Panic,
    /// Waits this long before going on: work slower than any time limit.
    Stall(std::time::Duration),
}

#[cfg(debug_assertions)]
static ARMED: std::sync::Mutex<std::collections::BTreeMap<(Fault, i64), Action>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

#[cfg(debug_assertions)]
fn armed() -> std::sync::MutexGuard<'static, std::collections::BTreeMap<(Fault, i64), Action>> {
    ARMED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Makes `point` do `action` for `company_id` until the returned guard is dropped.
///
/// The switch is one per process and keyed by company id: the test harness numbers each test
/// database's companies from a block of its own, so one test's point never reaches another's.
#[cfg(debug_assertions)]
pub fn arm(point: Fault, company_id: i64, action: Action) -> Armed {
    armed().insert((point, company_id), action);
    Armed(point, company_id)
}

/// Disarms its point when dropped, also when the test fails.
#[cfg(debug_assertions)]
#[must_use = "the point is disarmed when this is dropped"]
pub struct Armed(Fault, i64);

#[cfg(debug_assertions)]
impl Drop for Armed {
    fn drop(&mut self) {
        armed().remove(&(self.0, self.1));
    }
}

/// Does what a test armed `point` for `company_id` to do, if anything.
#[inline]
pub async fn hit(point: Fault, company_id: i64) {
    #[cfg(debug_assertions)]
    {
        let action = armed().get(&(point, company_id)).copied();
        match action {
            Some(Action::Panic) => panic!("fault point {point:?} armed for company {company_id}"),
            Some(Action::Stall(how_long)) => tokio::time::sleep(how_long).await,
            None => {}
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = (point, company_id);
}

/// The text a caught panic carried, for the log.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

//! Panics while reading a file: caught and made that file's error (a reader or the
//! normalisation of one workbook must never abort the run), and kept off stderr
//! while they are caught, without silencing panics anywhere else.
//!
//! The panic hook is process-wide, and files are read on several threads (and
//! `trend` loads several snapshots at once), so it is not swapped per call: while
//! any [`QuietPanics`] guard is alive a hook is installed that stays silent only on
//! threads holding a guard and passes every other panic to the hook it replaced; the
//! last guard to go puts that hook back, even when the guarded code panicked.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, PanicHookInfo};
use std::sync::{Arc, Mutex, MutexGuard};

/// A panic hook, as [`std::panic::take_hook`] returns it.
type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The hook in place before the first live guard, and how many guards are alive.
struct Installed {
    previous: Arc<Hook>,
    guards: usize,
}

/// `Some` while any guard is alive.
static INSTALLED: Mutex<Option<Installed>> = Mutex::new(None);

thread_local! {
    /// Guards alive on this thread: its panics are caught, and not printed.
    static QUIET: Cell<usize> = const { Cell::new(0) };
}

/// The installed state; a poisoned lock is still usable (nothing in it is left half
/// written by a panic: it is only read and replaced whole).
fn installed() -> MutexGuard<'static, Option<Installed>> {
    INSTALLED.lock().unwrap_or_else(|e| e.into_inner())
}

/// While alive, panics on this thread are not printed (they are caught and reported
/// as the file's error); see the module documentation.
#[must_use = "panics are quiet only while the guard is alive"]
pub struct QuietPanics {
    // Not Send: the quiet flag belongs to the thread that set it.
    _thread_bound: std::marker::PhantomData<*const ()>,
}

impl QuietPanics {
    /// Quiet this thread's panics until the guard is dropped.
    pub fn enter() -> QuietPanics {
        let mut state = installed();
        match state.as_mut() {
            Some(installed) => installed.guards += 1,
            None => {
                let previous: Arc<Hook> = Arc::new(panic::take_hook());
                let passed_on = Arc::clone(&previous);
                panic::set_hook(Box::new(move |info| {
                    if QUIET.with(Cell::get) == 0 {
                        passed_on(info);
                    }
                }));
                *state = Some(Installed {
                    previous,
                    guards: 1,
                });
            }
        }
        QUIET.with(|q| q.set(q.get() + 1));
        QuietPanics {
            _thread_bound: std::marker::PhantomData,
        }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(q.get().saturating_sub(1)));
        let mut state = installed();
        let Some(installed) = state.as_mut() else {
            return;
        };
        installed.guards = installed.guards.saturating_sub(1);
        // The hook cannot be changed from a panicking thread; left in place it passes
        // every panic of a thread without a guard on, as the previous hook would.
        if installed.guards == 0 && !std::thread::panicking() {
            if let Some(installed) = state.take() {
                let previous = installed.previous;
                panic::set_hook(Box::new(move |info| previous(info)));
            }
        }
    }
}

/// Run `work`, turning a panic inside it into `Err` with the panic's message
/// (quietly: see [`QuietPanics`]).
pub fn catch<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let _quiet = QuietPanics::enter();
    panic::catch_unwind(panic::AssertUnwindSafe(work)).map_err(|payload| message(&*payload))
}

/// What a panic said, for a message to the user.
pub fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The panic hook is process-wide and the other tests of this binary run
    /// alongside, so the checks run in a child process of this test binary running
    /// only [`hook_child`], and the parent reads its stderr.
    #[test]
    fn caught_panics_are_quiet_and_the_hook_is_put_back() {
        let exe = std::env::current_exe().expect("the test binary");
        let out = std::process::Command::new(exe)
            .args(["--exact", "panics::tests::hook_child", "--nocapture"])
            .env("EPRSCAN_PANICS_CHILD", "1")
            .output()
            .expect("the child runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        // Caught under a guard, in the guarded thread and in a nested guard: silent.
        assert!(!stderr.contains("inside a guard"), "{stderr}");
        // Another thread's panic while a guard was alive, and a panic after the
        // last guard went (even one dropped while unwinding, and after a panic in
        // ingest::read_all_then's callback): printed by the hook that was there
        // before.
        assert!(stderr.contains("beside a guard"), "{stderr}");
        assert!(stderr.contains("after the guards"), "{stderr}");
    }

    #[test]
    fn hook_child() {
        if std::env::var_os("EPRSCAN_PANICS_CHILD").is_none() {
            return;
        }
        assert_eq!(
            catch::<()>(|| panic!("inside a guard")),
            Err("inside a guard".to_string())
        );
        let outer = QuietPanics::enter();
        let nested = catch(|| catch(|| -> u8 { panic!("inside a guard, nested {}", 2) }));
        assert_eq!(nested, Ok(Err("inside a guard, nested 2".to_string())));
        let beside = std::thread::spawn(|| panic!("beside a guard")).join();
        assert!(beside.is_err());
        drop(outer);
        // A guard dropped while its thread unwinds (a panic not caught under it).
        let unwound = panic::catch_unwind(|| {
            let _quiet = QuietPanics::enter();
            panic!("inside a guard, unwinding");
        });
        assert!(unwound.is_err());
        // A panic in read_all_then's callback (normalising a workbook) unwinds out
        // of it: the hook must not be left silenced.
        let inputs = [crate::ingest::InputFile {
            path: "no/such/file.xlsx".into(),
            display: "file.xlsx".into(),
            extension: "xlsx".into(),
        }];
        let escaped = panic::catch_unwind(|| {
            crate::ingest::read_all_then(&inputs, &Default::default(), &|| {}, |_, _| -> u8 {
                panic!("inside a guard, in the callback")
            })
        });
        assert!(escaped.is_err());
        assert_eq!(QUIET.with(Cell::get), 0);
        let after = panic::catch_unwind(|| panic!("after the guards"));
        assert!(after.is_err());
    }
}

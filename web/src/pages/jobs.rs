//! Jobs: every background run of the company with a live progress bar; queued and running
//! ones can be cancelled. `JobProgress` is the bar other pages show for the job they started.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use super::{FilterSelect, ListFooter, PageHead, filter_value, load_error};
use crate::api;
use crate::i18n::t;
use crate::model::Connection;
use crate::query::query_param;
use crate::session::use_session;
use crate::states::{JobKind, JobState};
use crate::subscription::{self, Next};
use futures::future::{AbortHandle, Abortable};

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CsvRowError {
    pub row: i64,
    pub column: String,
    pub message: String,
    pub value: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CsvImportInfo {
    pub state: String,
    pub rows_total: i64,
    pub rows_invalid: i64,
    pub row_errors: Vec<CsvRowError>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    pub kind: JobKind,
    pub state: JobState,
    pub progress_done: i64,
    pub progress_total: i64,
    pub message: Option<String>,
    pub error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub csv_import: Option<CsvImportInfo>,
}

impl Job {
    pub fn finished(&self) -> bool {
        self.state.is_finished()
    }
}

pub const JOB_FIELDS: &str = "id kind state progressDone progressTotal message error createdAt finishedAt csvImport { state rowsTotal rowsInvalid rowErrors { row column message value } }";

pub fn kind_label(kind: JobKind) -> String {
    kind.label()
}

/// Subscriptions tried before a bar polls instead.
const SUBSCRIBE_TRIES: usize = 3;

/// A progress bar that follows a job until it ends: pushed over the `jobProgress`
/// subscription, or, where no socket can be kept open, polled twice a second. `data-live` says
/// which ("connecting" until the first pushed value, then "push"; or "poll"). `on_done` runs when the job ends while watched; `started_here`
/// says the caller has just queued it, so an end seen at once counts too (a quick job can be
/// over before the socket is open).
#[component]
pub fn JobProgress(
    job_id: String,
    #[prop(optional)] on_done: Option<Callback<Job>>,
    #[prop(optional)] started_here: bool,
) -> impl IntoView {
    let job = RwSignal::new(None::<Job>);
    // "connecting" until a value arrives over the socket ("push"), or "poll" after giving up.
    let transport = RwSignal::new("connecting");
    let poll_reason = RwSignal::new(None::<String>);
    let id = job_id.clone();
    let follow = async move {
        let mut watch = JobWatch {
            job,
            on_done,
            seen_running: started_here,
        };
        // A socket that fails to open or drops is tried again (a restarting proxy, a busy
        // server) before the bar settles for polling.
        let mut failures = Vec::new();
        while failures.len() < SUBSCRIBE_TRIES {
            let pushed = subscription::subscribe(
                &format!("subscription($j: ID!) {{ jobProgress(jobId: $j) {{ {JOB_FIELDS} }} }}"),
                json!({"j": id}),
                |data| pushed_job(&data["jobProgress"], transport, |j| watch.show(j)),
            )
            .await;
            match pushed {
                Ok(()) => return,
                Err(_) if watch.over() => return,
                // Asking instead would be refused the same way.
                Err(subscription::Interrupted::Refused(why)) => {
                    leptos::logging::warn!("job {id}: {why}");
                    return;
                }
                Err(why) => {
                    leptos::logging::warn!("job {id}: the subscription ended early ({why})");
                    failures.push(why.to_string());
                    api::sleep(300).await;
                }
            }
        }
        if poll_reason.try_set(Some(failures.join("; "))).is_some() {
            return;
        }
        if transport.try_set("poll").is_some() {
            return;
        }
        #[derive(Deserialize)]
        struct Data {
            job: Option<Job>,
        }
        loop {
            if let Ok(Data { job: Some(j) }) = api::gql::<Data>(
                &format!("query($j: ID!) {{ job(id: $j) {{ {JOB_FIELDS} }} }}"),
                json!({"j": id}),
            )
            .await
                && !watch.show(j)
            {
                return;
            }
            api::sleep(500).await;
        }
    };
    // The bar's socket (or its polling) ends with the bar.
    let (stop, registration) = AbortHandle::new_pair();
    on_cleanup(move || stop.abort());
    leptos::task::spawn_local(async move {
        let _ = Abortable::new(follow, registration).await;
    });
    view! {
        <div class="job-progress" data-job=job_id data-live=move || transport.get() data-poll-reason=move || poll_reason.get()>
            {move || job.get().map(|j| view! { <JobBar job=j /> })}
        </div>
    }
}

/// Reads a job pushed over a subscription and hands it to `show` (false: nothing more to
/// follow); `transport` notes that values arrive by push.
fn pushed_job(
    value: &serde_json::Value,
    transport: RwSignal<&'static str>,
    show: impl FnOnce(Job) -> bool,
) -> Next {
    match serde_json::from_value::<Job>(value.clone()) {
        Ok(job) => {
            let _ = transport.try_set("push");
            if show(job) {
                Next::Continue
            } else {
                Next::Stop
            }
        }
        Err(e) => Next::Unreadable(e.to_string()),
    }
}

/// The state of one watched job as the bar shows it.
struct JobWatch {
    job: RwSignal<Option<Job>>,
    on_done: Option<Callback<Job>>,
    /// `on_done` is for a job that ends while watched, not one that had ended already.
    seen_running: bool,
}

impl JobWatch {
    /// Shows `j`; false once there is nothing more to follow (it ended, or the page went away).
    fn show(&mut self, j: Job) -> bool {
        let done = j.finished();
        if self.job.try_set(Some(j.clone())).is_some() {
            return false;
        }
        if done {
            if let Some(cb) = self.on_done.filter(|_| self.seen_running) {
                cb.run(j);
            }
            return false;
        }
        self.seen_running = true;
        true
    }

    /// Whether the job ended or the page went away.
    fn over(&self) -> bool {
        self.job
            .try_get_untracked()
            .is_none_or(|j| j.is_some_and(|j| j.finished()))
    }
}

#[component]
pub fn JobBar(job: Job) -> impl IntoView {
    let percent = if job.progress_total > 0 {
        job.progress_done * 100 / job.progress_total
    } else {
        0
    };
    let state_class = format!("job-state {}", job.state.code().to_lowercase());
    let errors = job
        .csv_import
        .as_ref()
        .map(|c| c.row_errors.clone())
        .unwrap_or_default();
    view! {
        <div class="job-bar">
            <div class="job-line">
                <strong>{kind_label(job.kind)}</strong>
                <span class=state_class>{job.state.label()}</span>
                <span class="muted">{format!("{percent}%")}</span>
            </div>
            <progress value=job.progress_done max=job.progress_total.max(1)></progress>
            {job.message.clone().map(|m| view! { <small class="muted job-message">{m}</small> })}
            {job.error.clone().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {(!errors.is_empty()).then(|| view! { <RowErrors errors=errors /> })}
        </div>
    }
}

#[component]
fn RowErrors(errors: Vec<CsvRowError>) -> impl IntoView {
    view! {
        <details open=true>
            <summary>{format!("{} invalid rows", errors.len())}</summary>
            <table class="row-errors">
                <thead><tr><th class="num">{t("integrations-row")}</th><th>{t("jobs-column")}</th><th>{t("jobs-what-is-wrong")}</th><th>{t("field-value")}</th></tr></thead>
                <tbody>
                    {errors.into_iter().map(|e| view! {
                        <tr><td class="num">{e.row}</td><td>{e.column}</td><td>{e.message}</td><td><code>{e.value}</code></td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// A page of runs as the list holds it, live: pushed runs replace their older state.
#[derive(Clone)]
struct JobPage {
    jobs: Vec<Job>,
    total: i64,
    next: Option<String>,
}

/// Which runs the list shows: the filters and the page from the URL.
#[derive(Clone, PartialEq)]
struct JobView {
    state: Option<JobState>,
    kind: Option<JobKind>,
    after: String,
}

impl JobView {
    fn from_codes(state: &str, kind: &str, after: String) -> Self {
        Self {
            state: JobState::ALL.iter().copied().find(|s| s.code() == state),
            kind: JobKind::ALL.iter().copied().find(|k| k.code() == kind),
            after,
        }
    }

    /// Whether a pushed run belongs on this page: an older state of a run shown here is always
    /// replaced; a new run goes on top of the first page when it passes the filters.
    fn takes(&self, list: &[Job], job: &Job) -> bool {
        list.iter().any(|j| j.id == job.id)
            || (self.after.is_empty()
                && self.state.is_none_or(|s| s == job.state)
                && self.kind.is_none_or(|k| k == job.kind))
    }
}

/// Puts a pushed run in the list: in place of its older state, or on top when new.
fn upsert(list: &mut Vec<Job>, job: Job) {
    match list.iter_mut().find(|j| j.id == job.id) {
        Some(known) => *known = job,
        None => list.insert(0, job),
    }
}

/// Rows a page of the list holds.
const PAGE: i32 = 50;

/// Every run of the company, newest first, a page at a time, filtered by state and kind (both
/// in the URL); the page follows changes live.
#[component]
pub fn Jobs() -> impl IntoView {
    let (state, set_state) = query_param("state");
    let (kind, set_kind) = query_param("kind");
    let (after, set_after) = query_param("after");
    let view_of = Memo::new(move |_| JobView::from_codes(&state.get(), &kind.get(), after.get()));
    let (restart_state, restart_kind) = (set_after.clone(), set_after.clone());
    view! {
        <PageHead title=t("nav-jobs")>
            <FilterSelect label=t("jobs-state") all=t("jobs-all-states") options=JobState::choices() value=state
                on_change=move |v| { restart_state(String::new()); set_state(v) } />
            <FilterSelect label=t("jobs-kind") all=t("jobs-all-kinds") options=JobKind::choices() value=kind
                on_change=move |v| { restart_kind(String::new()); set_kind(v) } />
        </PageHead>
        <p class="muted">{t("jobs-migrations-transfers-and-imports-run")}</p>
        {move || {
            let set_after = set_after.clone();
            view! { <JobList shown=view_of.get() on_more=move |cursor| set_after(cursor) /> }
        }}
    }
}

/// One page of runs for one choice of filters; a new choice makes a new list (and the old
/// one's subscription ends with it).
#[component]
fn JobList(
    shown: JobView,
    on_more: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let data = RwSignal::new(None::<Result<JobPage, api::ApiError>>);
    // "connecting" until a value arrives over the socket ("push"), or "poll" after giving up.
    let transport = RwSignal::new("connecting");
    let filter = shown.clone();
    let load = move || {
        let shown = filter.clone();
        async move {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Data {
                job_connection: Connection<Job>,
            }
            let vars = json!({
                "c": session.company_id(), "s": shown.state.map(JobState::code), "k": shown.kind.map(JobKind::code),
                "a": filter_value(shown.after.clone()), "n": PAGE,
            });
            let loaded = api::gql::<Data>(
                &format!("query($c: ID!, $s: JobState, $k: JobKind, $a: String, $n: Int) {{ jobConnection(companyId: $c, state: $s, kind: $k, after: $a, first: $n) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {JOB_FIELDS} }} }} }} }}"),
                vars,
            )
            .await
            .map(|d| JobPage {
                total: d.job_connection.total_count,
                next: d.job_connection.next_cursor(),
                jobs: d.job_connection.edges.into_iter().map(|e| e.node).collect(),
            });
            // False once the page is gone.
            data.try_set(Some(loaded)).is_none()
        }
    };
    // The list is loaded, then every change of any run of the company is pushed over
    // `companyJobs`; a socket that drops is reopened (the list reloaded, so nothing is missed
    // between the two); after three failures in a row the page reloads the list every two
    // seconds instead.
    let follow = async move {
        let mut failures = 0;
        while failures < SUBSCRIBE_TRIES {
            if !load().await {
                return;
            }
            let pushed = subscription::subscribe(
                &format!(
                    "subscription($c: ID!) {{ companyJobs(companyId: $c) {{ {JOB_FIELDS} }} }}"
                ),
                json!({"c": session.company_id()}),
                |pushed| {
                    pushed_job(&pushed["companyJobs"], transport, |job| {
                        data.try_update(|page| {
                            if let Some(Ok(page)) = page
                                && shown.takes(&page.jobs, &job)
                            {
                                upsert(&mut page.jobs, job);
                            }
                        })
                        .is_some()
                    })
                },
            )
            .await;
            match pushed {
                Ok(()) => return,
                Err(subscription::Interrupted::Refused(why)) => {
                    leptos::logging::warn!("jobs: {why}");
                    break;
                }
                Err(why) => {
                    leptos::logging::warn!("jobs: the subscription ended early ({why})");
                    failures += 1;
                    api::sleep(300).await;
                }
            }
        }
        if transport.try_set("poll").is_some() {
            return;
        }
        while load().await {
            api::sleep(2000).await;
        }
    };
    let (stop, registration) = AbortHandle::new_pair();
    on_cleanup(move || stop.abort());
    leptos::task::spawn_local(async move {
        let _ = Abortable::new(follow, registration).await;
    });
    let cancel = move |id: String| {
        leptos::task::spawn_local(async move {
            let _ = api::gql::<serde_json::Value>(
                "mutation($j: ID!) { cancelJob(id: $j) { id } }",
                json!({"j": id}),
            )
            .await;
            // Pushed when followed live; otherwise the next reload shows it.
        });
    };
    view! {
        <div class="jobs-list" data-live=move || transport.get()>
            {move || match data.get() {
                None => view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }.into_any(),
                Some(r) => match r {
                Ok(page) if page.jobs.is_empty() => view! { <p class="muted">{t("jobs-no-jobs-yet")}</p> }.into_any(),
                Ok(page) => {
                    let on_more = on_more.clone();
                    view! {
                    <ul class="jobs">
                        {page.jobs.into_iter().map(|j| {
                            let id = j.id.clone();
                            let can_cancel = !j.finished() && session.can_manage();
                            let created = crate::format::when(&j.created_at);
                            view! {
                                <li>
                                    <JobBar job=j />
                                    <small class="muted">{crate::i18n::t_with("jobs-job-created", &[("id", crate::i18n::s(id.clone())), ("created", crate::i18n::s(created.clone()))])}</small>
                                    {can_cancel.then(|| view! {
                                        <button class="secondary outline small" on:click=move |_| cancel(id.clone())>{t("action-cancel")}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <ListFooter total=crate::i18n::t_with("jobs-count", &[("count", crate::i18n::n(page.total as f64))]) next=page.next more=t("jobs-older") on_more=on_more />
                    }.into_any()
                }
                Err(e) => load_error(e),
                },
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, kind: &str, state: &str) -> Job {
        serde_json::from_value(json!({
            "id": id, "kind": kind, "state": state, "progressDone": 0, "progressTotal": 0,
            "createdAt": "2026-11-30T10:00:00Z",
        }))
        .expect("a job")
    }

    #[test]
    fn a_new_run_joins_only_the_first_page_and_only_when_it_passes_the_filters() {
        let failed_imports = JobView::from_codes("FAILED", "CSV_IMPORT", String::new());
        let shown = vec![job("1", "CSV_IMPORT", "FAILED")];
        assert!(failed_imports.takes(&shown, &job("2", "CSV_IMPORT", "FAILED")));
        assert!(!failed_imports.takes(&shown, &job("2", "CSV_IMPORT", "RUNNING")));
        assert!(!failed_imports.takes(&shown, &job("2", "SYNC_ITEMS", "FAILED")));
        let older_page = JobView::from_codes("", "", "cursor".into());
        assert!(!older_page.takes(&shown, &job("2", "CSV_IMPORT", "FAILED")));
    }

    #[test]
    fn a_run_already_shown_is_updated_whatever_the_filters() {
        let running = JobView::from_codes("RUNNING", "", "cursor".into());
        let mut shown = vec![job("1", "CSV_IMPORT", "RUNNING")];
        let finished = job("1", "CSV_IMPORT", "SUCCEEDED");
        assert!(running.takes(&shown, &finished));
        upsert(&mut shown, finished);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].state, JobState::Succeeded);
    }
}

//! CSV uploads: the file is kept in the database in chunks (so any worker process can read it),
//! refused when the same content was imported before, and processed by a job in three passes —
//! check every row, store the sale lines, transfer the completed days — so a file with an
//! invalid row posts nothing unless "post valid rows only" was chosen.

use crate::db::Writer;
use std::collections::BTreeMap;
use std::io::{BufReader, Read, Seek, Write};

use chrono::Utc;
pub use entity::csv_import::CsvImportState;
use entity::{csv_upload_chunk, job_run};
use futures::{Stream, StreamExt};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use super::csv_import::{self, CsvConfig, RowError};
use super::sale_lines::{self, NewSaleLine, SaleStatus};
use super::{Provider, integrations, location_lock, locations, mappings};
use crate::access::{Principal, Role};
use crate::business_days;
use crate::error::{ServiceError, ServiceResult};
use crate::job_runs::{self, JobKind, JobParams, NewJob};

/// Bytes per stored chunk.
const CHUNK: usize = 1 << 20;
/// How many row errors an import keeps (the count stays exact).
pub const KEPT_ROW_ERRORS: usize = 1000;
/// Progress of an import runs 0..1000: checking, storing, then posting days.
pub const PROGRESS_TOTAL: i64 = 1000;

pub struct Upload<S> {
    pub integration_id: i64,
    pub location_id: i64,
    pub file_name: String,
    pub body: S,
    pub post_valid_rows_only: bool,
    pub max_bytes: u64,
}

/// Stores an uploaded file and queues its import, in one transaction.
pub async fn stage<C, S>(
    db: &C,
    principal: &Principal,
    upload: Upload<S>,
) -> ServiceResult<job_run::Model>
where
    C: Writer,
    S: Stream<Item = Result<Vec<u8>, String>> + Unpin,
{
    let integration =
        integrations::get(db, principal, upload.integration_id, Role::Manager).await?;
    if integration.provider != Provider::Csv {
        return Err(ServiceError::validation(
            "integrationId",
            "files are uploaded to a CSV integration",
        ));
    }
    let config = integrations::csv_config(&integration)?;
    let location = locations::get(db, principal, upload.location_id, Role::Manager).await?;
    if location.integration_id != integration.id {
        return Err(ServiceError::not_found_at(locations::ENTITY, "locationId"));
    }
    if location.storage_unit_id.is_none() {
        return Err(ServiceError::validation(
            "locationId",
            "link a storage unit to this location before uploading its sales",
        ));
    }
    // The body is spooled to a temporary file before the write transaction begins: a slow or
    // stalled client must not hold the database's write lock (every company's writes wait on
    // it on SQLite) while its bytes trickle in.
    let spooled = spool(upload.body, upload.max_bytes).await?;
    let txn = crate::db::begin_write(db).await?;
    let import = entity::csv_import::ActiveModel {
        company_id: Set(integration.company_id),
        integration_id: Set(integration.id),
        location_id: Set(location.id),
        content_hash: Set(format!("pending:{}", crate::secrets::new_token(""))),
        file_name: Set(upload.file_name.chars().take(200).collect()),
        size_bytes: Set(0),
        config: Set(serde_json::to_string(&config).unwrap_or_default()),
        post_valid_rows_only: Set(upload.post_valid_rows_only),
        rows_total: Set(0),
        rows_invalid: Set(0),
        row_errors: Set("[]".into()),
        state: Set(CsvImportState::Uploaded),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let Spooled {
        mut file,
        size,
        hash,
    } = spooled;
    let mut seq = 0i64;
    loop {
        let mut chunk = Vec::with_capacity(CHUNK);
        (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut chunk)
            .map_err(|e| ServiceError::Internal(format!("reading the spooled upload: {e}")))?;
        if chunk.is_empty() {
            break;
        }
        save_chunk(&txn, import.id, seq, chunk).await?;
        seq += 1;
    }
    let duplicate = entity::csv_import::Entity::find()
        .filter(entity::csv_import::Column::IntegrationId.eq(integration.id))
        .filter(entity::csv_import::Column::ContentHash.eq(hash.as_str()))
        .one(&txn)
        .await?;
    if let Some(earlier) = duplicate {
        return Err(ServiceError::conflict(
            "file",
            format!(
                "this file was already imported ({}, {}); nothing was changed",
                earlier.file_name,
                earlier.created_at.format("%Y-%m-%d %H:%M UTC")
            ),
        ));
    }
    let mut model = import.clone().into_active_model();
    model.content_hash = Set(hash);
    model.size_bytes = Set(size as i64);
    model.update(&txn).await?;
    let job = job_runs::create(
        &txn,
        NewJob {
            company_id: integration.company_id,
            kind: JobKind::CsvImport,
            integration_id: Some(integration.id),
            location_id: Some(location.id),
            params: JobParams {
                csv_import_id: Some(import.id),
                ..Default::default()
            },
            lock_key: Some(location_lock(location.id)),
            total: PROGRESS_TOTAL,
            message: format!("import of {}: queued", import.file_name),
            requested_by: Some(principal.acting_user_id()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(job)
}

/// An upload received whole into a temporary file (deleted when dropped).
struct Spooled {
    file: std::fs::File,
    size: u64,
    hash: String,
}

/// Reads `body` into a temporary file, refusing it past `max_bytes` or when it is empty.
async fn spool<S>(mut body: S, max_bytes: u64) -> ServiceResult<Spooled>
where
    S: Stream<Item = Result<Vec<u8>, String>> + Unpin,
{
    let spool_error =
        |e: std::io::Error| ServiceError::Internal(format!("spooling the upload: {e}"));
    let mut file = tempfile::tempfile().map_err(spool_error)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    while let Some(part) = body.next().await {
        let part = part
            .map_err(|e| ServiceError::validation("file", format!("the upload broke off: {e}")))?;
        size += part.len() as u64;
        if size > max_bytes {
            return Err(ServiceError::validation(
                "file",
                format!(
                    "the file is larger than the limit of {} MB",
                    max_bytes / 1_000_000
                ),
            ));
        }
        hasher.update(&part);
        file.write_all(&part).map_err(spool_error)?;
    }
    if size == 0 {
        return Err(ServiceError::validation("file", "the file is empty"));
    }
    file.rewind().map_err(spool_error)?;
    Ok(Spooled {
        file,
        size,
        hash: hex::encode(hasher.finalize()),
    })
}

async fn save_chunk<C: ConnectionTrait>(
    db: &C,
    import: i64,
    seq: i64,
    data: Vec<u8>,
) -> ServiceResult<()> {
    csv_upload_chunk::ActiveModel {
        csv_import_id: Set(import),
        seq: Set(seq),
        data: Set(data),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<entity::csv_import::Model> {
    let row = entity::csv_import::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("CSV import"))?;
    principal.require_read(row.company_id, "CSV import")?;
    Ok(row)
}

pub async fn for_job<C: ConnectionTrait>(
    db: &C,
    job: &job_run::Model,
) -> ServiceResult<Option<entity::csv_import::Model>> {
    let params: JobParams = serde_json::from_str(&job.params).unwrap_or_default();
    match params.csv_import_id {
        Some(id) => Ok(entity::csv_import::Entity::find_by_id(id).one(db).await?),
        None => Ok(None),
    }
}

pub fn row_errors(import: &entity::csv_import::Model) -> Vec<RowError> {
    serde_json::from_str(&import.row_errors).unwrap_or_default()
}

/// What processing an import ended with.
pub enum ImportOutcome {
    Done(String),
    Invalid(String),
    Cancelled,
}

/// Runs an import job: check, store, transfer. Progress goes to the job run.
pub async fn process<C: Writer>(db: &C, job: &job_run::Model) -> ServiceResult<ImportOutcome> {
    let import = for_job(db, job)
        .await?
        .ok_or_else(|| ServiceError::Internal("the job names no CSV import".into()))?;
    let config: CsvConfig = serde_json::from_str(&import.config)
        .map_err(|e| ServiceError::Internal(format!("stored CSV config unreadable: {e}")))?;
    let company = locations::company_of(db, import.company_id).await?;
    let location = entity::pos_location::Entity::find_by_id(import.location_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(locations::ENTITY))?;

    // The file, from the database to a local temporary file, chunk by chunk.
    let mut file = tempfile()?;
    let chunks = csv_upload_chunk::Entity::find()
        .filter(csv_upload_chunk::Column::CsvImportId.eq(import.id))
        .order_by_asc(csv_upload_chunk::Column::Seq)
        .all(db)
        .await?;
    for chunk in chunks {
        file.write_all(&chunk.data).map_err(io_error)?;
    }
    let size = import.size_bytes.max(1);

    // Pass 1: check every row, reporting how far through the file it is.
    let checked = {
        let file = rewind(&mut file)?;
        let (config, company) = (config.clone(), company.clone());
        let (read_tx, read_rx) = tokio::sync::watch::channel(0u64);
        let mut task = tokio::task::spawn_blocking(move || check(file, &config, &company, read_tx));
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
        loop {
            tokio::select! {
                result = &mut task => break result.map_err(|e| ServiceError::Internal(e.to_string()))??,
                _ = tick.tick() => {
                    let read = *read_rx.borrow();
                    let done = (300 * read as i64 / size).min(299);
                    if !job_runs::progress(db, job.id, done, PROGRESS_TOTAL, &format!("checking rows: {} of {} KB read", read / 1024, size / 1024)).await? {
                        task.abort();
                        return Ok(ImportOutcome::Cancelled);
                    }
                }
            }
        }
    };
    let mut model = import.clone().into_active_model();
    model.rows_total = Set(checked.rows as i64);
    model.rows_invalid = Set(checked.invalid as i64);
    model.row_errors = Set(serde_json::to_string(&checked.errors).unwrap_or_default());
    if checked.invalid > 0 && !import.post_valid_rows_only {
        model.state = Set(CsvImportState::Invalid);
        // The same file may come again with "post valid rows only" (or fixed): free its hash.
        model.content_hash = Set(format!("{}:invalid:{}", import.content_hash, import.id));
        model.update(db).await?;
        let first = &checked.errors[0];
        return Ok(ImportOutcome::Invalid(format!(
            "{} of {} rows are invalid, so nothing was posted (first: row {}{}: {}{}). Fix the file, or upload it again choosing \"post valid rows only\".",
            checked.invalid,
            checked.rows,
            first.row,
            if first.column.is_empty() {
                String::new()
            } else {
                format!(", column {}", first.column)
            },
            first.message,
            if first.value.is_empty() {
                String::new()
            } else {
                format!(" — found \"{}\"", first.value)
            },
        )));
    }
    model.state = Set(CsvImportState::Checked);
    model.update(db).await?;
    if !job_runs::progress(
        db,
        job.id,
        300,
        PROGRESS_TOTAL,
        &format!("{} rows checked; storing sale lines", checked.rows),
    )
    .await?
    {
        return Ok(ImportOutcome::Cancelled);
    }

    // Pass 2: store the valid rows as sale lines, in batches (a retry stores nothing twice).
    let mut stored_days: BTreeMap<chrono::NaiveDate, u64> = BTreeMap::new();
    let mut items = csv_import::SeenItems::new();
    {
        let file = rewind(&mut file)?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<NewSaleLine>>(4);
        let (config, company) = (config.clone(), company.clone());
        let import_id = import.id;
        let reader = tokio::task::spawn_blocking(move || {
            let mut batch = Vec::with_capacity(5000);
            let result = csv_import::parse(BufReader::new(file), &config, &company, |row| {
                if let Ok(row) = row {
                    batch.push(NewSaleLine {
                        business_date: row.business_date,
                        line_key: format!("csv:{import_id}:{}", row.row),
                        external_item_id: row.code,
                        item_name: row.name,
                        quantity_micro: row.quantity_micro,
                        sales_value_micro: row.sales_value_micro,
                        sold_at: row.sold_at,
                        transaction_id: None,
                        receipt_number: None,
                        status: if row.quantity_micro < 0 {
                            SaleStatus::Refund
                        } else {
                            SaleStatus::Sale
                        },
                        csv_import_id: Some(import_id),
                    });
                    if batch.len() >= 5000 {
                        return tx.blocking_send(std::mem::take(&mut batch)).is_ok();
                    }
                }
                true
            });
            if !batch.is_empty() {
                let _ = tx.blocking_send(batch);
            }
            result
        });
        let mut done_bytes = 0u64;
        while let Some(batch) = rx.recv().await {
            for line in &batch {
                *stored_days.entry(line.business_date).or_default() += 1;
                if !items.contains_key(&line.external_item_id) {
                    items.insert(line.external_item_id.clone(), line.item_name.clone());
                }
            }
            let txn = crate::db::begin_write(db).await?;
            sale_lines::store(&txn, import.company_id, import.location_id, &batch).await?;
            txn.commit().await?;
            done_bytes += batch.len() as u64;
            let done = 300 + (300 * done_bytes / checked.rows.max(1)).min(300) as i64;
            if !job_runs::progress(
                db,
                job.id,
                done,
                PROGRESS_TOTAL,
                &format!(
                    "{done_bytes} of {} sale lines stored",
                    checked.rows - checked.invalid
                ),
            )
            .await?
            {
                return Ok(ImportOutcome::Cancelled);
            }
        }
        reader
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))??;
    }
    let items: Vec<(String, String)> = items.into_iter().collect();
    mappings::remember_items(db, import.company_id, import.integration_id, &items).await?;

    // Pass 3: transfer the completed days, if the location is active (otherwise its activation's
    // migration will, and days not closed yet wait for the automatic transfer).
    let last_completed = business_days::last_completed(&company, Utc::now());
    let days_to_post: Vec<chrono::NaiveDate> = if location.active {
        stored_days
            .keys()
            .copied()
            .filter(|d| *d <= last_completed)
            .collect()
    } else {
        vec![]
    };
    let mut ctx = super::pipeline::DayContext::load(db, location.id).await?;
    let mut entries = 0i64;
    for (k, date) in days_to_post.iter().enumerate() {
        let log = super::pipeline::import_day(db, &mut ctx, *date, &[], Some(job.id)).await?;
        entries += log.entries_posted;
        let done = 600 + 400 * (k as i64 + 1) / days_to_post.len() as i64;
        if !job_runs::progress(
            db,
            job.id,
            done,
            PROGRESS_TOTAL,
            &format!("day {} of {} posted ({date})", k + 1, days_to_post.len()),
        )
        .await?
        {
            return Ok(ImportOutcome::Cancelled);
        }
    }
    let import_id = import.id;
    let mut model = import.into_active_model();
    model.state = Set(CsvImportState::Imported);
    model.update(db).await?;
    csv_upload_chunk::Entity::delete_many()
        .filter(csv_upload_chunk::Column::CsvImportId.eq(import_id))
        .exec(db)
        .await?;
    let waiting = stored_days.len() - days_to_post.len();
    Ok(ImportOutcome::Done(format!(
        "{} rows imported{}; {} days posted with {entries} ledger entries{}",
        checked.rows - checked.invalid,
        if checked.invalid > 0 {
            format!(", {} invalid rows skipped", checked.invalid)
        } else {
            String::new()
        },
        days_to_post.len(),
        if waiting > 0 {
            if location.active {
                format!("; {waiting} days not closed yet wait for the automatic transfer")
            } else {
                format!("; {waiting} days wait for the location's activation")
            }
        } else {
            String::new()
        }
    )))
}

struct Checked {
    rows: u64,
    invalid: u64,
    errors: Vec<RowError>,
}

fn check(
    file: std::fs::File,
    config: &CsvConfig,
    company: &entity::company::Model,
    read: tokio::sync::watch::Sender<u64>,
) -> ServiceResult<Checked> {
    let mut reader = CountingReader {
        inner: BufReader::new(file),
        read: 0,
        report: read,
    };
    let mut out = Checked {
        rows: 0,
        invalid: 0,
        errors: Vec::new(),
    };
    out.rows = csv_import::parse(&mut reader, config, company, |row| {
        if let Err(e) = row {
            out.invalid += 1;
            if out.errors.len() < KEPT_ROW_ERRORS {
                out.errors.push(e);
            }
        }
        true
    })?;
    Ok(out)
}

/// Counts the bytes read, for progress.
struct CountingReader<R> {
    inner: R,
    read: u64,
    report: tokio::sync::watch::Sender<u64>,
}

impl<R: std::io::Read> std::io::Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read % (1 << 20) < n as u64 {
            let _ = self.report.send(self.read);
        }
        Ok(n)
    }
}

fn tempfile() -> ServiceResult<std::fs::File> {
    let path =
        std::env::temp_dir().join(format!("larder-import-{}", crate::secrets::new_token("")));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(io_error)?;
    // Unlinked at once: the open handle keeps it until the job ends, a crash leaves nothing.
    let _ = std::fs::remove_file(&path);
    Ok(file)
}

fn rewind(file: &mut std::fs::File) -> ServiceResult<std::fs::File> {
    file.flush().map_err(io_error)?;
    let mut copy = file.try_clone().map_err(io_error)?;
    copy.rewind().map_err(io_error)?;
    Ok(copy)
}

fn io_error(e: std::io::Error) -> ServiceError {
    ServiceError::Internal(format!("temporary file: {e}"))
}

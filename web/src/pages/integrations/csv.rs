//! CSV imports: the configuration with the chosen file's first rows parsed live, and uploads
//! with a progress bar and the row-error report.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, Select, ServerError, required};
use crate::pages::jobs::JobProgress;

use crate::i18n::t;
use crate::model::{CsvConfig, PosIntegration};

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PreviewRow {
    row: i64,
    code: Option<String>,
    name: Option<String>,
    quantity: Option<String>,
    sales_value: Option<String>,
    business_date: Option<String>,
    error: Option<crate::pages::jobs::CsvRowError>,
}

#[derive(Clone, Debug, Deserialize)]
struct Preview {
    header: Vec<String>,
    rows: Vec<PreviewRow>,
}

fn chosen_file(id: &str) -> Option<web_sys::File> {
    let input = web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?;
    input.files()?.get(0)
}

/// The import configuration, with the chosen file's first rows parsed live as it changes.
#[component]
pub(super) fn CsvSetup(integration: PosIntegration, version: RwSignal<u32>) -> impl IntoView {
    let c = integration.csv_config.clone();
    let get = |f: fn(&CsvConfig) -> String, default: &str| {
        RwSignal::new(c.as_ref().map(f).unwrap_or_else(|| default.to_string()))
    };
    let delimiter = get(|c| c.delimiter.clone(), ",");
    let has_header = RwSignal::new(c.as_ref().is_none_or(|c| c.has_header));
    let code = get(|c| c.code_column.clone(), "Code");
    let name = get(|c| c.name_column.clone().unwrap_or_default(), "Item");
    let quantity = get(|c| c.quantity_column.clone(), "Qty");
    let value = get(
        |c| c.sales_value_column.clone().unwrap_or_default(),
        "Total",
    );
    let date = get(|c| c.date_column.clone(), "Date");
    let format = get(|c| c.date_format.clone(), "%Y-%m-%d %H:%M");
    let decimal = get(|c| c.decimal_separator.clone(), ".");
    let encoding = get(|c| c.encoding.clone(), "utf-8");
    let error: ServerError = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let sample = RwSignal::new(None::<String>);
    let config = move || {
        json!({
            "delimiter": delimiter.get(), "hasHeader": has_header.get(), "codeColumn": code.get(),
            "nameColumn": name.get(), "quantityColumn": quantity.get(), "salesValueColumn": value.get(),
            "dateColumn": date.get(), "dateFormat": format.get(), "decimalSeparator": decimal.get(), "encoding": encoding.get(),
        })
    };
    let integration_id = integration.id.clone();
    let preview_id = integration_id.clone();
    let preview = LocalResource::new(move || {
        let (cfg, sample, id) = (config(), sample.get(), preview_id.clone());
        async move {
            let sample = sample?;
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Data {
                preview_csv: Preview,
            }
            Some(
                api::gql::<Data>(
                    "query($i: ID!, $c: CsvImportConfigInput!, $s: String!) { previewCsv(integrationId: $i, config: $c, sampleBase64: $s, rows: 10) { header rows { row code name quantity salesValue businessDate error { row column message value } } } }",
                    json!({"i": id, "c": cfg, "s": sample}),
                )
                .await
                .map(|d| d.preview_csv),
            )
        }
    });
    let pick = move |_| match chosen_file("csv-sample") {
        Some(file) => leptos::task::spawn_local(async move {
            match api::file_sample(&file).await {
                Ok(s) => sample.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        }),
        None => error.set(Some(ApiError {
            message: t("csv-choose-file-to-preview"),
            code: "CLIENT".into(),
            field: None,
        })),
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = integration_id.clone();
        let cfg = config();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>("mutation($i: ID!, $c: CsvImportConfigInput!) { configureCsvImport(integrationId: $i, config: $c) { id } }", json!({"i": id, "c": cfg})).await {
                Ok(_) => {
                    saved.set(true);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delimiters = vec![
        (",".to_string(), t("csv-delimiter-comma")),
        (";".to_string(), t("csv-delimiter-semicolon")),
        ("tab".to_string(), t("csv-delimiter-tab")),
    ];
    let decimals = vec![
        (".".to_string(), t("csv-decimal-point")),
        (",".to_string(), t("csv-decimal-comma")),
    ];
    let encodings = vec![
        ("utf-8".to_string(), "UTF-8".to_string()),
        ("windows-1252".to_string(), t("csv-encoding-windows")),
    ];
    view! {
        <details class="card" open=integration.csv_config.is_none()>
            <summary><strong>{t("integrations-csv-import-configuration")}</strong></summary>
            <form on:submit=save class="csv-config">
                <div class="grid">
                    <Select label=t("integrations-delimiter") value=delimiter options=Signal::derive(move || delimiters.clone()) field="delimiter" error=error />
                    <Select label=t("integrations-decimal-separator") value=decimal options=Signal::derive(move || decimals.clone()) field="decimalSeparator" error=error />
                    <Select label=t("integrations-encoding") value=encoding options=Signal::derive(move || encodings.clone()) field="encoding" error=error />
                </div>
                <label><input type="checkbox" prop:checked=move || has_header.get() on:change:target=move |ev| has_header.set(ev.target().checked()) />{t("integrations-the-first-row-is-a-header-columns-by")}</label>
                <div class="grid">
                    <Field label=t("integrations-pos-code-column") value=code field="codeColumn" error=error check=required />
                    <Field label=t("integrations-item-name-column") value=name field="nameColumn" error=error />
                    <Field label=t("integrations-quantity-column") value=quantity field="quantityColumn" error=error check=required />
                </div>
                <div class="grid">
                    <Field label=t("integrations-sales-value-column") value=value field="salesValueColumn" error=error />
                    <Field label=t("integrations-date-column") value=date field="dateColumn" error=error check=required />
                    <Field label=t("integrations-date-format") value=format field="dateFormat" error=error check=required placeholder="%d.%m.%Y %H:%M" />
                </div>
                <label>{t("integrations-preview-with-a-file")} <input type="file" id="csv-sample" accept=".csv,text/csv,text/plain" on:change=pick /></label>
                <small class="muted">{t("integrations-try-the")}<a href="/sales-sample.csv" download="sales-sample.csv">{t("integrations-sample-sales-file")}</a>{t("integrations-semicolons-decimal-commas-dates-like")}</small>
                <Suspense fallback=|| ()>
                    {move || preview.get().flatten().map(|r| match r {
                        Ok(p) => view! { <PreviewTable preview=p /> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                    })}
                </Suspense>
                <FormError error=error />
                <button type="submit">{t("integrations-save-configuration")}</button>
                {move || saved.get().then(|| view! { <small class="muted">{t("integrations-saved")}</small> })}
            </form>
        </details>
    }
}

#[component]
fn PreviewTable(preview: Preview) -> impl IntoView {
    view! {
        <div class="overflow-auto">
            <p class="muted">{crate::i18n::t_with("csv-header", &[("columns", crate::i18n::s(preview.header.join(" | ")))])}</p>
            <table class="csv-preview">
                <thead><tr><th class="num">{t("integrations-row")}</th><th>{t("integrations-code")}</th><th>{t("integrations-item")}</th><th class="num">{t("integrations-qty")}</th><th class="num">{t("field-value")}</th><th>{t("integrations-business-day")}</th><th>{t("integrations-problem")}</th></tr></thead>
                <tbody>
                    {preview.rows.into_iter().map(|r| {
                        let bad = r.error.is_some();
                        view! {
                            <tr class:invalid=bad>
                                <td class="num">{r.row}</td>
                                <td>{r.code.unwrap_or_default()}</td>
                                <td>{r.name.unwrap_or_default()}</td>
                                <td class="num">{r.quantity.unwrap_or_default()}</td>
                                <td class="num">{r.sales_value.unwrap_or_default()}</td>
                                <td>{r.business_date.unwrap_or_default()}</td>
                                <td>{r.error.map(|e| format!("{}: {} ({})", e.column, e.message, e.value)).unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Upload a sales file for one location and follow its import.
#[component]
pub(super) fn CsvUpload(integration: PosIntegration) -> impl IntoView {
    let location = RwSignal::new(
        integration
            .locations
            .first()
            .map(|l| l.id.clone())
            .unwrap_or_default(),
    );
    let options: Vec<(String, String)> = integration
        .locations
        .iter()
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let valid_only = RwSignal::new(false);
    let error: ServerError = RwSignal::new(None);
    let job = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = integration.id.clone();
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(file) = chosen_file("csv-upload") else {
            error.set(Some(ApiError {
                message: t("csv-choose-file"),
                code: "CLIENT".into(),
                field: Some("file".into()),
            }));
            return;
        };
        let (id, loc) = (id.clone(), location.get_untracked());
        busy.set(true);
        job.set(None);
        leptos::task::spawn_local(async move {
            let r = api::upload::<Value>(
                "mutation($i: ID!, $l: ID!, $f: Upload!, $v: Boolean) { uploadPosCsv(integrationId: $i, locationId: $l, file: $f, postValidRowsOnly: $v) { id } }",
                json!({"i": id, "l": loc, "v": valid_only.get_untracked()}),
                &file,
            )
            .await;
            busy.set(false);
            match r {
                Ok(v) => job.set(v["uploadPosCsv"]["id"].as_str().map(str::to_string)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card upload">
            <h2>{t("integrations-upload-sales")}</h2>
            <form on:submit=upload>
                <Select label=t("integrations-location") value=location options=Signal::derive(move || options.clone()) field="locationId" error=error />
                <label>{t("integrations-sales-file")} <input type="file" id="csv-upload" name="file" accept=".csv,text/csv,text/plain" /></label>
                {move || error.get().filter(|e| e.field.as_deref() == Some("file")).map(|e| view! { <small class="field-error">{e.message}</small> })}
                <label><input type="checkbox" prop:checked=move || valid_only.get() on:change:target=move |ev| valid_only.set(ev.target().checked()) />{t("integrations-post-the-valid-rows-only-by-default")}</label>
                <FormError error=error />
                <button type="submit" aria-busy=move || busy.get().then_some("true")>{t("integrations-upload")}</button>
            </form>
            {move || job.get().map(|j| view! { <JobProgress job_id=j /> })}
        </section>
    }
}

//! E-invoice benchmark (issue 26): importing and matching an invoice of 500 lines, and a 5 MB
//! ZUGFeRD PDF, against the same files' parsing alone in the same run — what the database side
//! (the duplicate checks, the matching, the inserts of invoice, lines and original) adds.
//! Run: `cargo bench -p tests --bench invoices` (LARDER_BENCH_BACKENDS=sqlite,postgres).

use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;
use service::invoices::{InvoiceUpload, import, read_invoice};
use tests::einvoice::{many_lines, zugferd_pdf};

const RUNS: usize = 15;
const LINES: usize = 500;
const SELLER: &str = "Bench Großhandel GmbH";
const VAT: &str = "DE811907980";

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

struct Case {
    name: &'static str,
    /// The file of run `k` (another number each run: a number is imported once).
    file: Box<dyn Fn(usize) -> Vec<u8>>,
}

async fn run(backend: &str, url: &str) {
    let db: DatabaseConnection = service::db::connect(url).await.expect("database");
    let bench = tests::bench::company(&db, "invoices@example.com", "UTC").await;
    let p = bench.principal.clone();
    let vendor = service::vendors::create(
        &db,
        &p,
        bench.id,
        service::vendors::VendorInput {
            name: SELLER.into(),
            vat_id: Some(Some(VAT.into())),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for k in 0..LINES {
        service::products::create(
            &db,
            &p,
            bench.id,
            service::products::ProductInput {
                vendor_id: vendor.id,
                ingredient_id: bench.ingredients[k % bench.ingredients.len()],
                name: format!("Ware {k}"),
                sku: format!("P-{k}"),
                pack_name: Some("case".into()),
                packaging_factor: Decimal::from(6),
                packaging_unit: None,
                minimum_packs: None,
                gtin: None,
            },
        )
        .await
        .unwrap();
    }
    let cases = [
        Case {
            name: "500-line CII invoice",
            file: Box::new(|k| many_lines(&format!("XML-{k}"), SELLER, VAT, LINES)),
        },
        Case {
            name: "5 MB ZUGFeRD PDF (50 lines)",
            file: Box::new(|k| {
                zugferd_pdf(
                    &many_lines(&format!("PDF-{k}"), SELLER, VAT, 50),
                    5 * 1024 * 1024,
                )
            }),
        },
    ];
    println!("\n## {backend}");
    for case in &cases {
        let size = (case.file)(0).len();
        let (mut parse, mut imported) = (Vec::new(), Vec::new());
        for k in 0..RUNS {
            let bytes = (case.file)(k);
            let started = Instant::now();
            let read = read_invoice(&bytes).expect("the bench's file reads");
            parse.push(started.elapsed());
            assert_eq!(read.document.lines.len() % 50, 0);
            let started = Instant::now();
            let invoice = import(
                &db,
                &p,
                bench.id,
                InvoiceUpload {
                    file_name: None,
                    bytes,
                },
            )
            .await
            .expect("imports");
            imported.push(started.elapsed());
            assert_eq!(invoice.vendor_id, Some(vendor.id));
        }
        let (p50_parse, p50_import) = (percentile(&mut parse, 0.5), percentile(&mut imported, 0.5));
        println!(
            "{} ({:.1} MB): parse alone p50 {} p99 {} | import and match p50 {} p99 {} | import ÷ parse {:.1}×",
            case.name,
            size as f64 / 1_048_576.0,
            ms(p50_parse),
            ms(percentile(&mut parse, 0.99)),
            ms(p50_import),
            ms(percentile(&mut imported, 0.99)),
            p50_import.as_secs_f64() / p50_parse.as_secs_f64(),
        );
    }
}

fn main() {
    tests::for_each_bench_database("sqlite,postgres", |label, url| async move {
        run(label, &url).await;
    });
}

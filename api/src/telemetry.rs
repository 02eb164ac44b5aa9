use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Logs to stderr, filtered by `RUST_LOG` (default: info for Larder, warn for the rest), for a
/// person or (`json`) one JSON object a line with the request's span fields — its request id
/// among them — on every line written while it runs.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("warn,api=info,service=info,jobs=info,tracing_actix_web=info")
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
    };
}

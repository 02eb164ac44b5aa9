//! GraphQL in the metrics: each root field run, by its name (a name of the schema: a root field
//! is resolved only after validation, so a client cannot grow the label set) and its outcome —
//! `ok` or the error's code. A document that fails validation counts as `(invalid)`.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, NextValidation, ResolveInfo,
};
use async_graphql::{ServerError, ServerResult, ValidationResult, Value};

pub struct OperationMetrics;

impl ExtensionFactory for OperationMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationMetrics)
    }
}

fn count(operation: &str, outcome: &str) {
    metrics::counter!(
        "larder_graphql_operations_total",
        "operation" => operation.to_string(),
        "outcome" => outcome.to_string()
    )
    .increment(1);
}

fn code(error: &ServerError) -> String {
    error
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .and_then(|v| match v {
            Value::String(code) => Some(code.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "ERROR".into())
}

#[async_graphql::async_trait::async_trait]
impl Extension for OperationMetrics {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await;
        if result.is_err() {
            count("(invalid)", "VALIDATION");
        }
        result
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.path_node.parent.is_some() {
            return next.run(ctx, info).await;
        }
        let name = info.name.to_string();
        let result = next.run(ctx, info).await;
        match &result {
            Ok(_) => count(&name, "ok"),
            Err(e) => count(&name, &code(e)),
        }
        result
    }
}

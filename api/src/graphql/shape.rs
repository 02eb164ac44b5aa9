//! Limits on a query's shape, checked by the transports right after parsing and before the
//! schema sees the query (async-graphql's own recursion check walks every fragment spread
//! again, which a fragment bomb makes exponential), in time proportional to the query's text: how many fields it selects once fragments are expanded
//! (fragment spreads that multiply are measured without being expanded), how many fields sit at
//! its root (aliases of one expensive field), and that a request logs in at most once (every
//! `login` is a password hash).

use std::collections::HashMap;

use async_graphql::parser::types::{
    ExecutableDocument, FragmentDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, ServerError, ServerResult};

/// Most fields one operation may select, fragments expanded.
pub const MAX_FIELDS: usize = 2_000;
/// Most fields (aliases included) at an operation's root.
pub const MAX_ROOT_FIELDS: usize = 32;
/// Root mutation fields that hash a password: at most one per request.
const HASHING_MUTATIONS: [&str; 2] = ["login", "signUp"];

/// Parses the request's query (kept in the request, so it is parsed once) and checks its
/// shape; a query that does not parse is left for the schema to report as usual.
pub fn check_request(request: &mut async_graphql::Request) -> ServerResult<()> {
    match request.parsed_query() {
        Ok(document) => check(document),
        Err(_) => Ok(()),
    }
}

/// Whether the operation the request runs (the named one, else the only one) is a
/// subscription: one runs as long as its caller listens, while queries and mutations have a
/// time limit.
pub fn is_subscription(request: &mut async_graphql::Request) -> bool {
    let wanted = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    document.operations.iter().any(|(name, operation)| {
        wanted
            .as_deref()
            .is_none_or(|w| name.is_some_and(|n| n.as_str() == w))
            && operation.node.ty == OperationType::Subscription
    })
}

type Fragments = HashMap<Name, Positioned<FragmentDefinition>>;

/// Checks every operation of `document` against the limits above.
pub fn check(document: &ExecutableDocument) -> ServerResult<()> {
    let mut sizes = HashMap::new();
    for (_, operation) in document.operations.iter() {
        let operation = &operation.node;
        let total = size(
            &operation.selection_set.node,
            &document.fragments,
            &mut sizes,
            &mut Vec::new(),
        );
        if total > MAX_FIELDS {
            return Err(refuse(format!(
                "the query selects {} fields with its fragments expanded; at most {MAX_FIELDS} are allowed",
                display(total)
            )));
        }
        let mut root = Vec::new();
        root_fields(
            &operation.selection_set.node,
            &document.fragments,
            &mut root,
            &mut Vec::new(),
        );
        if root.len() > MAX_ROOT_FIELDS {
            return Err(refuse(format!(
                "the query has {} fields at its root; at most {MAX_ROOT_FIELDS} are allowed",
                root.len()
            )));
        }
        if operation.ty == OperationType::Mutation {
            let hashing = root
                .iter()
                .filter(|name| HASHING_MUTATIONS.contains(&name.as_str()))
                .count();
            if hashing > 1 {
                return Err(refuse(
                    "a request may log in or sign up once: send one login per request".into(),
                ));
            }
        }
    }
    Ok(())
}

/// Fields selected by `set`, fragments expanded; each fragment is measured once (memoised), a
/// fragment that spreads itself counts as nothing here (validation refuses it).
fn size(
    set: &SelectionSet,
    fragments: &Fragments,
    sizes: &mut HashMap<Name, usize>,
    visiting: &mut Vec<Name>,
) -> usize {
    let mut total = 0usize;
    for item in &set.items {
        let more = match &item.node {
            Selection::Field(field) => 1usize.saturating_add(size(
                &field.node.selection_set.node,
                fragments,
                sizes,
                visiting,
            )),
            Selection::InlineFragment(inline) => {
                size(&inline.node.selection_set.node, fragments, sizes, visiting)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                if let Some(known) = sizes.get(name) {
                    *known
                } else if visiting.contains(name) {
                    0
                } else if let Some(fragment) = fragments.get(name) {
                    visiting.push(name.clone());
                    let measured = size(
                        &fragment.node.selection_set.node,
                        fragments,
                        sizes,
                        visiting,
                    );
                    visiting.pop();
                    sizes.insert(name.clone(), measured);
                    measured
                } else {
                    0
                }
            }
        };
        total = total.saturating_add(more);
    }
    total
}

/// The names of the fields at the root, through fragments (bounded: stops counting past the
/// limit, so a spread repeated many times costs no more than the limit).
fn root_fields(
    set: &SelectionSet,
    fragments: &Fragments,
    out: &mut Vec<String>,
    visiting: &mut Vec<Name>,
) {
    for item in &set.items {
        if out.len() > MAX_ROOT_FIELDS {
            return;
        }
        match &item.node {
            Selection::Field(field) => out.push(field.node.name.node.to_string()),
            Selection::InlineFragment(inline) => {
                root_fields(&inline.node.selection_set.node, fragments, out, visiting)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                if !visiting.contains(name)
                    && let Some(fragment) = fragments.get(name)
                {
                    visiting.push(name.clone());
                    root_fields(&fragment.node.selection_set.node, fragments, out, visiting);
                    visiting.pop();
                }
            }
        }
    }
}

fn display(n: usize) -> String {
    if n == usize::MAX {
        "more than can be counted".into()
    } else {
        n.to_string()
    }
}

fn refuse(message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    error.extensions = Some({
        let mut ext = async_graphql::ErrorExtensionValues::default();
        ext.set("code", "QUERY_TOO_LARGE");
        ext
    });
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(query: &str) -> ServerResult<()> {
        check(&async_graphql::parser::parse_query(query).expect("parses"))
    }

    #[test]
    fn fragments_that_multiply_are_measured_without_expanding_them() {
        // Each level doubles: 2^40 fields if expanded, measured in 40 steps.
        let mut query = String::from("query { ...F0 }\n");
        for i in 0..40 {
            query.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        query.push_str("fragment F40 on Query { me { id } }\n");
        let err = checked(&query).unwrap_err();
        assert!(
            err.message.contains("fields with its fragments expanded"),
            "{}",
            err.message
        );
    }

    #[test]
    fn aliases_at_the_root_are_counted() {
        let aliases: String = (0..40).map(|i| format!("a{i}: me {{ id }} ")).collect();
        let err = checked(&format!("query {{ {aliases} }}")).unwrap_err();
        assert!(err.message.contains("at its root"), "{}", err.message);
        assert!(checked("query { me { id } company(id: 1) { id } }").is_ok());
    }

    #[test]
    fn one_login_per_request() {
        let err = checked(
            r#"mutation { a: login(input: {email: "a@b.c", password: "x"}) { token } b: login(input: {email: "a@b.c", password: "y"}) { token } }"#,
        )
        .unwrap_err();
        assert!(err.message.contains("once"), "{}", err.message);
        assert!(
            checked(r#"mutation { login(input: {email: "a@b.c", password: "x"}) { token } }"#)
                .is_ok()
        );
    }
}

//! The promised GraphQL contract and what a live schema lacks of it: the names of an SDL file
//! (types, fields, arguments, input fields, enum values) against the schema's introspection.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// The introspection query the check needs.
pub const INTROSPECTION: &str = "{ __schema { types { name kind enumValues { name } inputFields { name } fields { name args { name } } } } }";

/// The line of `../shared/contract.graphql` below which names are planned, not promised.
pub const PLANNED_LINE: &str = "\n# ==== planned";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Enum(BTreeSet<String>),
    Input(BTreeSet<String>),
    /// Fields with their argument names.
    Object(BTreeMap<String, BTreeSet<String>>),
}

/// The promised part of a contract file: everything above the planned line.
pub fn promised(sdl: &str) -> &str {
    sdl.split(PLANNED_LINE).next().unwrap_or(sdl)
}

/// Every `type`, `input` and `enum` block of `sdl`; a type named twice merges into one.
pub fn parse(sdl: &str) -> BTreeMap<String, Spec> {
    let text: String = sdl
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out: BTreeMap<String, Spec> = BTreeMap::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        let head: Vec<&str> = rest[..open].split_whitespace().collect();
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let body = &rest[open + 1..close];
        rest = &rest[close + 1..];
        let [.., kind, name] = head.as_slice() else {
            continue;
        };
        let name = name.to_string();
        match *kind {
            "enum" => {
                let entry = out
                    .entry(name)
                    .or_insert_with(|| Spec::Enum(BTreeSet::new()));
                if let Spec::Enum(values) = entry {
                    values.extend(body.split_whitespace().map(str::to_string));
                }
            }
            "input" => {
                let entry = out
                    .entry(name)
                    .or_insert_with(|| Spec::Input(BTreeSet::new()));
                if let Spec::Input(fields) = entry {
                    fields.extend(fields_of(body).into_keys());
                }
            }
            "type" => {
                let entry = out
                    .entry(name)
                    .or_insert_with(|| Spec::Object(BTreeMap::new()));
                if let Spec::Object(fields) = entry {
                    for (field, args) in fields_of(body) {
                        fields.entry(field).or_default().extend(args);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `name(arg: T, other: U): Type` declarations of a block body: each name with its arguments.
fn fields_of(body: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let mut rest = body;
    loop {
        let rest_trimmed = rest.trim_start();
        let name: String = rest_trimmed
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            break;
        }
        let mut after = &rest_trimmed[name.len()..];
        let mut args = BTreeSet::new();
        if let Some(inner) = after.trim_start().strip_prefix('(') {
            let close = inner.find(')').unwrap_or(inner.len());
            for part in inner[..close].split(',') {
                if let Some((arg, _)) = part.split_once(':') {
                    args.insert(arg.trim().to_string());
                }
            }
            after = &inner[(close + 1).min(inner.len())..];
        }
        let Some(colon) = after.trim_start().strip_prefix(':') else {
            break;
        };
        out.insert(name, args);
        // Past the type: the next declaration starts at the next name after whitespace.
        let type_end = colon
            .trim_start()
            .find(char::is_whitespace)
            .map(|i| i + colon.len() - colon.trim_start().len())
            .unwrap_or(colon.len());
        rest = &colon[type_end..];
    }
    out
}

/// The names `spec` promises that `schema` (an introspection answer's `types`) does not offer.
pub fn lacking(spec: &BTreeMap<String, Spec>, schema: &Value) -> Vec<String> {
    let types: BTreeMap<&str, &Value> = schema
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str().map(|n| (n, t)))
        .collect();
    let names = |list: &Value| -> BTreeSet<String> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["name"].as_str().map(str::to_string))
            .collect()
    };
    let mut missing = Vec::new();
    for (name, want) in spec {
        let Some(t) = types.get(name.as_str()) else {
            missing.push(name.clone());
            continue;
        };
        match want {
            Spec::Enum(values) => {
                let have = names(&t["enumValues"]);
                missing.extend(values.difference(&have).map(|v| format!("{name}.{v}")));
            }
            Spec::Input(fields) => {
                let have = names(&t["inputFields"]);
                missing.extend(fields.difference(&have).map(|f| format!("{name}.{f}")));
            }
            Spec::Object(fields) => {
                let have: BTreeMap<String, BTreeSet<String>> = t["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| Some((f["name"].as_str()?.to_string(), names(&f["args"]))))
                    .collect();
                for (field, args) in fields {
                    match have.get(field) {
                        None => missing.push(format!("{name}.{field}")),
                        Some(offered) => missing.extend(
                            args.difference(offered)
                                .map(|a| format!("{name}.{field}({a}:)")),
                        ),
                    }
                }
            }
        }
    }
    missing
}

/// Every name a spec promises, spelled as [`lacking`] reports them.
pub fn names(spec: &BTreeMap<String, Spec>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (name, s) in spec {
        out.insert(name.clone());
        match s {
            Spec::Enum(members) | Spec::Input(members) => {
                out.extend(members.iter().map(|m| format!("{name}.{m}")));
            }
            Spec::Object(fields) => {
                for (field, args) in fields {
                    out.insert(format!("{name}.{field}"));
                    out.extend(args.iter().map(|a| format!("{name}.{field}({a}:)")));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_types_inputs_enums_and_arguments() {
        let spec = parse(
            "# comment { not a block }\nenum Role { OWNER STAFF }\ntype Query { me: User! company(id: ID!, at: Date): Company }\ninput I { a: Int! b: [String!] }\ntype Query { more: Int }",
        );
        assert_eq!(
            spec["Role"],
            Spec::Enum(["OWNER", "STAFF"].map(String::from).into())
        );
        assert_eq!(spec["I"], Spec::Input(["a", "b"].map(String::from).into()));
        let Spec::Object(query) = &spec["Query"] else {
            panic!("Query is a type")
        };
        assert_eq!(query.len(), 3, "{query:?}");
        assert_eq!(query["company"], ["id", "at"].map(String::from).into());
    }

    #[test]
    fn lists_what_a_schema_lacks() {
        let spec = parse("enum Role { OWNER STAFF } type Query { company(id: ID!, at: Date): C }");
        let schema = serde_json::json!([
            {"name": "Role", "enumValues": [{"name": "OWNER"}]},
            {"name": "Query", "fields": [{"name": "company", "args": [{"name": "id"}]}]},
        ]);
        assert_eq!(
            lacking(&spec, &schema),
            vec!["Query.company(at:)".to_string(), "Role.STAFF".to_string()]
        );
    }
}

//! The books' invariants (DESIGN.md 2–6), checked from the stored rows: every entry's derived
//! values equal a from-scratch replay, cached balances equal the sums, every transfer pair sums
//! to zero, and the repair command finds nothing to repair.

use std::collections::{BTreeMap, HashMap};

use entity::{ledger_entry, stock_balance};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use service::ledger::costing::{self, CostFacts, PairState};

/// Replays every pair from nothing, following transfer costs across pairs until they settle.
pub fn replay_all(entries: &[ledger_entry::Model]) -> HashMap<i64, costing::Derived> {
    let mut pairs: BTreeMap<(i64, i64), Vec<&ledger_entry::Model>> = BTreeMap::new();
    for e in entries {
        pairs
            .entry((e.ingredient_id, e.storage_unit_id))
            .or_default()
            .push(e);
    }
    for list in pairs.values_mut() {
        list.sort_by_key(|e| (e.occurred_at, e.id));
    }
    let mut derived: HashMap<i64, costing::Derived> = HashMap::new();
    for _ in 0..100 {
        let before = derived.clone();
        for list in pairs.values() {
            let facts: Vec<CostFacts> = list
                .iter()
                .map(|e| CostFacts {
                    quantity: e.quantity_micro,
                    input_cost: e.input_cost_micro,
                    linked_cost: e
                        .paired_entry_id
                        .and_then(|p| derived.get(&p))
                        .and_then(|d| d.unit_cost),
                    is_transfer_in: e.transaction_type == ledger_entry::TransactionType::TransferIn,
                })
                .collect();
            for (e, d) in list.iter().zip(costing::replay(&facts)) {
                derived.insert(e.id, d);
            }
        }
        if derived == before {
            return derived;
        }
    }
    panic!("transfer costs did not settle in the replay");
}

/// One pair's entries summed from the stored rows.
#[derive(Debug, Clone, Copy, Default)]
struct PairSums {
    quantity: i64,
    entries: i64,
    /// (occurred_at, id) of its last entry.
    last: Option<(i64, i64)>,
    received: i64,
    /// Issued, as a positive figure.
    issued: i64,
}

pub async fn check_invariants(db: &DatabaseConnection, company: i64) {
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::CompanyId.eq(company))
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await
        .unwrap();
    let replayed = replay_all(&entries);
    for e in &entries {
        let d = replayed[&e.id];
        assert_eq!(
            (
                e.balance_after_micro,
                e.average_cost_after_micro,
                e.unit_cost_micro,
                e.value_micro
            ),
            (d.state.balance, d.state.average_cost, d.unit_cost, d.value),
            "entry {} ({} {}) differs from a from-scratch replay",
            e.id,
            e.transaction_type,
            e.quantity_micro
        );
    }
    let mut sums: BTreeMap<(i64, i64), PairSums> = BTreeMap::new();
    for e in &entries {
        let s = sums
            .entry((e.ingredient_id, e.storage_unit_id))
            .or_default();
        s.quantity += e.quantity_micro;
        s.entries += 1;
        if s.last.is_none_or(|k| (e.occurred_at, e.id) > k) {
            s.last = Some((e.occurred_at, e.id));
        }
        match e.transaction_type {
            ledger_entry::TransactionType::Receipt => s.received += e.quantity_micro,
            ledger_entry::TransactionType::Issue => s.issued -= e.quantity_micro,
            _ => {}
        }
    }
    let cached = stock_balance::Entity::find()
        .filter(stock_balance::Column::CompanyId.eq(company))
        .all(db)
        .await
        .unwrap();
    for b in &cached {
        let s = sums
            .get(&(b.ingredient_id, b.storage_unit_id))
            .copied()
            .unwrap_or_default();
        assert_eq!(
            (b.received_micro, b.issued_micro),
            (Some(s.received), Some(s.issued)),
            "cached totals equal the sums of receipts and issues"
        );
        assert_eq!(
            b.quantity_micro, s.quantity,
            "cached balance equals the sum of quantities"
        );
        assert_eq!(b.entry_count, s.entries);
        let last_state = s
            .last
            .map(|(_, id)| replayed[&id].state)
            .unwrap_or(PairState::default());
        assert_eq!(b.average_cost_micro, last_state.average_cost);
    }
    let by_id: HashMap<i64, &ledger_entry::Model> = entries.iter().map(|e| (e.id, e)).collect();
    for e in entries
        .iter()
        .filter(|e| e.transaction_type == ledger_entry::TransactionType::TransferIn)
    {
        let out = by_id[&e
            .paired_entry_id
            .expect("a transfer in names its transfer out")];
        assert_eq!(
            out.quantity_micro + e.quantity_micro,
            0,
            "a transfer pair sums to zero in quantity"
        );
        assert_eq!(out.value_micro + e.value_micro, 0, "and in value");
    }
    // The repair commands find nothing to repair: the balances, and the POS items' costs per
    // day kept beside the ledger.
    let txn = service::db::begin_write(db).await.unwrap();
    assert_eq!(
        service::ledger::recompute::rebuild_balances(&txn, company)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        service::ledger::item_costs::rebuild(&txn, company)
            .await
            .unwrap(),
        0,
        "the kept item costs equal the ledger's"
    );
    sea_orm::TransactionSession::commit(txn).await.unwrap();
}

/// A company for a property test, made through the service: its owner, two storage units
/// (A and B) and one ingredient (flour, KG).
pub struct TwoUnits {
    pub principal: service::access::Principal,
    pub company: i64,
    pub a: i64,
    pub b: i64,
    pub ingredient: i64,
}

/// Signs up a fresh owner (`tag` and `n` make the email unique per case) with [`TwoUnits`].
pub async fn two_units(db: &DatabaseConnection, tag: &str, n: usize) -> TwoUnits {
    use service::access::{Principal, Role};
    let session = service::accounts::sign_up(
        db,
        service::accounts::SignUp {
            email: format!("{tag}{n}-{}@example.com", uuid::Uuid::new_v4().simple()),
            password: "property tests".into(),
            name: "P".into(),
            company_name: format!("{tag} {n}"),
            timezone: None,
            currency: None,
        },
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    let company = service::memberships::user_memberships(db, session.user.id)
        .await
        .unwrap()[0]
        .0
        .id;
    let principal = Principal::User {
        user_id: session.user.id,
        memberships: HashMap::from([(company, Role::Owner)]),
    };
    let mut units = Vec::new();
    for name in ["A", "B"] {
        units.push(
            service::storage_units::create(db, &principal, company, name, None)
                .await
                .unwrap()
                .id,
        );
    }
    let input = service::ingredients::IngredientInput {
        name: "Flour".into(),
        base_unit: service::units::BaseUnit::Kg,
        category: None,
        active: true,
        packaging_levels: vec![],
    };
    let ingredient = service::ingredients::create(db, &principal, company, input)
        .await
        .unwrap()
        .id;
    TwoUnits {
        principal,
        company,
        a: units[0],
        b: units[1],
        ingredient,
    }
}

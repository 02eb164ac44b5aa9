//! Which entry stands at one place (DESIGN.md, "Counting anywhere", entries): the entries of one
//! ingredient at one place, taken in the order they were counted, decide it alone — not the
//! order they reached the server, so a counter who was offline for an hour changes nothing by
//! arriving late.
//!
//! The later entry stands. An entry by another counter that finds a different quantity opens a
//! conflict between the two; the next entry at that place — whoever makes it, with whatever
//! quantity — settles it. A counter correcting their own entry, or a second counter finding the
//! same, is no conflict.

use chrono::{DateTime, Utc};

/// What settling needs to know of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub client_id: String,
    pub counted_by: i64,
    pub quantity_micro: i64,
    pub counted_at: DateTime<Utc>,
}

/// The outcome at one place: the standing entry and, while unsettled, the two that disagree
/// (the earlier first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled<'a, T> {
    pub standing: &'a T,
    pub conflict: Option<(&'a T, &'a T)>,
}

/// Settles the entries of one place. `None` when there are none.
pub fn settle<T, F>(entries: &[T], facts: F) -> Option<Settled<'_, T>>
where
    F: Fn(&T) -> &Counted,
{
    let mut ordered: Vec<&T> = entries.iter().collect();
    // Ties in the counted time go by the client's id: the same set of entries settles the same
    // way whatever order it arrived in.
    ordered.sort_by(|a, b| {
        let (a, b) = (facts(a), facts(b));
        (a.counted_at, &a.client_id).cmp(&(b.counted_at, &b.client_id))
    });
    let mut ordered = ordered.into_iter();
    let mut standing = ordered.next()?;
    let mut conflict = None;
    for entry in ordered {
        let (now, was) = (facts(entry), facts(standing));
        conflict = if conflict.is_some() {
            None
        } else if now.counted_by != was.counted_by && now.quantity_micro != was.quantity_micro {
            Some((standing, entry))
        } else {
            None
        };
        standing = entry;
    }
    Some(Settled { standing, conflict })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn entry(client: &str, by: i64, quantity: i64, minute: u32) -> Counted {
        Counted {
            client_id: client.into(),
            counted_by: by,
            quantity_micro: quantity,
            counted_at: Utc.with_ymd_and_hms(2026, 12, 6, 22, minute, 0).unwrap(),
        }
    }

    fn outcome(entries: &[Counted]) -> (i64, Option<(String, String)>) {
        let s = settle(entries, |e| e).expect("entries");
        (
            s.standing.quantity_micro,
            s.conflict
                .map(|(a, b)| (a.client_id.clone(), b.client_id.clone())),
        )
    }

    #[test]
    fn a_counter_correcting_their_own_entry_is_no_conflict() {
        assert_eq!(
            outcome(&[entry("a1", 1, 5, 0), entry("a2", 1, 6, 1)]),
            (6, None)
        );
    }

    #[test]
    fn two_counters_disagreeing_is_a_conflict_and_the_later_stands() {
        assert_eq!(
            outcome(&[entry("b1", 2, 6, 1), entry("a1", 1, 5, 0)]),
            (6, Some(("a1".into(), "b1".into())))
        );
    }

    #[test]
    fn two_counters_finding_the_same_is_no_conflict() {
        assert_eq!(
            outcome(&[entry("a1", 1, 5, 0), entry("b1", 2, 5, 1)]),
            (5, None)
        );
    }

    #[test]
    fn the_next_entry_settles_a_conflict_whoever_makes_it() {
        let base = [entry("a1", 1, 5, 0), entry("b1", 2, 6, 1)];
        for settling in [
            entry("a2", 1, 5, 2),
            entry("b2", 2, 7, 2),
            entry("c1", 3, 4, 2),
        ] {
            let mut all = base.to_vec();
            all.push(settling.clone());
            assert_eq!(outcome(&all), (settling.quantity_micro, None));
        }
    }

    #[test]
    fn a_disagreement_after_a_settled_one_is_a_new_conflict() {
        assert_eq!(
            outcome(&[
                entry("a1", 1, 5, 0),
                entry("b1", 2, 6, 1),
                entry("c1", 3, 7, 2),
                entry("a2", 1, 8, 3),
            ]),
            (8, Some(("c1".into(), "a2".into())))
        );
    }

    proptest! {
        /// However the entries arrive, the same ones stand and conflict.
        #[test]
        fn the_outcome_does_not_depend_on_arrival_order(
            raw in prop::collection::vec((1i64..4, 0i64..4, 0u32..6), 1..12),
            seed in any::<u64>(),
        ) {
            let entries: Vec<Counted> = raw
                .iter()
                .enumerate()
                .map(|(i, (by, q, minute))| entry(&format!("c{i:02}"), *by, *q, *minute))
                .collect();
            let mut shuffled = entries.clone();
            // A cheap deterministic shuffle from the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(outcome(&entries), outcome(&shuffled));
            // The standing entry is one of the latest counted.
            let latest = entries.iter().map(|e| e.counted_at).max().unwrap();
            let s = settle(&shuffled, |e| e).unwrap();
            prop_assert_eq!(s.standing.counted_at, latest);
        }
    }
}

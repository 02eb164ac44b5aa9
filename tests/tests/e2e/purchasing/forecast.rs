//! The usage forecast: by weekday when the window covers each weekday twice, flat otherwise,
//! and business days that start at the company's hour in a timezone far from UTC.

use chrono::{Datelike, Duration, Utc, Weekday};
use rust_decimal::Decimal;
use serde_json::json;
use tests::calendar::{local, open_business_day};
use tests::{TestApp, on_both_backends};

use super::{SUGGESTIONS, dec, id, issue, noons_before, receive};

async fn usage_is_forecast_by_weekday_when_the_window_covers_each_weekday_twice(app: TestApp) {
    let k = app.kitchen("weekdays@example.com").await;
    let t = k.token.as_str();
    let c = json!({"c": k.company});
    let milk = id(&app
        .ok(t, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Milk\", baseUnit: L) { id } }", c.clone())
        .await["createIngredient"]["id"]);
    // Saturdays use 10 L, every other day 2 L.
    receive(&app, t, &k.unit, &milk, "100", "1").await;
    let open_day = open_business_day(chrono_tz::Europe::Berlin, 5);
    let used = |day: chrono::NaiveDate| {
        if day.weekday() == Weekday::Sat {
            Decimal::from(10)
        } else {
            Decimal::TWO
        }
    };
    let days = noons_before(open_day, 28);
    for (day, noon) in &days {
        issue(&app, t, &k.unit, &milk, &used(*day).to_string(), *noon).await;
    }
    let total: Decimal = days.iter().map(|(d, _)| used(*d)).sum();
    let on_hand = Decimal::from(100) - total;
    let set = |window: i64| json!({"i": {"ingredientId": milk, "storageUnitId": k.unit, "kind": "AUTOMATIC", "usageWindowDays": window}});
    app.ok(
        t,
        "mutation($i: StockPolicyInput!) { setStockPolicy(input: $i) { kind } }",
        set(28),
    )
    .await;
    // No preferred product: a lead time of one day, the need unrounded. Cover: today and the
    // 1 + 7 − 1 days after it, each at its weekday's average.
    let cover: Decimal = (0..8).map(|k| used(open_day + Duration::days(k))).sum();
    let average = total / Decimal::from(28);
    let s = app.ok(t, SUGGESTIONS, json!({"c": k.company})).await;
    let milk_row = &s["reorderSuggestions"][0];
    assert_eq!(dec(&milk_row["averageDailyUsage"]), average.round_dp(6));
    assert_eq!(
        dec(&milk_row["need"]),
        (cover + average - on_hand).round_dp(6),
        "{s:#}"
    );
    assert_eq!(milk_row["suggestedPacks"], "0");
    assert_eq!(dec(&milk_row["suggestedQuantity"]), dec(&milk_row["need"]));
    assert!(milk_row["reason"].as_str().unwrap().contains("by weekday"));

    // Thirteen days miss a weekday's second occurrence: flat.
    app.ok(
        t,
        "mutation($i: StockPolicyInput!) { setStockPolicy(input: $i) { kind } }",
        set(13),
    )
    .await;
    let recent: Decimal = days[..13].iter().map(|(d, _)| used(*d)).sum();
    let flat = recent / Decimal::from(13);
    let s = app.ok(t, SUGGESTIONS, json!({"c": k.company})).await;
    let milk_row = &s["reorderSuggestions"][0];
    assert_eq!(dec(&milk_row["averageDailyUsage"]), flat.round_dp(6));
    assert_eq!(
        dec(&milk_row["need"]),
        (flat * Decimal::from(9) - on_hand).round_dp(6),
        "{s:#}"
    );
    assert!(!milk_row["reason"].as_str().unwrap().contains("by weekday"));
}

on_both_backends!(usage_is_forecast_by_weekday_when_the_window_covers_each_weekday_twice);

async fn usage_days_start_at_the_companys_hour_far_from_utc(app: TestApp) {
    let k = app.kitchen("kiritimati@example.com").await;
    let t = k.token.as_str();
    // UTC+14: the business day and the UTC calendar date differ for most of the day.
    app.ok(t, "mutation($c: ID!) { updateCompany(id: $c, input: {timezone: \"Pacific/Kiritimati\", businessDayStartHour: 5}) { timezone } }", json!({"c": k.company}))
        .await;
    let tz = chrono_tz::Pacific::Kiritimati;
    receive(&app, t, &k.unit, &k.flour, "5000", "1").await;
    let open_day = open_business_day(tz, 5);
    // 04:59 on the open day's date still belongs to yesterday (counted); now is today (not
    // counted, the day is still open); 05:00 eight days back is that day's first minute;
    // 04:59 that morning belongs to the day before it.
    issue(&app, t, &k.unit, &k.flour, "1", local(tz, open_day, 4, 59)).await;
    issue(&app, t, &k.unit, &k.flour, "100", Utc::now()).await;
    issue(
        &app,
        t,
        &k.unit,
        &k.flour,
        "3",
        local(tz, open_day - Duration::days(7), 5, 0),
    )
    .await;
    issue(
        &app,
        t,
        &k.unit,
        &k.flour,
        "1000",
        local(tz, open_day - Duration::days(7), 4, 59),
    )
    .await;
    let outlook = app
        .ok(
            t,
            "query($c: ID!) { stockOutlook(companyId: $c) { averageDailyUsage dailyUsage } }",
            json!({"c": k.company}),
        )
        .await;
    let row = &outlook["stockOutlook"][0];
    let daily: Vec<Decimal> = row["dailyUsage"]
        .as_array()
        .unwrap()
        .iter()
        .map(dec)
        .collect();
    let mut expected = vec![Decimal::ZERO; 14];
    expected[13] = Decimal::ONE; // yesterday
    expected[7] = Decimal::from(3); // seven days before today
    expected[6] = Decimal::from(1000); // the day before that
    assert_eq!(daily, expected, "{outlook:#}");
    assert_eq!(
        dec(&row["averageDailyUsage"]),
        (Decimal::from(1004) / Decimal::from(28)).round_dp(6)
    );
}

on_both_backends!(usage_days_start_at_the_companys_hour_far_from_utc);

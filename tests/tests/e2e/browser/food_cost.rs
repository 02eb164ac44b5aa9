//! Food cost in the browser, on the demo restaurant: the AvT report between the last two counts
//! with its chart and a row's ledger one click away, the menu matrix, the price changes on the
//! dashboard and their page, and the recipes' costs in the list and the editor.

use super::*;

async fn food_cost_reads_from_the_demo(app: TestApp) {
    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Recent movements").await;
    // Mozzarella went up 12 % a month ago: the dashboard says so.
    wait_for_text(&browser, "#latest-price-changes", "→").await;

    browser
        .click(Locator::Css("aside a[href='/food-cost']"))
        .await;
    let table = wait_for_text(&browser, "table#variance", "✓ ✓").await;
    assert!(table.contains('€'), "values in money: {table}");
    element(
        &browser,
        "figure.bar-chart svg rect",
        "the largest variances drawn",
    )
    .await;
    element(&browser, "#variance-period", "the period the counts set").await;
    browser.screenshot("food-cost-variance").await;
    // A row opens that ingredient's ledger for the period.
    browser
        .click(Locator::Css(
            "table#variance tbody tr:first-child td:first-child a",
        ))
        .await;
    element(&browser, "table#ledger", "the ingredient's ledger").await;
    let url = c.current_url().await.unwrap();
    assert!(
        url.as_str().contains("ingredient=") && url.as_str().contains("from="),
        "{url}"
    );

    c.goto(&format!("{}/food-cost?view=menu", app.address))
        .await
        .unwrap();
    let menu = wait_for_text(&browser, "table#menu-engineering", "Pizza Margherita").await;
    assert!(
        menu.contains("Star") || menu.contains("Plowhorse"),
        "{menu}"
    );
    let matrix = element(&browser, "figure.matrix-chart svg", "the menu matrix").await;
    let quadrants = matrix.text().await.unwrap();
    for label in ["Star", "Plowhorse", "Puzzle", "Dog"] {
        assert!(quadrants.contains(label), "{label} in {quadrants}");
    }
    browser.screenshot("food-cost-menu").await;

    c.goto(&format!("{}/food-cost?view=prices", app.address))
        .await
        .unwrap();
    wait_for_text(&browser, "table#price-changes", "Mozzarella").await;

    c.goto(&format!("{}/recipes", app.address)).await.unwrap();
    let row = wait_for_text(&browser, "table#recipes", "Pizza Margherita").await;
    assert!(
        row.contains('€') && row.contains('%'),
        "cost and food cost %: {row}"
    );
    browser
        .click(Locator::XPath(
            "//table[@id='recipes']//a[text()='Pizza Margherita']",
        ))
        .await;
    let cost = wait_for_text(&browser, "#recipe-cost", "€").await;
    assert!(cost.contains("Mozzarella"), "the cost of each line: {cost}");
    browser.close().await;
}

mod food_cost_reads_from_the_demo {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::food_cost_reads_from_the_demo(super::demo_app(tests::Backend::Sqlite).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::food_cost_reads_from_the_demo(super::demo_app(tests::Backend::Postgres).await).await
    }
}

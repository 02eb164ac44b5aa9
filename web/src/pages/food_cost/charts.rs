//! The food cost charts: horizontal bars of the largest variances, and the menu matrix. Plot
//! coordinates only are computed here; every label is the server's figure, formatted.

use leptos::prelude::*;

use crate::format::{money, qty};

/// One bar: its label, the figure it shows, and that figure as a number for the length.
pub struct Bar {
    pub label: String,
    pub value: String,
}

/// Horizontal bars, longest first as given; negative figures (found more than the books) are
/// drawn to the left of the axis.
#[component]
pub fn Bars(bars: Vec<Bar>, #[prop(into)] title: String) -> impl IntoView {
    let numbers: Vec<f64> = bars
        .iter()
        .map(|b| b.value.parse::<f64>().unwrap_or(0.0))
        .collect();
    let largest = numbers.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(0.01);
    let (w, row, label_w) = (720.0f64, 28.0f64, 200.0f64);
    let axis = label_w + (w - label_w) * 0.15;
    let scale = (w - axis - 90.0) / largest;
    let h = row * bars.len() as f64 + 8.0;
    let label = title.clone();
    view! {
        <figure class="bar-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=label>
                <title>{title}</title>
                <line class="axis" x1=axis y1=0 x2=axis y2=h />
                {bars.into_iter().zip(numbers).enumerate().map(|(i, (b, v))| {
                    let y = i as f64 * row + 4.0;
                    let length = (v.abs() * scale).max(1.0);
                    let x = if v < 0.0 { axis - length } else { axis };
                    view! {
                        <g class:gain=v < 0.0>
                            <text x=label_w - 8.0 y=y + 17.0 text-anchor="end">{b.label}</text>
                            <rect x=format!("{x:.1}") y=y width=format!("{length:.1}") height=row - 8.0 />
                            <text x=format!("{:.1}", axis.max(x + length) + 6.0) y=y + 17.0>{money(&b.value)}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// One item in the menu matrix.
pub struct Point {
    pub label: String,
    pub units: String,
    pub margin_per_unit: String,
    /// The class's catalogue key, as a CSS class too (`star`, `dog`…).
    pub class: &'static str,
}

/// Popularity (units sold) across, margin per unit up, the two dividing lines where the server
/// drew them, and the four quadrants named.
#[component]
pub fn Matrix(
    points: Vec<Point>,
    popular_from: Option<String>,
    average_margin: Option<String>,
    labels: [String; 4],
    #[prop(into)] title: String,
) -> impl IntoView {
    let num = |s: &str| s.parse::<f64>().unwrap_or(0.0);
    let xs: Vec<f64> = points.iter().map(|p| num(&p.units)).collect();
    let ys: Vec<f64> = points.iter().map(|p| num(&p.margin_per_unit)).collect();
    let split_x = popular_from.as_deref().map(num);
    let split_y = average_margin.as_deref().map(num);
    let x_max = xs.iter().cloned().chain(split_x).fold(1.0f64, f64::max) * 1.1;
    let y_max = ys.iter().cloned().chain(split_y).fold(0.01f64, f64::max) * 1.15;
    let y_min = ys.iter().cloned().fold(0.0f64, f64::min);
    let (w, h, pad) = (720.0f64, 360.0f64, 40.0f64);
    let x = move |v: f64| pad + v / x_max * (w - 2.0 * pad);
    let y = move |v: f64| h - pad - (v - y_min) / (y_max - y_min) * (h - 2.0 * pad);
    let [star, plowhorse, puzzle, dog] = labels;
    let label = title.clone();
    view! {
        <figure class="matrix-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=label>
                <title>{title}</title>
                <line class="axis" x1=pad y1=y(y_min) x2=w - pad y2=y(y_min) />
                <line class="axis" x1=pad y1=pad x2=pad y2=h - pad />
                {split_x.map(|v| view! { <line class="split" x1=x(v) y1=pad x2=x(v) y2=h - pad /> })}
                {split_y.map(|v| view! { <line class="split" x1=pad y1=y(v) x2=w - pad y2=y(v) /> })}
                <text class="quadrant" x=w - pad - 4.0 y=pad + 14.0 text-anchor="end">{star}</text>
                <text class="quadrant" x=pad + 6.0 y=pad + 14.0>{puzzle}</text>
                <text class="quadrant" x=w - pad - 4.0 y=h - pad - 8.0 text-anchor="end">{plowhorse}</text>
                <text class="quadrant" x=pad + 6.0 y=h - pad - 8.0>{dog}</text>
                {points.into_iter().zip(xs.into_iter().zip(ys)).map(|(p, (px, py))| {
                    let tip = format!("{}: {} · {}", p.label, qty(&p.units), money(&p.margin_per_unit));
                    // Names on the right half read leftwards, so none runs off the chart.
                    let right_half = x(px) > w * 0.6;
                    let (label_x, anchor) = if right_half { (x(px) - 9.0, "end") } else { (x(px) + 9.0, "start") };
                    view! {
                        <g class=format!("point {}", p.class)>
                            <circle cx=format!("{:.1}", x(px)) cy=format!("{:.1}", y(py)) r="6"><title>{tip}</title></circle>
                            <text x=format!("{label_x:.1}") y=format!("{:.1}", y(py) + 4.0) text-anchor=anchor>{p.label}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

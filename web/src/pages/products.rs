//! Products: what is ordered from a vendor, with the ingredient and packaging factor.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::forms::{Field, RecordForm, Select, act_on, decimal, positive_number, required, send};
use crate::i18n::t;
use crate::model::{Named, Product};
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
struct Data {
    products: Vec<Product>,
    vendors: Vec<Named>,
    ingredients: Vec<Named>,
}

#[component]
pub fn Products() -> impl IntoView {
    let session = use_session();
    let (search, set_search) = query_param("q");
    let (vendor_filter, set_vendor_filter) = query_param("vendor");
    let list = LocalResource::new(move || {
        let (company, search, vendor) = (session.company_id(), search.get(), vendor_filter.get());
        async move {
            api::gql::<Data>(
                "query($c: ID!, $q: String, $v: ID) { products(companyId: $c, search: $q, vendorId: $v) { id name sku gtin packName packagingFactor vendor { id name } ingredient { id name baseUnit } } vendors(companyId: $c) { id name } ingredients(companyId: $c) { id name } }",
                json!({"c": company, "q": search, "v": if vendor.is_empty() { Value::Null } else { json!(vendor) }}),
            )
            .await
        }
    });
    let options = move |pick: fn(&Data) -> &Vec<Named>| {
        Signal::derive(move || {
            list.get()
                .and_then(Result::ok)
                .map(|d| {
                    pick(&d)
                        .iter()
                        .map(|n| (n.id.clone(), n.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let vendor_options = options(|d| &d.vendors);
    let ingredient_options = options(|d| &d.ingredients);
    let vendor = RwSignal::new(String::new());
    let ingredient = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let sku = RwSignal::new(String::new());
    let pack_name = RwSignal::new("box".to_string());
    let factor = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let minimum_packs = RwSignal::new("1".to_string());
    let gtin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move || {
        let unit_value = unit.get_untracked();
        let input = json!({
            "vendorId": vendor.get_untracked(), "ingredientId": ingredient.get_untracked(), "name": name.get_untracked(),
            "sku": sku.get_untracked(), "packName": pack_name.get_untracked(), "packagingFactor": decimal(&factor.get_untracked()),
            "packagingUnit": if unit_value.is_empty() { Value::Null } else { json!(unit_value) },
            "minimumPacks": decimal(&minimum_packs.get_untracked()),
            "gtin": gtin.get_untracked().trim(),
        });
        send(
            error,
            "mutation($c: ID!, $in: ProductInput!) { createProduct(companyId: $c, input: $in) { id } }",
            json!({"c": session.company_id(), "in": input}),
            move || {
                for s in [name, sku, factor, gtin] {
                    s.set(String::new());
                }
                list.refetch();
            },
        )
    };
    let archive = move |id: String| {
        act_on(
            error,
            "mutation($id: ID!) { archiveProduct(id: $id) { id } }",
            id,
            move || list.refetch(),
        )
    };
    let units = Signal::stored(
        ["G", "KG", "ML", "CL", "L", "PCS"]
            .into_iter()
            .map(|u| (u.to_string(), u.to_string()))
            .collect::<Vec<_>>(),
    );
    view! {
        <PageHead title=t("nav-products")>
            <input type="search" placeholder=t("products-search-name-or-sku") aria-label=t("ingredients-search")
                prop:value=move || search.get()
                on:input:target=move |ev| set_search(ev.target().value()) />
            <select aria-label=t("field-vendor") on:change:target=move |ev| set_vendor_filter(ev.target().value())>
                <option value="">{t("products-all-vendors")}</option>
                {move || vendor_options.get().into_iter().map(|(id, n)| {
                    let selected = vendor_filter.get() == id;
                    view! { <option value=id selected=selected>{n}</option> }
                }).collect_view()}
            </select>
        </PageHead>
        <Show when=move || session.can_manage()>
            <RecordForm noun="product" on_submit=submit error=error>
                <div class="grid">
                    <Select label=t("field-vendor") value=vendor options=vendor_options field="vendorId" error=error empty=t("choose") />
                    <Select label=t("field-ingredient") value=ingredient options=ingredient_options field="ingredientId" error=error empty=t("choose") />
                </div>
                <div class="grid">
                    <Field label=t("products-product-name") value=name field="name" error=error check=required placeholder=t("products-tomatoes-box-10-kg") />
                    <Field label=t("products-sku") value=sku field="sku" error=error check=required />
                    <Field label=t("products-gtin") value=gtin field="gtin" error=error placeholder="4006381333931" />
                </div>
                <div class="grid">
                    <Field label=t("products-pack") value=pack_name field="packName" error=error />
                    <Field label=t("products-quantity-in-one-pack") value=factor field="packagingFactor" error=error check=positive_number decimal=true />
                    <Select label=t("products-in-unit") value=unit options=units field="packagingUnit" error=error empty=t("products-ingredient-s-base-unit") />
                    <Field label=t("products-minimum-packs") value=minimum_packs field="minimumPacks" error=error check=positive_number decimal=true />
                </div>
            </RecordForm>
        </Show>
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || list.get().map(|r| match r {
                Ok(data) if data.products.is_empty() => view! { <p class="muted">{t("products-no-products-match")}</p> }.into_any(),
                Ok(data) => view! {
                    <div class="overflow-auto">
                        <table>
                            <thead><tr><th>{t("field-product")}</th><th>{t("products-sku")}</th><th>{t("field-vendor")}</th><th>{t("field-ingredient")}</th><th class="num">{t("products-1-pack")}</th><th></th></tr></thead>
                            <tbody>
                                {data.products.into_iter().map(|p| {
                                    let id = p.id.clone();
                                    let (ingredient, base) = p.ingredient.map(|i| (i.name, i.base_unit)).unwrap_or_default();
                                    view! {
                                        <tr>
                                            <td>{p.name}</td>
                                            <td>{p.sku}{p.gtin.map(|g| view! { <br /><small class="muted">{g}</small> })}</td>
                                            <td>{p.vendor.map(|v| v.name).unwrap_or_default()}</td>
                                            <td>{ingredient}</td>
                                            <td class="num">{format!("{} {base} ({})", p.packaging_factor, p.pack_name)}</td>
                                            <td class="row-actions">
                                                <Show when=move || session.can_manage()>
                                                    {let id = id.clone(); view! { <button class="secondary outline" on:click=move |_| archive(id.clone())>{t("ingredients-archive")}</button> }}
                                                </Show>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

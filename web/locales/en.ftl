# Larder's English texts. Every key here has its German twin in de.ftl (a test compares them).

loading = Loading…
page-not-found = Not found
page-back-home = Back to Larder

## Navigation
nav-label = Main
nav-menu = Menu
nav-company = Company
nav-dashboard = Dashboard
nav-inventory = Inventory
nav-orders = Orders
nav-waste = Waste
nav-transfers = Transfers
nav-stock-counts = Stock counts
nav-ledger = Ledger
nav-reports = Reports
nav-storage-units = Storage units
nav-ingredients = Ingredients
nav-recipes = Recipes
nav-vendors = Vendors
nav-products = Products
nav-integrations = Integrations
nav-jobs = Jobs
nav-settings = Settings
nav-sign-out = Sign out

## Roles
role-owner = Owner
role-manager = Manager
role-staff = Staff
role-viewer = Viewer

## Movement types
type-receipt = Receipt
type-issue = Issue
type-waste = Waste
type-transfer_in = Transfer in
type-transfer_out = Transfer out
type-adjust = Adjustment

## Forms
action-cancel = Cancel
check-required = Required
check-positive = Must be greater than zero
check-number = Enter a number
check-email = Enter an email address
check-password-length = At least 8 characters
storage-unit-new = New storage unit
storage-unit-edit = Edit storage unit
storage-unit-create = Create storage unit
storage-unit-save = Save storage unit
vendor-new = New vendor
vendor-edit = Edit vendor
vendor-create = Create vendor
vendor-save = Save vendor
product-new = New product
product-edit = Edit product
product-create = Create product
product-save = Save product
ingredient-new = New ingredient
ingredient-edit = Edit ingredient
ingredient-create = Create ingredient
ingredient-save = Save ingredient

## Errors by code (the server's own words follow in other languages)
error-validation = Please check this value
error-not-found = Not found
error-forbidden = You may not do this
error-unauthenticated = Please sign in again
error-conflict = This changed in the meantime
error-rate-limited = Too many requests; try again in a moment
error-timeout = This took too long
error-internal = Something went wrong on our side
error-network = No connection to Larder

## Sign-in and sign-up
auth-sign-in-title = Sign in to Larder
auth-sign-up-title = Create your Larder
auth-email = Email
auth-password = Password
auth-sign-in = Sign in
auth-new-here = New here?
auth-create-account-link = Create an account
auth-create-account = Create account
auth-have-account = Have an account?
auth-your-name = Your name
auth-company-name = Restaurant (company) name
company-timezone = Timezone
company-currency = Currency

## Dashboard
dash-stock-value = Stock value
dash-in-transit = Transfers in transit
dash-receive-them = Receive them
dash-value-30-days = Stock value, last 30 days
dash-no-history = No history yet.
dash-critical = Critical stock
dash-critical-hint = depleted or below zero
dash-nothing-out = Nothing is out.
dash-tills = Tills
dash-last-30-days = last 30 days
dash-no-tills = No till is connected yet.
dash-all-days-transferred = Every day transferred
dash-days-untransferred = { $count ->
    [one] One day not transferred
   *[other] { $count } days not transferred
}
dash-unmapped-revenue = Unmapped revenue
dash-mapped-share = { $share } mapped
dash-recent = Recent movements
dash-whole-ledger = The whole ledger

## Profile
profile-title = You
profile-name = Your name
profile-language = Language
profile-language-browser = As my browser
profile-save = Save

## Fields
choose = Choose…
field-storage-unit = Storage unit
field-ingredient = Ingredient
field-quantity = Quantity
field-quantity-base = Quantity (base unit)
field-average-cost = Average cost
field-value = Value
field-price-per-unit = Price per unit
field-reason = Reason
filter-all-storage-units = All storage units

## Inventory
inventory-empty = No stock recorded yet.
inventory-receive-without-order = Receive stock without an order
inventory-post-receipt = Post receipt

## Waste (the reasons are the server's words; these are how they read)
reason-spoiled = Spoiled
reason-damaged = Damaged
reason-expired = Expired
reason-preparation-loss = Preparation loss
reason-comps = Comps
reason-staff-meal = Staff meal
reason-customer-return = Customer return
reason-spillage = Spillage
reason-over-portioned = Over-portioned
reason-other = Other
waste-posted = { $count ->
    [one] Posted 1 waste line.
   *[other] Posted { $count } waste lines.
}
waste-add-line = Add line
waste-post = Post waste
waste-what-happened = What happened

## Stock counts
count-title = Stock count
count-storage-unit = Storage unit to count
count-choose = Choose a storage unit: its open count is resumed, or a new one starts.
count-nothing-stocked = Nothing is stocked in this storage unit yet.
count-draft-saved = Draft saved.
count-posted = { $count ->
    [one] Posted: 1 adjustment.
   *[other] Posted: { $count } adjustments.
}
count-progress = { $done } of { $total } lines counted
count-on-books = On the books
count-counted = Counted
count-difference = Difference
count-check-hint = Differences over { $percent } % of the books are marked red: check them before posting.
count-save-draft = Save draft
count-post = Post count

## Transfers
transfer-shipped = Shipped; it is in transit until received.
transfer-moved = Moved at { $cost } per unit.
transfer-from = From
transfer-to = To
transfer-lot = Lot number (optional)
transfer-lot-of = lot { $lot }
transfer-in-transit-switch = Ship now, receive at the other end later
transfer-ship = Ship
transfer-now = Transfer now
transfer-in-transit = In transit
transfer-nothing-on-way = Nothing is on its way.
transfer-receive = Receive

## Orders
field-vendor = Vendor
field-reference = Reference
field-date = Date
field-status = Status
field-lines = Lines
field-product = Product
orders-search = Search reference or vendor
orders-status = Status
orders-all-statuses = All statuses
order-status-draft = Draft
order-status-sent = Sent
order-status-partial = Partly received
order-status-received = Received
order-status-cancelled = Cancelled
orders-none = No orders match.
orders-count = { $count ->
    [one] 1 order
   *[other] { $count } orders
}
orders-older = Older orders
orders-new = New order
orders-packs = Packs
orders-price-per-pack = Price per pack
orders-create = Create order
orders-order = Order
orders-back = All orders
orders-ordered = Ordered
orders-received = Received
orders-receive-now = Receive now (packs)
orders-receive-into = Receive into
orders-mark-sent = Mark as sent

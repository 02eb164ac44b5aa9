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
type-transfer-in = Transfer in
type-transfer-out = Transfer out
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
count-posted = { $count ->
    [one] Posted: 1 adjustment.
   *[other] Posted: { $count } adjustments.
}
count-on-books = On the books
count-counted = Counted
count-difference = Difference
count-post = Post count
count-progress = { $done } of { $total } lines counted
count-check-hint = Differences over { $percent } % of the books are marked red: check them before posting.
count-packs = Packs
count-loose = Loose
count-waiting = { $count ->
    [one] 1 entry waiting to be sent
   *[other] { $count } entries waiting to be sent
}
count-all-saved = All saved
count-offline = No connection: entries are kept on this device
count-post-waiting = { $count ->
    [one] 1 entry has not reached the server yet: post once it is sent.
   *[other] { $count } entries have not reached the server yet: post once they are sent.
}
count-post-conflicts = { $count ->
    [one] One place has two counts that disagree. Post anyway?
   *[other] { $count } places have counts that disagree. Post anyway?
}
count-conflicts = Counts that disagree
count-conflicts-hint = The later count stands. Count the place again to settle it.
count-unplaced = Not placed
count-at-place = Counting at
count-own-place = Each item's own place
count-blind = Blind count: the books are not shown.
count-scan-hint = Scan a pack with a barcode scanner to add one.
count-camera = Scan with the camera
count-scanned = +1 { $pack } { $ingredient }: { $packs } here now
count-unknown-code = Unknown code { $code }: give it to a product?
count-unknown-offline = Code { $code } is not known on this device: scan it again once online.
count-assign-to = Product for this code
count-assign = Assign and count
count-entries-refused = { $count ->
    [one] 1 entry was refused and dropped: { $reason }
   *[other] { $count } entries were refused and dropped: { $reason }
}

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

## Lists, records and integrations
ledger-export-csv = Export CSV
ledger-all-ingredients = All ingredients
ledger-all-types = All types
ledger-when = When
ledger-type = Type
ledger-unit-cost = Unit cost
ledger-balance = Balance
ledger-source = Source
ledger-older-entries = Older entries
ledger-reverse = Reverse
ledger-current-balance = Current balance
ledger-total-receipts = Total receipts
ledger-total-issues = Total issues
ledger-entries = Entries
ledger-no-data-the-week-before = no data the week before
ledger-not-enough-movements-for-a-chart-yet = Not enough movements for a chart yet.
ledger-stock-over-time-receipts-green-issue = Stock over time: receipts green, issues and waste red.
ledger-post-an-opposite-entry = Post an opposite entry
ledger-stock-over-time = Stock over time
reports-only-with-movements = Only with movements
reports-opening = Opening
reports-receipts = Receipts
reports-issues = Issues
reports-adjust = Adjust
reports-closing = Closing
reports-closing-value = Closing value
reports-inventory-report = Inventory report
ingredients-all = All
ingredients-active = Active
ingredients-inactive = Inactive
ingredients-no-ingredients-match = No ingredients match.
ingredients-name = Name
ingredients-category = Category
ingredients-base-unit = Base unit
ingredients-packaging = Packaging
ingredients-active-2 = active
ingredients-inactive-2 = inactive
ingredients-packaging-levels-quantities-in = Packaging levels (quantities in{" "}
ingredients-remove = Remove
ingredients-add-packaging-level = Add packaging level
ingredients-all-ingredients = ← All ingredients
ingredients-archive = Archive
ingredients-saved = Saved.
ingredients-search-ingredients = Search ingredients
ingredients-search = Search
ingredients-level-box-case = Level (box, case)
ingredients-base-units-in-one = Base units in one
ingredients-san-marzano-tomatoes = San Marzano tomatoes
ingredients-produce = Produce
recipes-new-recipe = New recipe
recipes-no-recipes-match = No recipes match.
recipes-yield-portions = Yield (portions)
recipes-all-recipes = ← All recipes
recipes-lines-per-portion = Lines (per portion)
recipes-ingredient-or-sub-recipe = Ingredient or sub-recipe
recipes-unit = Unit
recipes-trim = Trim %
recipes-issue-from = Issue from
recipes-add-ingredient-line = Add ingredient line
recipes-add-sub-recipe-line = Add sub-recipe line
recipes-save-recipe = Save recipe
recipes-one-portion-takes = One portion takes
recipes-sub-recipes-expanded-trim-loss-added = {" "}— sub-recipes expanded, trim loss added, in base units
recipes-issued-from = Issued from
recipes-portions = portions
recipes-search-recipes = Search recipes
recipes-recipe = Recipe
recipes-yield-portions-per-batch = Yield (portions per batch)
recipes-default-issue-storage-unit = Default issue storage unit
recipes-the-pos-location-s = The POS location's
recipes-recipe-default = Recipe default
recipes-move-up = Move up
recipes-remove-line = Remove line
vendors-no-vendors-match = No vendors match.
vendors-phone = Phone
vendors-notes = Notes
vendors-edit = Edit
vendors-search-vendors = Search vendors
vendors-order-email = Order email
vendors-notes-delivery-days-minimum-order = Notes (delivery days, minimum order)
products-all-vendors = All vendors
products-no-products-match = No products match.
products-sku = SKU
products-1-pack = 1 pack =
products-search-name-or-sku = Search name or SKU
products-product-name = Product name
products-tomatoes-box-10-kg = Tomatoes, box 10 kg
products-pack = Pack
products-quantity-in-one-pack = Quantity in one pack
products-in-unit = in unit
products-ingredient-s-base-unit = Ingredient's base unit
storage-units-no-storage-units-yet = No storage units yet.
storage-units-address = Address
storage-units-search-storage-units = Search storage units
storage-units-walk-in-cooler = Walk-in cooler
storage-units-address-optional = Address (optional)
integrations-sales-from-your-pos-become-issue-mov = Sales from your POS become ISSUE movements.
integrations-no-integration-yet-connect-lightspee = No integration yet: connect Lightspeed or Sides, or add a CSV upload, below.
integrations-provider = Provider
integrations-connection = Connection
integrations-automatic-transfer = Automatic transfer
integrations-locations = Locations
integrations-mapping = Mapping
integrations-connect-a-pos = Connect a POS
integrations-add-a-csv-upload = Add a CSV upload
integrations-for-any-pos-that-exports-sales-as-a = For any POS that exports sales as a file. Lightspeed and Sides connect directly.
integrations-add-csv-integration = Add CSV integration
integrations-map-items = Map items →
integrations-automatic-transfer-2 = Automatic transfer:{" "}
integrations-each-closed-business-day-of-every-ac = Each closed business day of every active location is transferred soon after it closes; the day before is pulled again to catch late receipts.
integrations-transfer-them-now = Transfer them now
integrations-location = Location
integrations-storage-unit-sales-are-taken-from = Storage unit (sales are taken from)
integrations-till-export = Till export
integrations-posintegration = POS integration
integrations-no-longer-listed-by-the-pos-not-tran = No longer listed by the POS: not transferred until a sync finds it again
integrations-link = Link
integrations-activate = Activate
integrations-transfer-day = Transfer day
integrations-rerun-migration = Rerun migration
integrations-add-location = Add location
integrations-choose = — choose —
integrations-business-day = Business day
integrations-location-code = Location code
integrations-location-name = Location name
integrations-dining-room-2 = Dining room
integrations-csv-import-configuration = CSV import configuration
integrations-the-first-row-is-a-header-columns-by = The first row is a header (columns by name; otherwise by position 1, 2, 3…)
integrations-preview-with-a-file = Preview with a file{" "}
integrations-try-the = Try the{" "}
integrations-sample-sales-file = sample sales file
integrations-semicolons-decimal-commas-dates-like = {" "}(semicolons, decimal commas, dates like 09.11.2026 12:04).
integrations-save-configuration = Save configuration
integrations-saved = {" "}Saved.
integrations-row = Row
integrations-code = Code
integrations-item = Item
integrations-qty = Qty
integrations-problem = Problem
integrations-upload-sales = Upload sales
integrations-sales-file = Sales file
integrations-post-the-valid-rows-only-by-default = Post the valid rows only (by default a file with any invalid row posts nothing)
integrations-upload = Upload
integrations-delimiter = Delimiter
integrations-decimal-separator = Decimal separator
integrations-encoding = Encoding
integrations-pos-code-column = POS code column
integrations-item-name-column = Item name column
integrations-quantity-column = Quantity column
integrations-sales-value-column = Sales value column
integrations-date-column = Date column
integrations-date-format = Date format
mapping-integration = ← Integration
mapping-units-sold-that-are-mapped = Units sold that are mapped
mapping-revenue-that-is-mapped = Revenue that is mapped
mapping-revenue-still-unmapped = Revenue still unmapped
mapping-items = Items
mapping-map-to = Map to…
mapping-map-selected = Map selected
mapping-sold = Sold
mapping-revenue = Revenue
mapping-maps-to = Maps to
mapping-factor = Factor
mapping-unmapped = — unmapped —
mapping-factor-base-units-of-the-ingredient = Factor: base units of the ingredient (KG, L, PCS) or portions of the recipe per unit sold. After changing mappings, rerun the migration of a location: only the difference is posted.
mapping-item-mapping = Item mapping
mapping-search-items = Search items
mapping-map-to-2 = Map to
mapping-quantity-factor = Quantity factor
mapping-select = Select
jobs-column = Column
jobs-what-is-wrong = What is wrong
jobs-migrations-transfers-and-imports-run = Migrations, transfers and imports run in the background.
jobs-no-jobs-yet = No jobs yet.
connections-lightspeed-k-series = Lightspeed K-Series
connections-you-sign-in-at-lightspeed-and-allow = You sign in at Lightspeed and allow Larder to read sales and items; Lightspeed sends you back here.
connections-connect-lightspeed = Connect Lightspeed
connections-sides-pos = Sides POS
connections-larder-signs-in-to-sides-with-this-l = Larder signs in to Sides with this login before saving it; a login Sides refuses is not saved.
connections-test-connection-and-save = Test connection and save
connections-finishing-the-lightspeed-connection = Finishing the Lightspeed connection…
connections-lightspeed-is-connected-sync-the-loc = Lightspeed is connected. Sync the locations next.
connections-connection = Connection:{" "}
connections-test-connection = Test connection
connections-change-the-sides-login = Change the Sides login
connections-test-and-save = Test and save
connections-transfer-log = Transfer log
connections-no-day-transferred-yet = No day transferred yet.
connections-day = Day
connections-posted = Posted
connections-skipped = Skipped
connections-unmapped = Unmapped
connections-sides-username = Sides username
connections-sides-password = Sides password
settings-save-company = Save company
settings-members = Members
settings-role = Role
settings-add-someone-who-has-signed-up-to-lar = Add someone who has signed up to Larder, or change their role.
settings-add-member = Add member
settings-api-tokens = API tokens
settings-for-integrations-on-the-graphql-api = {" "}— for integrations on the GraphQL API
settings-copy-this-token-now-it-is-not-shown = Copy this token now; it is not shown again:{" "}
settings-token = Token
settings-last-used = Last used
settings-revoked = revoked
settings-revoke = Revoke
settings-create-token = Create token
settings-currency-iso-code = Currency (ISO code)
settings-timezone-iana = Timezone (IANA)
settings-business-day-starts-at-hour = Business day starts at hour
settings-token-name = Token name
settings-accounting-export = Accounting export
connections-test-ok = ✓ reachable, login accepted
connections-test-failed = ✗ the test failed
connections-synced = Connected { $connected } · locations synced { $locations } · items synced { $items }
connections-reauthorize = Reauthorize
connections-sync-locations = Sync locations
connections-sync-stores = Sync stores
connections-sync-items = Sync items
connections-sync-products = Sync products
connections-never = never
integrations-resume = Resume
integrations-pause = Pause
job-kind-historical-migration = Historical migration
job-kind-manual-transfer = Manual transfer
job-kind-automatic-transfer = Automatic transfer
job-kind-csv-import = CSV import
job-kind-sync-locations = Sync locations
job-kind-sync-items = Sync items
jobs-job-created = Job { $id } · { $created }
role-owner-can = Owner — everything, members too
role-manager-can = Manager — master data, integrations, all movements
role-staff-can = Staff — receive, waste, count, transfer
role-viewer-can = Viewer — read only
reports-total-values = Total (values)
waste-remove-line = Remove this line
recipes-sub-recipe = Sub-recipe
ingredients-count = { $count ->
    [one] 1 ingredient
   *[other] { $count } ingredients
}
list-first-page = First page
list-next-page = Next page
csv-choose-file-to-preview = Choose a file to preview
csv-choose-file = Choose a file
csv-delimiter-comma = Comma ,
csv-delimiter-semicolon = Semicolon ;
csv-delimiter-tab = Tab
csv-decimal-point = Point 1.5
csv-decimal-comma = Comma 1,5
csv-encoding-windows = Windows-1252 (Excel)
csv-header = Header: { $columns }
locations-link-first = Link a storage unit first: sales are taken from it.
locations-activate-question = Activate { $name }?

    The last 90 days of its sales will be deducted from { $unit }. A wrong storage unit posts stock in the wrong place.
locations-pick-day = Pick the business day to transfer
job-state-queued = Queued
job-state-running = Running
job-state-succeeded = Succeeded
job-state-failed = Failed
job-state-cancelled = Cancelled
provider-lightspeed-k = Lightspeed K-Series
provider-sides = Sides POS
provider-csv = CSV upload
connection-state-not-connected = Not connected
connection-state-connected = Connected
connection-state-needs-reconnect = Needs reconnecting
auto-transfer-active = Active
auto-transfer-paused = Paused

# Paged lists of transfers, counts and jobs
transfer-status-draft = Draft
transfer-status-shipped = In transit
transfer-status-closed = Received
transfer-status-cancelled = Cancelled
transfer-all = All transfers
transfer-all-statuses = All statuses
transfer-none = No transfers match.
transfer-route = From → to
transfer-what = What
transfer-count = { $count ->
    [one] 1 transfer
   *[other] { $count } transfers
}
transfer-older = Older transfers
count-status-open = Open
count-status-posted = Posted
count-status-cancelled = Cancelled
count-history = Counts
count-all-statuses = All statuses
count-none = No counts match.
count-resume = Resume
count-count = { $count ->
    [one] 1 count
   *[other] { $count } counts
}
count-older = Older counts
jobs-state = State
jobs-kind = Kind
jobs-all-states = All states
jobs-all-kinds = All kinds
jobs-count = { $count ->
    [one] 1 job
   *[other] { $count } jobs
}
jobs-older = Older jobs

# Food cost
nav-food-cost = Food cost
food-variance = Actual vs theoretical
food-menu = Menu engineering
food-prices = Price changes
food-from = From
food-to = To
food-last-two-counts = Between the last two counts
food-largest-variances = Largest variances in money
food-no-movements = Nothing moved in this period.
food-counted = Counted
food-counted-hint = Counted at the start and at the end of the period: only then are the figures trustworthy.
food-theoretical = Theoretical (POS)
food-other-issues = Other issues
food-unexplained = Unexplained
food-actual = Actual
food-variance-value = Variance
food-variance-percent = Variance %
food-revenue-net = Revenue (net)
food-cost-of-sales = Cost of sales
food-no-sales = No sales with a value in this period.
food-menu-matrix = Menu matrix: popularity across, margin per unit up
food-item = Item
food-units-sold = Units sold
food-margin = Margin
food-margin-per-unit = Margin per unit
food-class = Class
food-prices-last-30-days = Receipts of the last 30 days whose price moved at least the company's alert percentage.
food-no-price-changes = No price changes in the last 30 days.
food-before = Before
food-after = After
food-change = Change
food-recipes-per-portion = Recipes (cost per portion)
food-all-price-changes = All price changes
menu-class-star = Star
menu-class-plowhorse = Plowhorse
menu-class-puzzle = Puzzle
menu-class-dog = Dog
field-recipe = Recipe
recipes-cost-per-portion = Cost per portion
recipes-menu-price = Menu price
recipes-menu-price-gross = Menu price (gross, optional)
recipes-food-cost = Food cost
recipes-food-cost-of-price = { $percent } of the menu price net of VAT
recipes-cost-incomplete = Some ingredients have no cost yet (never received): the cost counts only the others.
recipes-unit-cost = Unit cost
recipes-line-cost = Cost
recipes-no-cost = no cost yet
recipes-active = active
recipes-inactive = inactive
settings-sales-vat = VAT in sales prices (%)
settings-price-alert = Price change alert from (%)
orders-price-changed = Differs from the last delivery's price
nav-purchasing = Purchasing
purchasing-suggestions = What to order
purchasing-policies = Stock policies
purchasing-any-day = any day
weekday-1 = Mon
weekday-2 = Tue
weekday-3 = Wed
weekday-4 = Thu
weekday-5 = Fri
weekday-6 = Sat
weekday-7 = Sun
purchasing-nothing-to-order = Nothing needs ordering now.
purchasing-set-policies = Set stock policies
purchasing-create-drafts = Create draft orders
purchasing-no-preferred-product = No preferred product (order by hand)
purchasing-lead-time = { $days ->
    [one] delivers in { $days } day
   *[other] delivers in { $days } days
}
purchasing-orders-today = order today
purchasing-on-hand = On hand
purchasing-on-order = On order
purchasing-days-left = Days left
purchasing-order = Order
purchasing-estimated-cost = Estimated cost
purchasing-total = Total
purchasing-below-minimum = below the minimum order of { $minimum }
purchasing-minimum = minimum order { $minimum }
purchasing-packs = Packs of
purchasing-why = Why?
purchasing-drafts-made = Draft orders created
purchasing-under-minimum = under the vendor's minimum
purchasing-send = Send
purchasing-sent = Sent
purchasing-manual-summary = Manual: order at { $reorder }, up to { $par }
purchasing-automatic-summary = Automatic: review every { $review } days, { $safety } { $safetyCount ->
    [one] safety day
   *[other] safety days
}, { $window }-day usage
purchasing-kind = Policy
purchasing-kind-automatic = Automatic (from usage)
purchasing-kind-manual = Manual (reorder point and par)
purchasing-review-days = Review period (days)
purchasing-safety-days = Safety stock (days)
purchasing-window-days = Usage window (days)
purchasing-reorder-point = Reorder point
purchasing-par-level = Par level
purchasing-apply-to = { $count ->
    [one] Apply to { $count } ingredient
   *[other] Apply to { $count } ingredients
}
purchasing-applied = { $count ->
    [one] Policy set for { $count } ingredient.
   *[other] Policy set for { $count } ingredients.
}
purchasing-select-all = Select all
purchasing-policy = Policy
purchasing-no-policy = No policy: no suggestions
purchasing-remove = Remove
purchasing-preferred-product = Preferred product
purchasing-none = None
purchasing-save-preferred = Save preferred product
purchasing-saved = Saved.
purchasing-set-policy = Set policy
purchasing-days = { $days } days
purchasing-running-out = Running out
purchasing-no-usage = No usage in the last 28 days.
purchasing-runs-out-in = runs out in { $days }
purchasing-usage-14-days = Usage over the last 14 days
vendors-lead-time = Lead time (days)
vendors-minimum-order = Minimum order value
vendors-order-weekdays = Order days
vendors-terms = Ordering
products-minimum-packs = Minimum packs
purchasing-reason-flat = { $average } { $unit }/day × ({ $lead } + { $review } days + { $safety } { $safetyCount ->
    [one] safety day
   *[other] safety days
}) − { $onHand } on hand − { $onOrder } on order = { $need } { $unit }
purchasing-reason-weekday = { $forecast } { $unit } forecast by weekday over ({ $lead } + { $review } days) + { $safety } { $safetyCount ->
    [one] safety day
   *[other] safety days
} × { $average } { $unit }/day − { $onHand } on hand − { $onOrder } on order = { $need } { $unit }
purchasing-reason-manual = at or below the reorder point of { $reorder } { $unit }: par { $par } − { $onHand } on hand − { $onOrder } on order = { $need } { $unit }
purchasing-reason-packs = → { $packs } × { $pack } of { $factor } { $unit }
purchasing-reason-minimum = (raised to the vendor's minimum)
purchasing-reason-no-product = (no preferred product: order it by hand)

## E-invoices
nav-invoices = Invoices
invoices-all-vendors = All vendors
invoices-drop = Drop e-invoices here — XRechnung, ZUGFeRD, Factur-X or Peppol UBL, as XML or PDF — or
invoices-pick = Choose files
invoices-reading = Reading…
invoices-read = Invoice { $number } read
invoices-none = No invoices yet.
invoices-number = Invoice
invoices-total = Total
invoices-original = Original file
invoices-count = { $count ->
    [one] One invoice
   *[other] { $count } invoices
}
invoices-older = Older invoices
invoices-invoice = Invoice
invoices-back = All invoices
invoices-net = Net
invoices-tax = VAT
invoices-no-vendor = No vendor has this invoice's VAT id or name: choose it once, and its next invoices find it.
invoices-set-vendor = Set vendor
invoices-line = Line
invoices-invoiced = Invoiced
invoices-amount = Net amount
invoices-ordered-received = Ordered / received
invoices-unit-cost = Unit cost
invoices-order-price = Order price
invoices-last-price = Last receipt
invoices-post-returns = Post as returned to the vendor
invoices-post = Post
invoices-discard = Discard
invoices-search-product = Search the vendor's products
invoices-choose-product = Product for this line
invoices-match = Match
invoices-not-stock = Not stock
invoice-status-open = Open
invoice-status-posted = Posted
invoice-status-discarded = Discarded
invoice-kind-invoice = Invoice
invoice-kind-credit-note = Credit note
invoice-match-seller-item-id = By item number
invoice-match-gtin = By GTIN
invoice-match-remembered = As before
invoice-match-manual = Chosen
invoice-match-not-stock = Not stock
invoice-match-none = Unmatched

## Places
places-title = Places
places-hint = The order a count walks: places from first to last, each place's items in order. Tick items to move them onto a place at once.
places-no-unit = This storage unit is not there.
places-move-selected = Move the ticked items to
places-move = Move
places-up = Move up
places-down = Move down
places-remove = Remove place
places-new = New place
places-example = e.g. Dry store shelf 1
places-add = Add place
settings-blind-counts = Blind counts: staff count without seeing the books
products-gtin = GTIN (barcode)

# Larders deutsche Texte. Jeder Schlüssel hat seinen englischen Zwilling in en.ftl.

loading = Wird geladen …
page-not-found = Nicht gefunden
page-back-home = Zurück zu Larder

## Navigation
nav-label = Hauptmenü
nav-menu = Menü
nav-company = Betrieb
nav-dashboard = Übersicht
nav-inventory = Bestand
nav-orders = Bestellungen
nav-waste = Schwund
nav-transfers = Umlagerungen
nav-stock-counts = Inventuren
nav-ledger = Journal
nav-reports = Berichte
nav-storage-units = Lagerorte
nav-ingredients = Zutaten
nav-recipes = Rezepte
nav-vendors = Lieferanten
nav-products = Artikel
nav-integrations = Kassen
nav-jobs = Aufträge
nav-settings = Einstellungen
nav-sign-out = Abmelden

## Roles
role-owner = Inhaber
role-manager = Leitung
role-staff = Mitarbeiter
role-viewer = Nur lesen

## Movement types
type-receipt = Wareneingang
type-issue = Verbrauch
type-waste = Schwund
type-transfer-in = Umlagerung ein
type-transfer-out = Umlagerung aus
type-adjust = Korrektur

## Forms
action-cancel = Abbrechen
check-required = Pflichtfeld
check-positive = Muss größer als null sein
check-number = Bitte eine Zahl eingeben
check-email = Bitte eine E-Mail-Adresse eingeben
check-password-length = Mindestens 8 Zeichen
storage-unit-new = Neuer Lagerort
storage-unit-edit = Lagerort bearbeiten
storage-unit-create = Lagerort anlegen
storage-unit-save = Lagerort speichern
vendor-new = Neuer Lieferant
vendor-edit = Lieferant bearbeiten
vendor-create = Lieferant anlegen
vendor-save = Lieferant speichern
product-new = Neuer Artikel
product-edit = Artikel bearbeiten
product-create = Artikel anlegen
product-save = Artikel speichern
ingredient-new = Neue Zutat
ingredient-edit = Zutat bearbeiten
ingredient-create = Zutat anlegen
ingredient-save = Zutat speichern

## Errors by code (the server's own words follow)
error-validation = Bitte diesen Wert prüfen
error-not-found = Nicht gefunden
error-forbidden = Dazu fehlt die Berechtigung
error-unauthenticated = Bitte erneut anmelden
error-conflict = Das wurde inzwischen geändert
error-rate-limited = Zu viele Anfragen; bitte gleich noch einmal
error-timeout = Das hat zu lange gedauert
error-internal = Bei uns ist etwas schiefgegangen
error-network = Keine Verbindung zu Larder

## Sign-in and sign-up
auth-sign-in-title = Bei Larder anmelden
auth-sign-up-title = Larder einrichten
auth-email = E-Mail
auth-password = Passwort
auth-sign-in = Anmelden
auth-new-here = Neu hier?
auth-create-account-link = Konto anlegen
auth-create-account = Konto anlegen
auth-have-account = Schon ein Konto?
auth-your-name = Ihr Name
auth-company-name = Name des Restaurants (Betrieb)
company-timezone = Zeitzone
company-currency = Währung

## Dashboard
dash-stock-value = Lagerwert
dash-in-transit = Umlagerungen unterwegs
dash-receive-them = Annehmen
dash-value-30-days = Lagerwert der letzten 30 Tage
dash-no-history = Noch keine Verlaufsdaten.
dash-critical = Kritischer Bestand
dash-critical-hint = aufgebraucht oder im Minus
dash-nothing-out = Nichts ist ausgegangen.
dash-tills = Kassen
dash-last-30-days = letzte 30 Tage
dash-no-tills = Noch keine Kasse verbunden.
dash-all-days-transferred = Alle Tage übertragen
dash-days-untransferred = { $count ->
    [one] Ein Tag nicht übertragen
   *[other] { $count } Tage nicht übertragen
}
dash-unmapped-revenue = Nicht zugeordneter Umsatz
dash-mapped-share = { $share } zugeordnet
dash-recent = Letzte Bewegungen
dash-whole-ledger = Das ganze Journal

## Profile
profile-title = Sie
profile-name = Ihr Name
profile-language = Sprache
profile-language-browser = Wie mein Browser
profile-save = Speichern

## Fields
choose = Bitte wählen …
field-storage-unit = Lagerort
field-ingredient = Zutat
field-quantity = Menge
field-quantity-base = Menge (Basiseinheit)
field-average-cost = Durchschnittspreis
field-value = Wert
field-price-per-unit = Preis je Einheit
field-reason = Grund
filter-all-storage-units = Alle Lagerorte

## Inventory
inventory-empty = Noch kein Bestand erfasst.
inventory-receive-without-order = Ware ohne Bestellung annehmen
inventory-post-receipt = Wareneingang buchen

## Waste
reason-spoiled = Verdorben
reason-damaged = Beschädigt
reason-expired = Abgelaufen
reason-preparation-loss = Zubereitungsverlust
reason-comps = Aufs Haus
reason-staff-meal = Personalessen
reason-customer-return = Reklamation
reason-spillage = Verschüttet
reason-over-portioned = Zu groß portioniert
reason-other = Anderes
waste-posted = { $count ->
    [one] 1 Schwundposition gebucht.
   *[other] { $count } Schwundpositionen gebucht.
}
waste-add-line = Zeile hinzufügen
waste-post = Schwund buchen
waste-what-happened = Was ist passiert

## Stock counts
count-title = Inventur
count-storage-unit = Zu zählender Lagerort
count-choose = Lagerort wählen: eine offene Zählung wird fortgesetzt, sonst beginnt eine neue.
count-nothing-stocked = In diesem Lagerort liegt noch nichts.
count-posted = { $count ->
    [one] Gebucht: 1 Korrektur.
   *[other] Gebucht: { $count } Korrekturen.
}
count-on-books = Laut Buch
count-counted = Gezählt
count-difference = Differenz
count-post = Inventur buchen
count-progress = { $done } von { $total } Zeilen gezählt
count-check-hint = Differenzen über { $percent } % des Buchbestands sind rot markiert: bitte vor dem Buchen prüfen.
count-packs = Gebinde
count-loose = Lose
count-waiting = { $count ->
    [one] 1 Eintrag wartet auf das Senden
   *[other] { $count } Einträge warten auf das Senden
}
count-all-saved = Alles gespeichert
count-offline = Keine Verbindung: Einträge bleiben auf diesem Gerät
count-post-waiting = { $count ->
    [one] 1 Eintrag ist noch nicht beim Server: buchen, sobald er gesendet ist.
   *[other] { $count } Einträge sind noch nicht beim Server: buchen, sobald sie gesendet sind.
}
count-post-conflicts = { $count ->
    [one] An einem Platz widersprechen sich zwei Zählungen. Trotzdem buchen?
   *[other] An { $count } Plätzen widersprechen sich Zählungen. Trotzdem buchen?
}
count-conflicts = Widersprüchliche Zählungen
count-conflicts-hint = Die spätere Zählung gilt. Den Platz erneut zählen, um es zu klären.
count-unplaced = Ohne Platz
count-at-place = Ich zähle bei
count-own-place = Jeweils eigener Platz
count-blind = Blindzählung: der Buchbestand wird nicht gezeigt.
count-scan-hint = Ein Gebinde mit dem Barcodescanner scannen, um eines hinzuzufügen.
count-camera = Mit der Kamera scannen
count-scanned = +1 { $pack } { $ingredient }: jetzt { $packs } hier
count-unknown-code = Unbekannter Code { $code }: einem Artikel zuordnen?
count-unknown-offline = Code { $code } ist auf diesem Gerät unbekannt: online erneut scannen.
count-assign-to = Artikel für diesen Code
count-assign = Zuordnen und zählen
count-entries-refused = { $count ->
    [one] 1 Eintrag wurde abgelehnt und verworfen: { $reason }
   *[other] { $count } Einträge wurden abgelehnt und verworfen: { $reason }
}

## Transfers
transfer-shipped = Versandt; unterwegs bis zur Annahme.
transfer-moved = Umgelagert zu { $cost } je Einheit.
transfer-from = Von
transfer-to = Nach
transfer-lot = Chargennummer (optional)
transfer-lot-of = Charge { $lot }
transfer-in-transit-switch = Jetzt versenden, am Ziel später annehmen
transfer-ship = Versenden
transfer-now = Jetzt umlagern
transfer-in-transit = Unterwegs
transfer-nothing-on-way = Nichts ist unterwegs.
transfer-receive = Annehmen

## Orders
field-vendor = Lieferant
field-reference = Referenz
field-date = Datum
field-status = Status
field-lines = Positionen
field-product = Artikel
orders-search = Referenz oder Lieferant suchen
orders-status = Status
orders-all-statuses = Alle Status
order-status-draft = Entwurf
order-status-sent = Bestellt
order-status-partial = Teilweise geliefert
order-status-received = Geliefert
order-status-cancelled = Storniert
orders-none = Keine passenden Bestellungen.
orders-count = { $count ->
    [one] 1 Bestellung
   *[other] { $count } Bestellungen
}
orders-older = Ältere Bestellungen
orders-new = Neue Bestellung
orders-packs = Gebinde
orders-price-per-pack = Preis je Gebinde
orders-create = Bestellung anlegen
orders-order = Bestellung
orders-back = Alle Bestellungen
orders-ordered = Bestellt
orders-received = Geliefert
orders-receive-now = Jetzt annehmen (Gebinde)
orders-receive-into = Annehmen in
orders-mark-sent = Als bestellt markieren

## Lists, records and integrations
ledger-export-csv = CSV exportieren
ledger-all-ingredients = Alle Zutaten
ledger-all-types = Alle Arten
ledger-when = Wann
ledger-type = Art
ledger-unit-cost = Stückpreis
ledger-balance = Bestand
ledger-source = Herkunft
ledger-older-entries = Ältere Einträge
ledger-reverse = Stornieren
ledger-current-balance = Aktueller Bestand
ledger-total-receipts = Eingänge gesamt
ledger-total-issues = Verbrauch gesamt
ledger-entries = Einträge
ledger-no-data-the-week-before = keine Daten der Vorwoche
ledger-not-enough-movements-for-a-chart-yet = Noch zu wenige Bewegungen für ein Diagramm.
ledger-stock-over-time-receipts-green-issue = Bestand im Zeitverlauf: Eingänge grün, Verbrauch und Schwund rot.
ledger-post-an-opposite-entry = Eine Gegenbuchung erfassen
ledger-stock-over-time = Bestand im Zeitverlauf
reports-only-with-movements = Nur mit Bewegungen
reports-opening = Anfang
reports-receipts = Eingänge
reports-issues = Verbrauch
reports-adjust = Korrekturen
reports-closing = Ende
reports-closing-value = Endwert
reports-inventory-report = Bestandsbericht
ingredients-all = Alle
ingredients-active = Aktiv
ingredients-inactive = Inaktiv
ingredients-no-ingredients-match = Keine passenden Zutaten.
ingredients-name = Name
ingredients-category = Kategorie
ingredients-base-unit = Basiseinheit
ingredients-packaging = Gebinde
ingredients-active-2 = aktiv
ingredients-inactive-2 = inaktiv
ingredients-packaging-levels-quantities-in = Gebinde (Mengen in{" "}
ingredients-remove = Entfernen
ingredients-add-packaging-level = Gebinde hinzufügen
ingredients-all-ingredients = ← Alle Zutaten
ingredients-archive = Archivieren
ingredients-saved = Gespeichert.
ingredients-search-ingredients = Zutaten suchen
ingredients-search = Suchen
ingredients-level-box-case = Gebinde (Kiste, Karton)
ingredients-base-units-in-one = Basiseinheiten je Gebinde
ingredients-san-marzano-tomatoes = San-Marzano-Tomaten
ingredients-produce = Obst & Gemüse
recipes-new-recipe = Neues Rezept
recipes-no-recipes-match = Keine passenden Rezepte.
recipes-yield-portions = Ergibt (Portionen)
recipes-all-recipes = ← Alle Rezepte
recipes-lines-per-portion = Zeilen (je Portion)
recipes-ingredient-or-sub-recipe = Zutat oder Unterrezept
recipes-unit = Einheit
recipes-trim = Putzverlust %
recipes-issue-from = Entnahme aus
recipes-add-ingredient-line = Zutatenzeile hinzufügen
recipes-add-sub-recipe-line = Unterrezept hinzufügen
recipes-save-recipe = Rezept speichern
recipes-one-portion-takes = Eine Portion braucht
recipes-sub-recipes-expanded-trim-loss-added = {" "}— Unterrezepte aufgelöst, Putzverlust eingerechnet, in Basiseinheiten
recipes-issued-from = Entnahme aus
recipes-portions = Portionen
recipes-search-recipes = Rezepte suchen
recipes-recipe = Rezept
recipes-yield-portions-per-batch = Ergibt (Portionen je Ansatz)
recipes-default-issue-storage-unit = Standard-Entnahmeort
recipes-the-pos-location-s = Der des Kassenstandorts
recipes-recipe-default = Wie im Rezept
recipes-move-up = Nach oben
recipes-remove-line = Zeile entfernen
vendors-no-vendors-match = Keine passenden Lieferanten.
vendors-phone = Telefon
vendors-notes = Notizen
vendors-edit = Bearbeiten
vendors-search-vendors = Lieferanten suchen
vendors-order-email = Bestell-E-Mail
vendors-notes-delivery-days-minimum-order = Notizen (Liefertage, Mindestbestellwert)
products-all-vendors = Alle Lieferanten
products-no-products-match = Keine passenden Artikel.
products-sku = Artikelnummer
products-1-pack = 1 Gebinde =
products-search-name-or-sku = Name oder Artikelnummer suchen
products-product-name = Artikelname
products-tomatoes-box-10-kg = Tomaten, Kiste 10 kg
products-pack = Gebinde
products-quantity-in-one-pack = Menge je Gebinde
products-in-unit = in Einheit
products-ingredient-s-base-unit = Basiseinheit der Zutat
storage-units-no-storage-units-yet = Noch keine Lagerorte.
storage-units-address = Adresse
storage-units-search-storage-units = Lagerorte suchen
storage-units-walk-in-cooler = Kühlhaus
storage-units-address-optional = Adresse (optional)
integrations-sales-from-your-pos-become-issue-mov = Verkäufe Ihrer Kasse werden zu Verbrauchsbuchungen.
integrations-no-integration-yet-connect-lightspee = Noch keine Kasse: Lightspeed oder Sides verbinden oder unten einen CSV-Import anlegen.
integrations-provider = Anbieter
integrations-connection = Verbindung
integrations-automatic-transfer = Automatische Übertragung
integrations-locations = Standorte
integrations-mapping = Zuordnung
integrations-connect-a-pos = Kasse verbinden
integrations-add-a-csv-upload = CSV-Import anlegen
integrations-for-any-pos-that-exports-sales-as-a = Für jede Kasse, die Verkäufe als Datei exportiert. Lightspeed und Sides verbinden sich direkt.
integrations-add-csv-integration = CSV-Import anlegen
integrations-map-items = Artikel zuordnen →
integrations-automatic-transfer-2 = Automatische Übertragung:{" "}
integrations-each-closed-business-day-of-every-ac = Jeder abgeschlossene Geschäftstag jedes aktiven Standorts wird bald nach Schluss übertragen; der Vortag wird erneut geholt, um späte Bons zu erfassen.
integrations-transfer-them-now = Jetzt übertragen
integrations-location = Standort
integrations-storage-unit-sales-are-taken-from = Lagerort (Verkäufe werden daraus entnommen)
integrations-till-export = Kassenexport
integrations-posintegration = Kasse
integrations-no-longer-listed-by-the-pos-not-tran = Von der Kasse nicht mehr gelistet: keine Übertragung, bis eine Synchronisierung ihn wieder findet
integrations-link = Verknüpfen
integrations-activate = Aktivieren
integrations-transfer-day = Tag übertragen
integrations-rerun-migration = Übernahme erneut ausführen
integrations-add-location = Standort hinzufügen
integrations-choose = — wählen —
integrations-business-day = Geschäftstag
integrations-location-code = Standortkennung
integrations-location-name = Standortname
integrations-dining-room-2 = Gastraum
integrations-csv-import-configuration = Einstellungen des CSV-Imports
integrations-the-first-row-is-a-header-columns-by = Die erste Zeile ist eine Kopfzeile (Spalten nach Namen; sonst nach Position 1, 2, 3 …)
integrations-preview-with-a-file = Vorschau mit einer Datei{" "}
integrations-try-the = Probieren Sie die{" "}
integrations-sample-sales-file = Beispieldatei
integrations-semicolons-decimal-commas-dates-like = {" "}(Semikolons, Dezimalkommas, Datum wie 09.11.2026 12:04).
integrations-save-configuration = Einstellungen speichern
integrations-saved = {" "}Gespeichert.
integrations-row = Zeile
integrations-code = Code
integrations-item = Artikel
integrations-qty = Menge
integrations-problem = Problem
integrations-upload-sales = Verkäufe hochladen
integrations-sales-file = Verkaufsdatei
integrations-post-the-valid-rows-only-by-default = Nur gültige Zeilen buchen (sonst bucht eine Datei mit einer ungültigen Zeile nichts)
integrations-upload = Hochladen
integrations-delimiter = Trennzeichen
integrations-decimal-separator = Dezimaltrennzeichen
integrations-encoding = Zeichensatz
integrations-pos-code-column = Spalte Kassencode
integrations-item-name-column = Spalte Artikelname
integrations-quantity-column = Spalte Menge
integrations-sales-value-column = Spalte Umsatz
integrations-date-column = Spalte Datum
integrations-date-format = Datumsformat
mapping-integration = ← Kasse
mapping-units-sold-that-are-mapped = Zugeordnete verkaufte Einheiten
mapping-revenue-that-is-mapped = Zugeordneter Umsatz
mapping-revenue-still-unmapped = Noch nicht zugeordneter Umsatz
mapping-items = Artikel
mapping-map-to = Zuordnen zu …
mapping-map-selected = Auswahl zuordnen
mapping-sold = Verkauft
mapping-revenue = Umsatz
mapping-maps-to = Zugeordnet zu
mapping-factor = Faktor
mapping-unmapped = — nicht zugeordnet —
mapping-factor-base-units-of-the-ingredient = Faktor: Basiseinheiten der Zutat (KG, L, STK) oder Portionen des Rezepts je verkaufter Einheit. Nach einer Änderung die Übernahme eines Standorts erneut ausführen: gebucht wird nur die Differenz.
mapping-item-mapping = Artikelzuordnung
mapping-search-items = Artikel suchen
mapping-map-to-2 = Zuordnen zu
mapping-quantity-factor = Mengenfaktor
mapping-select = Auswählen
jobs-column = Spalte
jobs-what-is-wrong = Was nicht stimmt
jobs-migrations-transfers-and-imports-run = Übernahmen, Übertragungen und Importe laufen im Hintergrund.
jobs-no-jobs-yet = Noch keine Aufträge.
connections-lightspeed-k-series = Lightspeed K-Series
connections-you-sign-in-at-lightspeed-and-allow = Sie melden sich bei Lightspeed an und erlauben Larder, Verkäufe und Artikel zu lesen; Lightspeed schickt Sie hierher zurück.
connections-connect-lightspeed = Lightspeed verbinden
connections-sides-pos = Sides POS
connections-larder-signs-in-to-sides-with-this-l = Larder meldet sich mit diesen Zugangsdaten bei Sides an, bevor sie gespeichert werden; abgelehnte Zugangsdaten werden nicht gespeichert.
connections-test-connection-and-save = Verbindung testen und speichern
connections-finishing-the-lightspeed-connection = Lightspeed-Verbindung wird abgeschlossen …
connections-lightspeed-is-connected-sync-the-loc = Lightspeed ist verbunden. Als Nächstes die Standorte synchronisieren.
connections-connection = Verbindung:{" "}
connections-test-connection = Verbindung testen
connections-change-the-sides-login = Sides-Zugangsdaten ändern
connections-test-and-save = Testen und speichern
connections-transfer-log = Übertragungsprotokoll
connections-no-day-transferred-yet = Noch kein Tag übertragen.
connections-day = Tag
connections-posted = Gebucht
connections-skipped = Übersprungen
connections-unmapped = Nicht zugeordnet
connections-sides-username = Sides-Benutzername
connections-sides-password = Sides-Passwort
settings-save-company = Betrieb speichern
settings-members = Mitglieder
settings-role = Rolle
settings-add-someone-who-has-signed-up-to-lar = Jemanden hinzufügen, der bei Larder registriert ist, oder die Rolle ändern.
settings-add-member = Mitglied hinzufügen
settings-api-tokens = API-Tokens
settings-for-integrations-on-the-graphql-api = {" "}— für Anbindungen über die GraphQL-API
settings-copy-this-token-now-it-is-not-shown = Kopieren Sie dieses Token jetzt; es wird nicht noch einmal gezeigt:{" "}
settings-token = Token
settings-last-used = Zuletzt benutzt
settings-revoked = widerrufen
settings-revoke = Widerrufen
settings-create-token = Token erstellen
settings-currency-iso-code = Währung (ISO-Code)
settings-timezone-iana = Zeitzone (IANA)
settings-business-day-starts-at-hour = Geschäftstag beginnt um (Stunde)
settings-token-name = Name des Tokens
settings-accounting-export = Buchhaltungsexport
connections-test-ok = ✓ erreichbar, Anmeldung angenommen
connections-test-failed = ✗ der Test ist fehlgeschlagen
connections-synced = Verbunden { $connected } · Standorte synchronisiert { $locations } · Artikel synchronisiert { $items }
connections-reauthorize = Neu autorisieren
connections-sync-locations = Standorte synchronisieren
connections-sync-stores = Filialen synchronisieren
connections-sync-items = Artikel synchronisieren
connections-sync-products = Produkte synchronisieren
connections-never = nie
integrations-resume = Fortsetzen
integrations-pause = Anhalten
job-kind-historical-migration = Übernahme der Historie
job-kind-manual-transfer = Manuelle Übertragung
job-kind-automatic-transfer = Automatische Übertragung
job-kind-csv-import = CSV-Import
job-kind-sync-locations = Standorte synchronisieren
job-kind-sync-items = Artikel synchronisieren
jobs-job-created = Auftrag { $id } · { $created }
role-owner-can = Inhaber — alles, auch Mitglieder
role-manager-can = Leitung — Stammdaten, Kassen, alle Bewegungen
role-staff-can = Mitarbeiter — annehmen, Schwund, zählen, umlagern
role-viewer-can = Nur lesen
reports-total-values = Summe (Werte)
waste-remove-line = Diese Zeile entfernen
recipes-sub-recipe = Unterrezept
ingredients-count = { $count ->
    [one] 1 Zutat
   *[other] { $count } Zutaten
}
list-first-page = Erste Seite
list-next-page = Nächste Seite
csv-choose-file-to-preview = Bitte eine Datei für die Vorschau wählen
csv-choose-file = Bitte eine Datei wählen
csv-delimiter-comma = Komma ,
csv-delimiter-semicolon = Semikolon ;
csv-delimiter-tab = Tabulator
csv-decimal-point = Punkt 1.5
csv-decimal-comma = Komma 1,5
csv-encoding-windows = Windows-1252 (Excel)
csv-header = Kopfzeile: { $columns }
locations-link-first = Bitte zuerst einen Lagerort verknüpfen: aus ihm werden die Verkäufe entnommen.
locations-activate-question = { $name } aktivieren?

    Die Verkäufe der letzten 90 Tage werden von { $unit } abgebucht. Ein falscher Lagerort bucht Bestand am falschen Ort.
locations-pick-day = Bitte den zu übertragenden Geschäftstag wählen
job-state-queued = Wartet
job-state-running = Läuft
job-state-succeeded = Erledigt
job-state-failed = Fehlgeschlagen
job-state-cancelled = Abgebrochen
provider-lightspeed-k = Lightspeed K-Series
provider-sides = Sides POS
provider-csv = CSV-Import
connection-state-not-connected = Nicht verbunden
connection-state-connected = Verbunden
connection-state-needs-reconnect = Neu verbinden
auto-transfer-active = Aktiv
auto-transfer-paused = Angehalten

# Paged lists of transfers, counts and jobs
transfer-status-draft = Entwurf
transfer-status-shipped = Unterwegs
transfer-status-closed = Angenommen
transfer-status-cancelled = Storniert
transfer-all = Alle Umlagerungen
transfer-all-statuses = Alle Status
transfer-none = Keine passenden Umlagerungen.
transfer-route = Von → nach
transfer-what = Was
transfer-count = { $count ->
    [one] 1 Umlagerung
   *[other] { $count } Umlagerungen
}
transfer-older = Ältere Umlagerungen
count-status-open = Offen
count-status-posted = Gebucht
count-status-cancelled = Abgebrochen
count-history = Inventuren
count-all-statuses = Alle Status
count-none = Keine passenden Inventuren.
count-resume = Fortsetzen
count-count = { $count ->
    [one] 1 Inventur
   *[other] { $count } Inventuren
}
count-older = Ältere Inventuren
jobs-state = Zustand
jobs-kind = Art
jobs-all-states = Alle Zustände
jobs-all-kinds = Alle Arten
jobs-count = { $count ->
    [one] 1 Auftrag
   *[other] { $count } Aufträge
}
jobs-older = Ältere Aufträge

# Food cost
nav-food-cost = Wareneinsatz
food-variance = Soll-Ist-Verbrauch
food-menu = Menü-Engineering
food-prices = Preisänderungen
food-from = Von
food-to = Bis
food-last-two-counts = Zwischen den letzten beiden Inventuren
food-largest-variances = Größte Abweichungen in Geld
food-no-movements = In diesem Zeitraum gab es keine Bewegungen.
food-counted = Gezählt
food-counted-hint = Am Anfang und am Ende des Zeitraums gezählt: nur dann sind die Zahlen verlässlich.
food-theoretical = Soll (Kasse)
food-other-issues = Andere Entnahmen
food-unexplained = Ungeklärt
food-actual = Ist
food-variance-value = Abweichung
food-variance-percent = Abweichung %
food-revenue-net = Umsatz (netto)
food-cost-of-sales = Wareneinsatz
food-no-sales = Keine Verkäufe mit Wert in diesem Zeitraum.
food-menu-matrix = Menü-Matrix: Beliebtheit nach rechts, Deckungsbeitrag je Stück nach oben
food-item = Artikel
food-units-sold = Verkauft
food-margin = Deckungsbeitrag
food-margin-per-unit = Deckungsbeitrag je Stück
food-class = Klasse
food-prices-last-30-days = Wareneingänge der letzten 30 Tage, deren Preis sich mindestens um den Alarmwert des Betriebs geändert hat.
food-no-price-changes = Keine Preisänderungen in den letzten 30 Tagen.
food-before = Vorher
food-after = Nachher
food-change = Änderung
food-recipes-per-portion = Rezepte (Kosten je Portion)
food-all-price-changes = Alle Preisänderungen
menu-class-star = Star
menu-class-plowhorse = Renner
menu-class-puzzle = Rätsel
menu-class-dog = Penner
field-recipe = Rezept
recipes-cost-per-portion = Kosten je Portion
recipes-menu-price = Verkaufspreis
recipes-menu-price-gross = Verkaufspreis (brutto, optional)
recipes-food-cost = Wareneinsatz
recipes-food-cost-of-price = { $percent } des Verkaufspreises ohne MwSt.
recipes-cost-incomplete = Manche Zutaten haben noch keinen Preis (nie geliefert): die Kosten zählen nur die übrigen.
recipes-unit-cost = Preis je Einheit
recipes-line-cost = Kosten
recipes-no-cost = noch kein Preis
recipes-active = aktiv
recipes-inactive = inaktiv
settings-sales-vat = MwSt. in Verkaufspreisen (%)
settings-price-alert = Preisänderung melden ab (%)
orders-price-changed = Weicht vom Preis der letzten Lieferung ab
nav-purchasing = Einkauf
purchasing-suggestions = Was bestellen
purchasing-policies = Bestandsregeln
purchasing-any-day = jeden Tag
weekday-1 = Mo
weekday-2 = Di
weekday-3 = Mi
weekday-4 = Do
weekday-5 = Fr
weekday-6 = Sa
weekday-7 = So
purchasing-nothing-to-order = Gerade muss nichts bestellt werden.
purchasing-set-policies = Bestandsregeln festlegen
purchasing-create-drafts = Bestellentwürfe anlegen
purchasing-no-preferred-product = Kein bevorzugtes Produkt (von Hand bestellen)
purchasing-lead-time = { $days ->
    [one] liefert in { $days } Tag
   *[other] liefert in { $days } Tagen
}
purchasing-orders-today = heute bestellen
purchasing-on-hand = Bestand
purchasing-on-order = Bestellt
purchasing-days-left = Reicht für
purchasing-order = Bestellen
purchasing-estimated-cost = Geschätzte Kosten
purchasing-total = Summe
purchasing-below-minimum = unter dem Mindestbestellwert von { $minimum }
purchasing-minimum = Mindestbestellwert { $minimum }
purchasing-packs = Gebinde von
purchasing-why = Warum?
purchasing-drafts-made = Bestellentwürfe angelegt
purchasing-under-minimum = unter dem Mindestbestellwert
purchasing-send = Senden
purchasing-sent = Gesendet
purchasing-manual-summary = Manuell: bei { $reorder } bestellen, bis { $par }
purchasing-automatic-summary = Automatisch: alle { $review } Tage, { $safety } { $safetyCount ->
    [one] Sicherheitstag
   *[other] Sicherheitstage
}, Verbrauch aus { $window } Tagen
purchasing-kind = Regel
purchasing-kind-automatic = Automatisch (aus dem Verbrauch)
purchasing-kind-manual = Manuell (Meldebestand und Sollbestand)
purchasing-review-days = Bestellrhythmus (Tage)
purchasing-safety-days = Sicherheitsbestand (Tage)
purchasing-window-days = Verbrauchszeitraum (Tage)
purchasing-reorder-point = Meldebestand
purchasing-par-level = Sollbestand
purchasing-apply-to = { $count ->
    [one] Für { $count } Zutat festlegen
   *[other] Für { $count } Zutaten festlegen
}
purchasing-applied = { $count ->
    [one] Regel für { $count } Zutat festgelegt.
   *[other] Regel für { $count } Zutaten festgelegt.
}
purchasing-select-all = Alle auswählen
purchasing-policy = Regel
purchasing-no-policy = Keine Regel: keine Vorschläge
purchasing-remove = Entfernen
purchasing-preferred-product = Bevorzugtes Produkt
purchasing-none = Keines
purchasing-save-preferred = Bevorzugtes Produkt speichern
purchasing-saved = Gespeichert.
purchasing-set-policy = Regel festlegen
purchasing-days = { $days } Tage
purchasing-running-out = Geht bald aus
purchasing-no-usage = Kein Verbrauch in den letzten 28 Tagen.
purchasing-runs-out-in = reicht noch { $days }
purchasing-usage-14-days = Verbrauch der letzten 14 Tage
vendors-lead-time = Lieferzeit (Tage)
vendors-minimum-order = Mindestbestellwert
vendors-order-weekdays = Bestelltage
vendors-terms = Bestellung
products-minimum-packs = Mindestmenge (Gebinde)
purchasing-reason-flat = { $average } { $unit }/Tag × ({ $lead } + { $review } Tage + { $safety } { $safetyCount ->
    [one] Sicherheitstag
   *[other] Sicherheitstage
}) − { $onHand } Bestand − { $onOrder } bestellt = { $need } { $unit }
purchasing-reason-weekday = { $forecast } { $unit } Prognose nach Wochentag für ({ $lead } + { $review } Tage) + { $safety } { $safetyCount ->
    [one] Sicherheitstag
   *[other] Sicherheitstage
} × { $average } { $unit }/Tag − { $onHand } Bestand − { $onOrder } bestellt = { $need } { $unit }
purchasing-reason-manual = Meldebestand { $reorder } { $unit } erreicht: Soll { $par } − { $onHand } Bestand − { $onOrder } bestellt = { $need } { $unit }
purchasing-reason-packs = → { $packs } × { $pack } zu { $factor } { $unit }
purchasing-reason-minimum = (auf die Mindestmenge des Lieferanten erhöht)
purchasing-reason-no-product = (kein bevorzugtes Produkt: von Hand bestellen)

## E-Rechnungen
nav-invoices = Rechnungen
invoices-all-vendors = Alle Lieferanten
invoices-drop = E-Rechnungen hier ablegen – XRechnung, ZUGFeRD, Factur-X oder Peppol UBL, als XML oder PDF – oder
invoices-pick = Dateien wählen
invoices-reading = Wird gelesen …
invoices-read = Rechnung { $number } gelesen
invoices-none = Noch keine Rechnungen.
invoices-number = Rechnung
invoices-total = Summe
invoices-original = Originaldatei
invoices-count = { $count ->
    [one] Eine Rechnung
   *[other] { $count } Rechnungen
}
invoices-older = Ältere Rechnungen
invoices-invoice = Rechnung
invoices-back = Alle Rechnungen
invoices-net = Netto
invoices-tax = USt.
invoices-no-vendor = Kein Lieferant hat die USt-IdNr. oder den Namen dieser Rechnung: einmal wählen, dann finden ihn die nächsten Rechnungen selbst.
invoices-set-vendor = Lieferant setzen
invoices-line = Position
invoices-invoiced = Berechnet
invoices-amount = Nettobetrag
invoices-ordered-received = Bestellt / erhalten
invoices-unit-cost = Stückkosten
invoices-order-price = Bestellpreis
invoices-last-price = Letzter Wareneingang
invoices-post-returns = Als Rücksendung an den Lieferanten buchen
invoices-post = Buchen
invoices-discard = Verwerfen
invoices-search-product = Artikel des Lieferanten suchen
invoices-choose-product = Artikel für diese Position
invoices-match = Zuordnen
invoices-not-stock = Kein Lagerartikel
invoice-status-open = Offen
invoice-status-posted = Gebucht
invoice-status-discarded = Verworfen
invoice-kind-invoice = Rechnung
invoice-kind-credit-note = Gutschrift
invoice-match-seller-item-id = Nach Artikelnummer
invoice-match-gtin = Nach GTIN
invoice-match-remembered = Wie zuvor
invoice-match-manual = Gewählt
invoice-match-not-stock = Kein Lagerartikel
invoice-match-none = Nicht zugeordnet

## Places
places-title = Plätze
places-hint = Die Reihenfolge einer Zählung: Plätze vom ersten bis zum letzten, die Artikel jedes Platzes in Reihenfolge. Artikel ankreuzen, um sie auf einmal auf einen Platz zu legen.
places-no-unit = Diesen Lagerort gibt es nicht.
places-move-selected = Angekreuzte Artikel verschieben nach
places-move = Verschieben
places-up = Nach oben
places-down = Nach unten
places-remove = Platz entfernen
places-new = Neuer Platz
places-example = z. B. Trockenlager Regal 1
places-add = Platz hinzufügen
settings-blind-counts = Blindzählung: Mitarbeitende zählen ohne Buchbestand
products-gtin = GTIN (Barcode)

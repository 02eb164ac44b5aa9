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
type-transfer_in = Umlagerung ein
type-transfer_out = Umlagerung aus
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
count-draft-saved = Entwurf gespeichert.
count-posted = { $count ->
    [one] Gebucht: 1 Korrektur.
   *[other] Gebucht: { $count } Korrekturen.
}
count-progress = { $done } von { $total } Zeilen gezählt
count-on-books = Laut Buch
count-counted = Gezählt
count-difference = Differenz
count-check-hint = Differenzen über { $percent } % des Buchbestands sind rot markiert: bitte vor dem Buchen prüfen.
count-save-draft = Entwurf speichern
count-post = Inventur buchen

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

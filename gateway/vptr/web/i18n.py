"""Dutch first, English switchable: every word the web app shows, and the labels of the model's
code lists in both languages (from the published code lists)."""

from __future__ import annotations

import re
from functools import cache

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from vptr.errors import FieldError
from vptr.paths import generated_dir

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE = "vptr_beheer_taal"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (Dutch, English)
    "app": ("V-PTR beheer", "V-PTR management"),
    "app_long": ("Vlaams Parkeer- en Toegangsregister — beheer",
                 "Flemish Parking and Access Register — management"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "menu": ("Hoofdmenu", "Main menu"),
    "home": ("Overzicht", "Overview"),
    "zones": ("Zones", "Zones"),
    "regimes": ("Regimes", "Regimes"),
    "rights": ("Rechten", "Rights"),
    "permits": ("Vergunningen", "Permits"),
    "whitelists": ("Witte lijsten", "Whitelists"),
    "providers": ("Aanbieders", "Providers"),
    "reports": ("Rapporten", "Reports"),
    "login": ("Aanmelden", "Log in"),
    "logout": ("Afmelden", "Log out"),
    "login_name": ("Gebruikersnaam", "User name"),
    "password": ("Wachtwoord", "Password"),
    "login_failed": ("Onbekende gebruikersnaam of verkeerd wachtwoord.",
                     "Unknown user name or wrong password."),
    "login_no_users": ("Aanmelden gebeurt via de identiteitsprovider van uw bestuur; die is op "
                       "deze server nog niet ingesteld.",
                       "Staff log in through their administration's identity provider, which "
                       "is not configured on this server."),
    "login_oidc": ("Aanmelden via de identiteitsprovider van uw bestuur",
                   "Log in through your administration's identity provider"),
    "oidc_failed": ("Aanmelden via de identiteitsprovider is mislukt. Probeer opnieuw.",
                    "Logging in through the identity provider failed. Please try again."),
    "continue": ("Verder", "Continue"),
    "demo_users": ("Demogebruikers (alleen op een demoregister)",
                   "Demo users (on a demo register only)"),
    "logged_in_as": ("Aangemeld als", "Logged in as"),
    "for": ("voor", "for"),
    "language": ("Taal", "Language"),
    "csrf": ("Het formulier is verlopen of niet van deze toepassing. Probeer opnieuw.",
             "The form has expired or did not come from this application. Please try again."),
    "not_area_manager": ("Deze toepassing is voor medewerkers van een gebiedsbeheerder. Uw "
                         "organisatie beheert geen gebied.",
                         "This application is for the staff of an area manager. Your "
                         "organisation manages no area."),
    "forbidden": ("Dat mag u niet doen.", "You may not do that."),
    "not_found": ("Niet gevonden.", "Not found."),
    "error": ("Er ging iets mis.", "Something went wrong."),
    "fix_errors": ("Het formulier bevat fouten; zie de velden hieronder.",
                   "The form has errors; see the fields below."),
    "saved": ("Opgeslagen.", "Saved."),
    "deleted": ("Verwijderd.", "Deleted."),
    "save": ("Opslaan", "Save"),
    "cancel": ("Annuleren", "Cancel"),
    "delete": ("Verwijderen", "Delete"),
    "edit": ("Wijzigen", "Edit"),
    "new": ("Nieuw", "New"),
    "search": ("Zoeken", "Search"),
    "name": ("Naam", "Name"),
    "description": ("Beschrijving", "Description"),
    "kind": ("Soort", "Kind"),
    "valid_from": ("Geldig vanaf", "Valid from"),
    "valid_to": ("Geldig tot", "Valid to"),
    "from": ("Van", "From"),
    "to": ("Tot", "To"),
    "actions": ("Acties", "Actions"),
    "none": ("Geen.", "None."),
    "total": ("Totaal", "Total"),
    "optional": ("optioneel", "optional"),
    "working": ("Bezig…", "Working…"),
    "plate": ("Nummerplaat", "Licence plate"),
    "country": ("Land", "Country"),
    "zone": ("Zone", "Zone"),
    "status": ("Status", "Status"),
    # zones
    "zones_map": ("Kaart van de zones", "Map of the zones"),
    "zones_map_help": ("Klik op de kaart om te zien welke zones daar op elkaar liggen.",
                       "Click on the map to see which zones are stacked there."),
    "zones_at_point": ("Zones op dit punt", "Zones at this point"),
    "zones_none_at_point": ("Geen zone op dit punt.", "No zone at this point."),
    "zone_new": ("Nieuwe zone", "New zone"),
    "zone_edit": ("Zone wijzigen", "Edit zone"),
    "zone_import": ("GeoJSON importeren", "Import GeoJSON"),
    "zone_import_help": ("Een FeatureCollection uit eender welk GIS. Alles of niets: bij een fout "
                         "wordt niets opgeslagen en wordt elke foute feature genoemd.",
                         "A FeatureCollection from any GIS. All or nothing: on an error nothing "
                         "is stored and every bad feature is named."),
    "zone_import_file": ("GeoJSON-bestand", "GeoJSON file"),
    "zone_import_kind": ("Soort voor features zonder soort", "Kind for features without one"),
    "zone_import_done": ("{created} zone(s) aangemaakt, {updated} bijgewerkt.",
                         "{created} zone(s) created, {updated} updated."),
    "outline": ("Omtrek", "Outline"),
    "outline_help": ("Teken op de kaart: klik om hoekpunten toe te voegen, sleep een hoekpunt om "
                     "het te verplaatsen. Of plak WKT of GeoJSON in het tekstveld.",
                     "Draw on the map: click to add corners, drag a corner to move it. Or paste "
                     "WKT or GeoJSON into the text field."),
    "outline_text": ("Omtrek als GeoJSON of WKT", "Outline as GeoJSON or WKT"),
    "outline_map": ("Omtrek op de kaart", "Outline on the map"),
    "outline_keys": ("Met het toetsenbord: ga met Tab naar de kaart, verschuif ze met de "
                     "pijltjestoetsen en zoom met + en -. Het kruis in het midden van de kaart is "
                     "de plaats waar 'Hoekpunt in het midden toevoegen' een hoekpunt zet en "
                     "waarheen 'Hoekpunt naar het midden' het gekozen hoekpunt verplaatst.",
                     "With the keyboard: Tab to the map, pan it with the arrow keys and zoom with "
                     "+ and -. The cross in the middle of the map is where 'Add a corner in the "
                     "middle' puts a corner and where 'Move the corner to the middle' moves the "
                     "chosen corner."),
    "corner_add": ("Hoekpunt in het midden toevoegen", "Add a corner in the middle"),
    "corner_choose": ("Gekozen hoekpunt", "Chosen corner"),
    "corner_none": ("(nog geen hoekpunten)", "(no corners yet)"),
    "corner_move": ("Hoekpunt naar het midden", "Move the corner to the middle"),
    "corner_remove": ("Hoekpunt wissen", "Remove the corner"),
    "corner_option": ("Hoekpunt {n}: {lat} N, {lng} O", "Corner {n}: {lat} N, {lng} E"),
    "corner_added": ("Hoekpunt {n} toegevoegd op {lat} N, {lng} O. De omtrek heeft {count} "
                     "hoekpunten.", "Corner {n} added at {lat} N, {lng} E. The outline has {count} "
                     "corners."),
    "corner_moved": ("Hoekpunt {n} verplaatst naar {lat} N, {lng} O.",
                     "Corner {n} moved to {lat} N, {lng} E."),
    "corner_removed": ("Hoekpunt {n} gewist. De omtrek heeft {count} hoekpunten.",
                       "Corner {n} removed. The outline has {count} corners."),
    "corner_chosen": ("Hoekpunt {n} gekozen; de kaart staat erop gecentreerd.",
                      "Corner {n} chosen; the map is centred on it."),
    "outline_cleared": ("De omtrek is gewist.", "The outline is cleared."),
    "zones_at_centre": ("Zones in het midden van de kaart tonen", "Show the zones in the middle of "
                        "the map"),
    "zones_map_keys": ("Met het toetsenbord: ga met Tab naar de kaart, verschuif ze met de "
                       "pijltjestoetsen, zoom met + en -, en toon met de knop de zones op het "
                       "kruis in het midden.",
                       "With the keyboard: Tab to the map, pan it with the arrow keys, zoom with "
                       "+ and -, and show the zones at the cross in the middle with the button."),
    "undo_point": ("Laatste punt weg", "Remove last point"),
    "clear_outline": ("Omtrek wissen", "Clear outline"),
    "zone_delete_refused": ("Deze zone is nog in gebruik.", "This zone is still in use."),
    # whitelists
    "whitelist": ("Witte lijst", "Whitelist"),
    "whitelist_new": ("Nieuwe witte lijst", "New whitelist"),
    "reason": ("Reden", "Reason"),
    "entries": ("Nummerplaten", "Entries"),
    "entry_add": ("Nummerplaat toevoegen", "Add an entry"),
    "csv_upload": ("CSV opladen", "Upload CSV"),
    "csv_help": ("Kolommen: nummerplaat, land, beschrijving, van, tot (de laatste drie "
                 "optioneel; datums als 2026-03-01 of 2026-03-01T08:00). Eerst ziet u een "
                 "voorbeeld; er wordt pas iets opgeslagen als u bevestigt.",
                 "Columns: plate, country, description, from, to (the last three optional; "
                 "dates as 2026-03-01 or 2026-03-01T08:00). You see a preview first; nothing is "
                 "stored until you confirm."),
    "csv_file": ("CSV-bestand", "CSV file"),
    "csv_empty": ("Kies een CSV-bestand met minstens één rij.",
                  "Choose a CSV file with at least one row."),
    "csv_too_many": ("Hoogstens {most} rijen per upload.", "At most {most} rows per upload."),
    "csv_preview": ("Voorbeeld van de upload", "Preview of the upload"),
    "csv_row": ("Rij", "Row"),
    "csv_ok": ("in orde", "fine"),
    "csv_bad_rows": ("{bad} van {total} rijen zijn fout en worden niet opgeslagen.",
                     "{bad} of {total} rows are wrong and will not be stored."),
    "csv_all_good": ("Alle {total} rijen zijn in orde.", "All {total} rows are fine."),
    "csv_store": ("{good} rij(en) opslaan", "Store {good} row(s)"),
    "csv_stored": ("{count} nummerplaat/-platen toegevoegd.", "{count} entr(y/ies) added."),
    "csv_expired": ("Dit voorbeeld is verlopen; laad het bestand opnieuw op.",
                    "This preview has expired; upload the file again."),
    "export_police": ("Exporteren voor de politie (CSV)", "Export for the police (CSV)"),
    "first_shown": ("De eerste {shown} staan hieronder; de export bevat ze allemaal.",
                    "The first {shown} are shown; the export holds them all."),
    "remove": ("Schrappen", "Remove"),
    # regimes
    "regime": ("Regime", "Regime"),
    "regime_new": ("Nieuw regime", "New regime"),
    "regime_new_version": ("Nieuwe versie", "New version"),
    "versions": ("Versies", "Versions"),
    "version": ("Versie", "Version"),
    "usage": ("Gebruik", "Usage"),
    "time_slots": ("Tijdvakken", "Time slots"),
    "time_slot": ("Tijdvak", "Time slot"),
    "days": ("Dagen", "Days"),
    "opens": ("Van", "Opens"),
    "closes": ("Tot", "Closes"),
    "tariff_steps": ("Tariefstappen", "Tariff steps"),
    "step_from": ("Vanaf minuut", "From minute"),
    "step_to": ("Tot minuut", "To minute"),
    "step_amount": ("Bedrag per stap (EUR)", "Amount per step (EUR)"),
    "step_size": ("Stap (minuten)", "Step (minutes)"),
    "day_maximum": ("Dagmaximum (EUR)", "Day maximum (EUR)"),
    "maximum_duration": ("Maximale duur (minuten)", "Maximum duration (minutes)"),
    "exempt_days": ("Vrijgestelde dagen (één datum per regel)",
                    "Exempt days (one date a line)"),
    "exempt_days_short": ("Vrijgestelde dagen", "Exempt days"),
    "exempt_holidays": ("Vrij op wettelijke feestdagen", "Free on public holidays"),
    # The form's box is the exempt day {"recurringDay": "publicHoliday"}: every public holiday, so
    # a holiday's date above would be refused as redundant.
    "exempt_holidays_box": ("Vrij op alle wettelijke feestdagen (dan geen datum van een "
                            "feestdag hierboven)",
                            "Free on every public holiday (then no public holiday's date above)"),
    "linked_regimes": ("Gekoppelde regimes (verleent ook)", "Linked regimes (also grants)"),
    "excluded_regimes": ("Uitgesloten regimes (sluit uit)", "Excluded regimes (excludes)"),
    "trial_price": ("Proefberekening", "Trial price"),
    "start": ("Begin", "Start"),
    "duration_minutes": ("Duur (minuten)", "Duration (minutes)"),
    "calculate": ("Berekenen", "Calculate"),
    "price": ("Prijs", "Price"),
    "breakdown": ("Opbouw", "Breakdown"),
    "paid_minutes": ("Betaalde minuten", "Paid minutes"),
    "free_minutes": ("Vrije minuten", "Free minutes"),
    "amount": ("Bedrag", "Amount"),
    "day": ("Dag", "Day"),
    "in_force_since": ("Van kracht sinds", "In force since"),
    # rights
    "rights_search": ("Rechten zoeken", "Search rights"),
    "rights_search_help": ("Zoek op nummerplaat, of op zone en periode. Elke zoekopdracht op "
                           "een nummerplaat wordt op uw naam gelogd.",
                           "Search by licence plate, or by zone and period. Every search by "
                           "plate is logged under your name."),
    "right": ("Recht", "Right"),
    "provider": ("Aanbieder", "Provider"),
    "end_right": ("Beëindigen", "End"),
    "revoke_right": ("Intrekken", "Revoke"),
    "history": ("Geschiedenis", "History"),
    "found": ("{total} gevonden", "{total} found"),
    "any_zone": ("Elke zone", "Any zone"),
    "ended": ("Het recht is beëindigd.", "The right has ended."),
    "revoked": ("Het recht is ingetrokken.", "The right has been revoked."),
    # reports
    "report_providers": ("Rechten en bedragen per aanbieder", "Rights and amounts per provider"),
    "rights_registered": ("Geregistreerd", "Registered"),
    "rights_revoked": ("Ingetrokken", "Revoked"),
    "amount_collected": ("Geïnd", "Collected"),
    "download_csv": ("CSV downloaden", "Download CSV"),
    "show": ("Tonen", "Show"),
    "export_own": ("Eigen gegevens downloaden", "Download your own data"),
    "export_help": ("Alle zones, regimes, vergunningen, witte lijsten en rechten van uw bestuur "
                    "(de download wordt gelogd).",
                    "Every zone, regime, permit, whitelist and right of your administration "
                    "(the download is logged)."),
    "metering": ("Verbruik per organisatie (facturatie)", "Metering per organisation (billing)"),
    "requests": ("Verzoeken", "Requests"),
    "operation": ("Bewerking", "Operation"),
    "organisation": ("Organisatie", "Organisation"),
    "chart": ("Grafiek", "Chart"),
    # permits
    "permit_new": ("Nieuwe vergunning", "New permit"),
    "permit_type": ("Soort vergunning", "Permit type"),
    "holder": ("Houder", "Holder"),
    "plates": ("Nummerplaten (één per regel, land optioneel: BE 1ABC123)",
               "Licence plates (one a line, country optional: BE 1ABC123)"),
    "end_permit": ("Beëindigen", "End"),
    "permit_ended": ("De vergunning is beëindigd.", "The permit has ended."),
    # providers
    "authorisations": ("Machtigingen", "Authorisations"),
    "authorisation_new": ("Nieuwe machtiging", "New authorisation"),
    "grantee": ("Gemachtigde", "Grantee"),
    "scopes": ("Mag", "Scopes"),
    "all_zones": ("alle zones", "all zones"),
    "provider_new": ("Nieuwe aanbieder", "New provider"),
    "roles": ("Rollen", "Roles"),
    "issue_key": ("Nieuwe API-sleutel uitgeven", "Issue a new API key"),
    "key_issued": ("Nieuwe API-sleutel — wordt maar één keer getoond. Geef hem veilig door aan "
                   "de aanbieder.",
                   "New API key — shown only once. Hand it to the provider securely."),
    "withdraw": ("Intrekken", "Withdraw"),
    "grace_hours": ("Overgangstijd oude sleutel (uren)", "Old key's grace period (hours)"),
    "key_active": ("actief", "active"),
    "key_expiring": ("verloopt", "expiring"),
    "key_revoked": ("ingetrokken", "revoked"),
}

_WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

#: The register's own refusals (of a form, a reference, a rule of a use case) are worded in English;
#: the common ones in Dutch. What the application profile refuses carries its text in both
#: languages (``FieldError.messages``: a shape's ``sh:message``, or the text of the constraint
#: component, vptr.validation.messages), used as it is by :func:`reason_of`.
_REASONS_NL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), dutch) for pattern, dutch in (
        (r"^is required$|^required$|^missing$|^required, but missing$", "is verplicht"),
        (r"^must be after from$", "moet na 'van' liggen"),
        (r"^must not be before from$", "mag niet vóór 'van' liggen"),
        (r"^must lie within the whitelist's period$",
         "moet binnen de periode van de witte lijst liggen"),
        (r"^(.*) is not one of the whitelist's zones$", r"\1 is geen zone van de witte lijst"),
        (r"^one of (.*)$", r"een van: \1"),
        (r"^already in use$", "is al in gebruik"),
        (r"^not a value of the code list$", "geen waarde van de codelijst"),
        (r"^not a whole number$", "geen geheel getal"),
        (r"^not a valid date or time \(2026-03-01T08:00\)$",
         "geen geldige datum of tijd (2026-03-01T08:00)"),
        (r"^choose a GeoJSON file$", "kies een GeoJSON-bestand"),
        (r"^draw or paste the outline$", "teken of plak de omtrek"),
        (r"^give a plate, or a zone and a period$", "geef een nummerplaat, of een zone en een "
         "periode"),
        (r"^no regime named (\S+) with a tariff is in force in the zone at the start$",
         r"regime \1 heeft bij het begin geen tarief van kracht in deze zone"),
        (r"^a report covers at most (\d+) days$", r"een rapport beslaat hoogstens \1 dagen"),
        (r"^not a valid (.*)$", r"geen geldige \1"),
    ))


def text(key: str, lang: str, **values: object) -> str:
    nl, en = MESSAGES[key]
    message = nl if lang == "nl" else en
    return message.format(**values) if values else message


def reason(message: str, lang: str) -> str:
    """A refusal's reason in the person's language (English as the register words it, when no
    translation is known)."""
    if lang == "nl":
        for pattern, dutch in _REASONS_NL:
            if pattern.search(message):
                return pattern.sub(dutch, message)
    return message


def reason_of(error: FieldError, lang: str) -> str:
    """A refusal's reason in the person's language: the profile's own text in that language when
    the rule gives one, else the register's wording, translated when it is a common one."""
    if error.messages and error.messages.get(lang):
        return error.messages[lang]
    return reason(error.reason, lang)


def weekday(index: int, lang: str) -> str:
    return _WEEKDAYS[lang][index]


_DAY_CODES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day(value: str, lang: str) -> str:
    """A DayOfWeek code as the day's name."""
    if value in _DAY_CODES:
        return weekday(_DAY_CODES.index(value), lang)
    return code(value, lang)


@cache
def _code_labels() -> dict[tuple[str, str], str]:
    graph = Graph()
    graph.parse(generated_dir() / "codelists.ttl", format="turtle")
    labels: dict[tuple[str, str], str] = {}
    for concept, label in graph.subject_objects(SKOS.prefLabel):
        if isinstance(label, Literal) and label.language in LANGUAGES:
            # The model's value is the concept's notation (its IRI's last segment only for the
            # concepts 0.1 named, kept deprecated); both are looked up.
            names = {str(concept).rsplit("/", 1)[-1]}
            names.update(str(n) for n in graph.objects(concept, SKOS.notation))
            for notation in names:
                labels.setdefault((notation, label.language), str(label))
    return labels


def code(value: str | None, lang: str) -> str:
    """The label of a code list value (``paidParking`` → ``betaalparkeren``)."""
    if value is None:
        return ""
    return _code_labels().get((value, lang), value)

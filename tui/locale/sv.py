"""Swedish UI and CLI strings (the default language)."""

MESSAGES: dict[str, str] = {
    # command line
    "cli.help": (
        "Trygg – trygghetsvandringar, snabbrapporter och åtgärdsplaner för lokalt "
        "brottsförebyggande arbete. Utan kommando öppnas programmet."
    ),
    "cli.usage": "Användning:",
    "cli.options": "Flaggor",
    "cli.commands": "Kommandon",
    "cli.opt.help": "Visa den här hjälpen och avsluta.",
    "cli.opt.version": "Visa versionen och avsluta.",
    "cli.opt.db": "Databasfil (annars TRYGG_DB eller standardplatsen).",
    "cli.opt.lang": "Språk: sv (svenska) eller en (engelska).",
    "cli.opt.debug": "Visa tekniska detaljer vid oväntade fel.",
    "cli.interrupted": "Avbrutet.",
    "cli.sqlite_database": "Databasen kunde inte användas just nu. Inget har ändrats.",
    "cli.sqlite_disk_full": "Disken är full. Inget har sparats – frigör utrymme och försök igen.",
    "cli.os_error": "Filen kunde inte skrivas eller läsas: {reason}.",
    "cli.unexpected": "Ett oväntat fel inträffade ({kind}). Kör igen med --debug för detaljer.",
    "cli.yes": "Ja",
    "cli.no": "Nej",
    "cli.init.help": "Skapa och konfigurera en ny databas för den här enheten.",
    "cli.init.opt.name": "Enhetens namn, t.ex. 'Kommunpolis Lycksele' eller 'BRÅ-samordnare Åsele'.",
    "cli.init.opt.kommun": "Standardkommun för nya poster.",
    "cli.init.opt.org": "Organisation: polis eller kommun.",
    "cli.init.done": "Databasen {path} är skapad för {name} ({org}, {kommun}).",
    "cli.demo.help": "Öppna Trygg på en ny demodatabas med exempeldata (skapas på nytt varje gång).",
    "cli.demo.opt.no_tui": "Skapa demodatabasen men öppna inte programmet.",
    "cli.demo.device_name": "Demo – Kommunpolis Lycksele",
    "cli.demo.done": "Demodatabas skapad: {path}",
    "cli.log.help": "Visa ändringsloggen: vem ändrade vad och när (för en post om RECORD_ID anges).",
    "cli.log.opt.limit": "Högst så här många rader (utan RECORD_ID).",
    "cli.log.opt.show_personal": "Visa personuppgifter (namn, personnummer, telefon) i klartext.",
    "cli.log.col.when": "När",
    "cli.log.col.device": "Enhet",
    "cli.log.col.record": "Post",
    "cli.log.col.field": "Fält",
    "cli.log.col.value": "Nytt värde",
    "cli.log.deleted": "(borttagen)",
    "cli.log.personal_hidden": "(personuppgift dold)",
    "cli.log.empty": "Inga ändringar ännu.",
    "cli.records.help": "Läs in och skriv ut poster i utbytesformatet (JSON Lines).",
    "cli.records.opt.type": "Posttyp.",
    "cli.records.export.help": "Skriv ut alla poster som JSON Lines, sorterade efter typ och id.",
    "cli.records.export.opt.out": "Fil att skriva till (annars standard ut).",
    "cli.records.export.done": "{count} poster exporterade till {path}.",
    "cli.records.import.help": (
        "Läs in poster från JSON Lines eller CSV. Allt kontrolleras först; vid minsta fel "
        "ändras ingenting."
    ),
    "cli.records.import.done": "Importerat: {created} nya, {updated} ändrade, {unchanged} oförändrade.",
    "cli.records.import.skipped_deleted": "{count} poster hoppades över eftersom de är borttagna här.",
    # application
    "app.title": "Trygg",
    "key.quit": "Avsluta",
    "key.quit.tooltip": "Stäng Trygg (allt är redan sparat)",
    "key.palette": "Kommandon",
    "key.palette.tooltip": "Sök bland alla kommandon (kommandopaletten)",
    "key.help": "Hjälp",
    "key.help.tooltip": "Visa tangenterna för den här vyn",
    "key.back": "Tillbaka",
    "key.back.tooltip": "Gå tillbaka till föregående vy",
    "key.save": "Spara",
    "key.save.tooltip": "Spara formuläret",
    "home.title": "Översikt",
    "home.device": "Enhet: {name} · {org} · {kommun}",
    "home.database": "Databas: {path}",
    "home.col.type": "Posttyp",
    "home.col.count": "Antal",
    "home.counts": "Poster i databasen",
    "home.unsent": "Ändringar i loggen: {count}",
    "home.placeholder": (
        "Vyerna för trygghetsvandringar, snabbrapporter och åtgärdsplaner byggs i kommande "
        "versioner. Under tiden: 'trygg records export' och 'trygg log' på kommandoraden."
    ),
    "help.title": "Tangenter",
    "help.close": "Stäng med Esc",
    "setup.title": "Välkommen till Trygg",
    "setup.intro": (
        "Databasen är ny. Ange vem den här datorn tillhör – det syns för kollegor som tar "
        "emot filer härifrån."
    ),
    "setup.name": "Enhetens namn",
    "setup.name.placeholder": "t.ex. Kommunpolis Lycksele",
    "setup.org": "Organisation",
    "setup.kommun": "Standardkommun",
    "setup.kommun.placeholder": "t.ex. Lycksele",
    "setup.save": "Spara och börja",
    "setup.saved": "Enheten är konfigurerad.",
    "error.title": "Kunde inte öppna databasen",
}

"""Sweden's 290 municipalities by county (län): reference data for choosing and checking
a municipality. Seeded into the ``kommun`` table of every new database."""

from __future__ import annotations

from db.textutil import fold, swedish_sort_key

KOMMUNER_BY_LAN: dict[str, tuple[str, ...]] = {
    "Stockholms län": (
        "Botkyrka", "Danderyd", "Ekerö", "Haninge", "Huddinge", "Järfälla", "Lidingö",
        "Nacka", "Norrtälje", "Nykvarn", "Nynäshamn", "Salem", "Sigtuna", "Sollentuna",
        "Solna", "Stockholm", "Sundbyberg", "Södertälje", "Tyresö", "Täby",
        "Upplands Väsby", "Upplands-Bro", "Vallentuna", "Vaxholm", "Värmdö", "Österåker",
    ),
    "Uppsala län": (
        "Enköping", "Heby", "Håbo", "Knivsta", "Tierp", "Uppsala", "Älvkarleby", "Östhammar",
    ),
    "Södermanlands län": (
        "Eskilstuna", "Flen", "Gnesta", "Katrineholm", "Nyköping", "Oxelösund", "Strängnäs",
        "Trosa", "Vingåker",
    ),
    "Östergötlands län": (
        "Boxholm", "Finspång", "Kinda", "Linköping", "Mjölby", "Motala", "Norrköping",
        "Söderköping", "Vadstena", "Valdemarsvik", "Ydre", "Åtvidaberg", "Ödeshög",
    ),
    "Jönköpings län": (
        "Aneby", "Eksjö", "Gislaved", "Gnosjö", "Habo", "Jönköping", "Mullsjö", "Nässjö",
        "Sävsjö", "Tranås", "Vaggeryd", "Vetlanda", "Värnamo",
    ),
    "Kronobergs län": (
        "Alvesta", "Lessebo", "Ljungby", "Markaryd", "Tingsryd", "Uppvidinge", "Växjö",
        "Älmhult",
    ),
    "Kalmar län": (
        "Borgholm", "Emmaboda", "Hultsfred", "Högsby", "Kalmar", "Mönsterås", "Mörbylånga",
        "Nybro", "Oskarshamn", "Torsås", "Vimmerby", "Västervik",
    ),
    "Gotlands län": ("Gotland",),
    "Blekinge län": ("Karlshamn", "Karlskrona", "Olofström", "Ronneby", "Sölvesborg"),
    "Skåne län": (
        "Bjuv", "Bromölla", "Burlöv", "Båstad", "Eslöv", "Helsingborg", "Hässleholm",
        "Höganäs", "Hörby", "Höör", "Klippan", "Kristianstad", "Kävlinge", "Landskrona",
        "Lomma", "Lund", "Malmö", "Osby", "Perstorp", "Simrishamn", "Sjöbo", "Skurup",
        "Staffanstorp", "Svalöv", "Svedala", "Tomelilla", "Trelleborg", "Vellinge", "Ystad",
        "Åstorp", "Ängelholm", "Örkelljunga", "Östra Göinge",
    ),
    "Hallands län": ("Falkenberg", "Halmstad", "Hylte", "Kungsbacka", "Laholm", "Varberg"),
    "Västra Götalands län": (
        "Ale", "Alingsås", "Bengtsfors", "Bollebygd", "Borås", "Dals-Ed", "Essunga",
        "Falköping", "Färgelanda", "Grästorp", "Gullspång", "Göteborg", "Götene",
        "Herrljunga", "Hjo", "Härryda", "Karlsborg", "Kungälv", "Lerum", "Lidköping",
        "Lilla Edet", "Lysekil", "Mariestad", "Mark", "Mellerud", "Munkedal", "Mölndal",
        "Orust", "Partille", "Skara", "Skövde", "Sotenäs", "Stenungsund", "Strömstad",
        "Svenljunga", "Tanum", "Tibro", "Tidaholm", "Tjörn", "Tranemo", "Trollhättan",
        "Töreboda", "Uddevalla", "Ulricehamn", "Vara", "Vårgårda", "Vänersborg", "Åmål",
        "Öckerö",
    ),
    "Värmlands län": (
        "Arvika", "Eda", "Filipstad", "Forshaga", "Grums", "Hagfors", "Hammarö", "Karlstad",
        "Kil", "Kristinehamn", "Munkfors", "Storfors", "Sunne", "Säffle", "Torsby", "Årjäng",
    ),
    "Örebro län": (
        "Askersund", "Degerfors", "Hallsberg", "Hällefors", "Karlskoga", "Kumla", "Laxå",
        "Lekeberg", "Lindesberg", "Ljusnarsberg", "Nora", "Örebro",
    ),
    "Västmanlands län": (
        "Arboga", "Fagersta", "Hallstahammar", "Kungsör", "Köping", "Norberg", "Sala",
        "Skinnskatteberg", "Surahammar", "Västerås",
    ),
    "Dalarnas län": (
        "Avesta", "Borlänge", "Falun", "Gagnef", "Hedemora", "Leksand", "Ludvika",
        "Malung-Sälen", "Mora", "Orsa", "Rättvik", "Smedjebacken", "Säter", "Vansbro",
        "Älvdalen",
    ),
    "Gävleborgs län": (
        "Bollnäs", "Gävle", "Hofors", "Hudiksvall", "Ljusdal", "Nordanstig", "Ockelbo",
        "Ovanåker", "Sandviken", "Söderhamn",
    ),
    "Västernorrlands län": (
        "Härnösand", "Kramfors", "Sollefteå", "Sundsvall", "Timrå", "Ånge", "Örnsköldsvik",
    ),
    "Jämtlands län": (
        "Berg", "Bräcke", "Härjedalen", "Krokom", "Ragunda", "Strömsund", "Åre", "Östersund",
    ),
    "Västerbottens län": (
        "Bjurholm", "Dorotea", "Lycksele", "Malå", "Nordmaling", "Norsjö", "Robertsfors",
        "Skellefteå", "Sorsele", "Storuman", "Umeå", "Vilhelmina", "Vindeln", "Vännäs",
        "Åsele",
    ),
    "Norrbottens län": (
        "Arjeplog", "Arvidsjaur", "Boden", "Gällivare", "Haparanda", "Jokkmokk", "Kalix",
        "Kiruna", "Luleå", "Pajala", "Piteå", "Älvsbyn", "Överkalix", "Övertorneå",
    ),
}  # fmt: skip

ALL_KOMMUNER: tuple[str, ...] = tuple(
    sorted((k for ks in KOMMUNER_BY_LAN.values() for k in ks), key=swedish_sort_key)
)


def suggest_kommun(text: str, limit: int = 8) -> list[str]:
    """Municipalities whose name starts with ``text`` (then those containing it),
    ignoring case and accents."""
    wanted = fold(text.strip())
    if not wanted:
        return []
    starts = [k for k in ALL_KOMMUNER if fold(k).startswith(wanted)]
    contains = [k for k in ALL_KOMMUNER if wanted in fold(k) and k not in starts]
    return (starts + contains)[:limit]


def canonical_kommun(text: str) -> str | None:
    """The official spelling of ``text`` if it names a municipality ("solleftea",
    "SOLLEFTEÅ" → "Sollefteå"); None if it names none."""
    wanted = fold(text.strip())
    for kommun in ALL_KOMMUNER:
        if fold(kommun) == wanted:
            return kommun
    return None

"""The ingest main process kept cheap (#14): plainly English text skips langdetect (pure Python,
~6 ms an article, a quarter of the main process's time), other languages still get it."""

from __future__ import annotations

import pytest

from newsgraph.read.decode import clearly_english, detect_language
from newsgraph.settings import Settings

ENGLISH = (
    "The council said on Monday that the new bridge, which was planned three years ago, would open "
    "after the summer. Residents who have waited for it said they were glad, and the mayor added that "
    "its cost had been lower than expected. The work began in the spring of that year."
)
# Written for this test: a news paragraph in each language, with an English name or two in it.
OTHERS = {
    "de": "Der Stadtrat hat am Montag beschlossen, dass die neue Brücke nach dem Sommer eröffnet wird. "
    "Die Bewohner, die seit Jahren darauf warten, sagten, sie seien froh, und der Bürgermeister fügte "
    "hinzu, dass die Kosten niedriger als erwartet gewesen seien. Die Arbeiten begannen im Frühling.",
    "es": "El consejo municipal anunció el lunes que el nuevo puente se abrirá después del verano. Los "
    "vecinos, que llevan años esperando, dijeron que estaban contentos, y el alcalde añadió que el coste "
    "había sido menor de lo previsto. Las obras empezaron en la primavera de ese año.",
    "fr": "Le conseil municipal a annoncé lundi que le nouveau pont ouvrira après l'été. Les habitants, "
    "qui attendent depuis des années, se sont dits satisfaits, et le maire a ajouté que le coût avait "
    "été plus faible que prévu. Les travaux ont commencé au printemps de cette année-là.",
    "nl": "De gemeenteraad heeft maandag besloten dat de nieuwe brug na de zomer opengaat. De bewoners, "
    "die er al jaren op wachten, zeiden dat ze blij zijn, en de burgemeester voegde eraan toe dat de "
    "kosten lager waren dan verwacht. Het werk begon in het voorjaar van dat jaar in Amsterdam.",
    "da": "Byrådet meddelte mandag, at den nye bro åbner efter sommeren. Beboerne, som har ventet i "
    "årevis, sagde, at de er glade, og borgmesteren tilføjede, at prisen havde været lavere end "
    "ventet. Arbejdet begyndte i foråret det år, og det er for en gangs skyld gået hurtigt.",
    "pl": "Rada miasta ogłosiła w poniedziałek, że nowy most zostanie otwarty po lecie. Mieszkańcy, którzy "
    "czekają od lat, powiedzieli, że są zadowoleni, a burmistrz dodał, że koszt był niższy niż "
    "oczekiwano. To nie jest pierwszy most w mieście, ale on jest najdłuższy. Prace zaczęły się wiosną.",
}


def test_plain_english_is_recognised_without_langdetect() -> None:
    assert clearly_english(ENGLISH)
    assert detect_language(ENGLISH, Settings()) == "en"


@pytest.mark.parametrize("lang", sorted(OTHERS))
def test_other_languages_still_go_to_langdetect(lang: str) -> None:
    assert not clearly_english(OTHERS[lang])
    assert detect_language(OTHERS[lang], Settings()) == lang


def test_a_quote_in_english_does_not_make_a_german_article_english() -> None:
    text = OTHERS["de"] + ' Ein Sprecher sagte auf Englisch: "We are glad that the work is done." ' + OTHERS["de"]
    assert not clearly_english(text)

"""What families type, and the fixture's services (keys in fixture.py) that must be among the first five results.

Each query is typed on the search page in its language (the place in the words is read as the page reads it). The
"must" services are the ones any good answer shows first; where more services are equally right (five child health
clinics for "lastenneuvla"), there are at most five of them in the fixture, so a perfect ranking finds every "must".
``issue=True`` marks the queries issue 8 names; each gets its own test, which also checks ``outranks``: services that
may be in the first five but never above a "must" service (every area's neuvola chat for "neuvola").

Categories: plain (the word as listed), inflected (a case ending or a stem alternation: -us/-ukse-), compound (a
part of a compound, or a compound of words listed apart), typo, place (a municipality or postcode in the words),
synonym (another word for the same service, or the other language's), description-only (the word appears only in
a description).
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("plain", "inflected", "compound", "typo", "place", "synonym", "description-only")


@dataclass(frozen=True)
class Query:
    q: str
    language: str
    category: str
    must: tuple[str, ...]
    issue: bool = False
    outranks: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.language}:{self.q}"


_LASTENNEUVOLAT = ("turku_lastenneuvola_keskusta", "helsinki_lastenneuvola_kallio", "tampere_lastenneuvola_hervanta")
_TURUN_LASTENNEUVOLAT = ("turku_lastenneuvola_keskusta", "turku_lastenneuvola_runosmaki")
_NEUVOLAT = ("raasepori_neuvola", "parainen_neuvola", "vaasa_neuvola")
_AITIYSNEUVOLAT = ("vantaa_aitiysneuvola_tikkurila", "turku_aitiysneuvola")
_PUHETERAPIA = ("vs_puheterapia", "puhetaito_puheterapia")
_LASTENVALVOJAT = ("vs_lastenvalvoja", "helsinki_lastenvalvoja")
_KASVATUS_JA_PERHENEUVONTA = ("vs_kasvatus_perheneuvonta", "espoo_kasvatus_perheneuvonta")
_KURAATTORIT = ("turku_koulukuraattori", "vaasa_koulukuraattori")
_TURVAKODIT = ("turku_turvakoti", "vaasa_turvakoti")
_PERHEKAHVILAT = ("mll_perhekahvila_runosmaki", "espoo_perhekahvila")
_NUORTEN_MIELENTERVEYS = ("vs_nuorisoasema", "pirkanmaa_nuorten_mielenterveys")
_KOTIPALVELU = ("vs_kotipalvelu", "pirkanmaa_kotipalvelu")
_NEUVOLA_CHATS = (
    "vs_neuvola_chat",
    "pirkanmaa_neuvola_chat",
    "lansi_uusimaa_neuvola_chat",
    "pohjanmaa_neuvola_chat",
    "helsinki_neuvola_chat",
)

QUERIES = [
    # --- Finnish ---
    Query("neuvola", "fi", "plain", _NEUVOLAT, issue=True, outranks=_NEUVOLA_CHATS),  # the clinics before the chats
    Query("perhekahvila", "fi", "plain", _PERHEKAHVILAT),
    Query("koulukuraattori", "fi", "plain", _KURAATTORIT),
    Query("turvakoti", "fi", "plain", _TURVAKODIT),
    Query("lastenvalvoja", "fi", "plain", _LASTENVALVOJAT),
    Query("perhetyö", "fi", "plain", ("vs_perhetyo",)),
    Query("neuvolan chat", "fi", "plain", ("vs_neuvola_chat", "pirkanmaa_neuvola_chat")),
    Query("neuvolassa", "fi", "inflected", _NEUVOLAT, issue=True, outranks=_NEUVOLA_CHATS),
    Query("puheterapeutille", "fi", "inflected", _PUHETERAPIA, issue=True),
    Query("elatussopimus", "fi", "inflected", _LASTENVALVOJAT, issue=True),
    Query("masennus nuori", "fi", "inflected", _NUORTEN_MIELENTERVEYS, issue=True),
    Query("äitiysneuvolaan", "fi", "inflected", _AITIYSNEUVOLAT),
    Query("koulupsykologille", "fi", "inflected", ("turku_koulupsykologi", "tampere_koulupsykologi")),
    Query("kotipalvelua vauvaperheelle", "fi", "inflected", _KOTIPALVELU),
    Query("perhekahvilaan", "fi", "inflected", _PERHEKAHVILAT),
    Query("turvakotiin", "fi", "inflected", _TURVAKODIT),
    Query("kasvatusneuvonta", "fi", "compound", _KASVATUS_JA_PERHENEUVONTA),
    Query("vertaistuki erityislapsi", "fi", "compound", ("leijonaemot_vertaistuki",)),
    Query("kriisipuhelin", "fi", "compound", ("mieli_kriisipuhelin",)),
    Query("nuorten mielenterveyspalvelut", "fi", "compound", _NUORTEN_MIELENTERVEYS),
    Query("eroneuvonta", "fi", "compound", ("turun_ensikoti_eroneuvonta",)),
    Query("imetys", "fi", "compound", ("vs_imetyspoliklinikka", "mll_imetystuki")),
    Query("terapia", "fi", "compound", ("vs_puheterapia", "pirkanmaa_toimintaterapia")),
    Query("lastenneuvla", "fi", "typo", _LASTENNEUVOLAT, issue=True),
    Query("kuraatori", "fi", "typo", _KURAATTORIT),
    Query("puheteraapia", "fi", "typo", _PUHETERAPIA),
    Query("äitiysneuvla", "fi", "typo", _AITIYSNEUVOLAT),
    Query("perhekahvla", "fi", "typo", _PERHEKAHVILAT),
    Query("lastenneuvola turku", "fi", "place", _TURUN_LASTENNEUVOLAT, issue=True),
    Query("lastenneuvola 20100", "fi", "place", _TURUN_LASTENNEUVOLAT, issue=True),
    Query("turun lastenneuvola", "fi", "place", _TURUN_LASTENNEUVOLAT),
    Query("neuvola tampere", "fi", "place", ("tampere_lastenneuvola_hervanta", "tampere_aitiysneuvola")),
    Query("perhekahvila espoossa", "fi", "place", ("espoo_perhekahvila",)),
    Query("kasvatus- ja perheneuvonta turku", "fi", "place", ("vs_kasvatus_perheneuvonta",)),
    Query("koulupsykologi tampereella", "fi", "place", ("tampere_koulupsykologi",)),
    Query("avioero", "fi", "synonym", ("turun_ensikoti_eroneuvonta", "etkl_eroperhe"), issue=True),
    Query("perheneuvola", "fi", "synonym", _KASVATUS_JA_PERHENEUVONTA, issue=True),
    Query("synnytysvalmennus", "fi", "synonym", ("vs_perhevalmennus",)),
    Query("päiväkoti", "fi", "synonym", ("turku_varhaiskasvatus", "espoo_varhaiskasvatus")),
    Query("huoltajuus", "fi", "synonym", _LASTENVALVOJAT),
    Query("lastenvahti", "fi", "synonym", ("mll_lastenhoitoapu",)),
    Query("kiusaaminen", "fi", "description-only", ("turku_koulukuraattori", "mll_lasten_nuorten_puhelin")),
    Query("synnytyspelko", "fi", "description-only", ("pirkanmaa_pelkopoliklinikka",)),
    Query("lähisuhdeväkivalta", "fi", "description-only", ("turku_turvakoti", "etkl_nollalinja")),
    Query("yksinhuoltaja", "fi", "description-only", ("yvpl_vertaistuki",)),
    Query("isyyden tunnustaminen", "fi", "description-only", _LASTENVALVOJAT),
    Query("kaksoset", "fi", "description-only", ("kaksoset_monikkoperheet",)),
    Query("alkoholi", "fi", "description-only", ("a_klinikka_perheet",)),
    # --- Swedish ---
    Query("skyddshemmet", "sv", "inflected", _TURVAKODIT, issue=True),
    Query("barnrådgivningen i Åbo", "sv", "place", _TURUN_LASTENNEUVOLAT, issue=True),
    Query("skilsmässa", "sv", "synonym", ("turun_ensikoti_eroneuvonta", "folkhalsan_separation"), issue=True),
    Query("familjerådgivning", "sv", "compound", ("vs_kasvatus_perheneuvonta", "vasa_familjeradgivning")),
    Query("mödrarådgivning", "sv", "plain", _AITIYSNEUVOLAT),
    Query(
        "barnrådgivning",
        "sv",
        "plain",
        ("helsinki_lastenneuvola_kallio", "espoo_neuvola_leppavaara", "jakobstad_barnradgivning"),
    ),
    Query("talterapi", "sv", "plain", ("vs_puheterapia", "vaasa_talterapi")),
    Query("talterapeuten", "sv", "inflected", ("vs_puheterapia", "vaasa_talterapi")),
    Query("familjecafé", "sv", "plain", ("porvoo_familjecafe", "vasa_familjecafe")),
    Query("familjecafe i Borgå", "sv", "place", ("porvoo_familjecafe",)),
    Query("skolkurator", "sv", "plain", _KURAATTORIT),
    Query("skolkuratorn", "sv", "inflected", _KURAATTORIT),
    Query("depression unga", "sv", "description-only", _NUORTEN_MIELENTERVEYS),
    Query("våld i nära relationer", "sv", "description-only", ("turku_turvakoti", "etkl_nollalinja")),
    Query("underhållsavtal", "sv", "compound", _LASTENVALVOJAT),
    Query("barnatillsyningsmannen", "sv", "inflected", _LASTENVALVOJAT),
    Query("hemservice för barnfamiljer", "sv", "plain", _KOTIPALVELU),
    Query("babyklubb", "sv", "plain", ("tampere_parish_vauvakerho", "abo_babyklubben")),
    Query("kristelefon", "sv", "inflected", ("mieli_kriisipuhelin",)),
    Query("rådgivningen i Vasa", "sv", "place", ("vaasa_neuvola",)),
    Query("mödrarådgivningen i Vanda", "sv", "place", ("vantaa_aitiysneuvola_tikkurila",)),
    Query("barnskyddsanmälan", "sv", "description-only", ("vs_lastensuojelu", "vs_sosiaalipaivystys")),
    Query("förlossningsförberedelse", "sv", "compound", ("vs_perhevalmennus",)),
    Query("dagis", "sv", "synonym", ("turku_svensk_smabarnspedagogik", "espoo_varhaiskasvatus")),
    Query("ensamstående förälder", "sv", "description-only", ("folkhalsan_separation",)),
    Query("barnradgivning", "sv", "typo", ("helsinki_lastenneuvola_kallio", "espoo_neuvola_leppavaara")),
    Query("familjerådgivnig", "sv", "typo", ("vs_kasvatus_perheneuvonta", "vasa_familjeradgivning")),
    Query("tvillingar", "sv", "description-only", ("kaksoset_monikkoperheet",)),
]

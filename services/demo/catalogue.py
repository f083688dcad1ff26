"""Templates for the demo services and activities, with Finnish, Swedish and English texts.

Placeholders: {p} place name in Finnish, {pg} its genitive, {psv} its Swedish name, {pen} its English
name; {rg}, {rsv}, {ren} the same for the wellbeing area's region.
"""

from __future__ import annotations

from dataclasses import dataclass, field

T3 = tuple[str, str, str]  # fi, sv, en


@dataclass(frozen=True)
class ServiceTemplate:
    key: str
    name: T3
    summary: T3
    description: T3
    classes: tuple[str, ...]
    situations: tuple[str, ...] = ()
    ages: tuple[int | None, int | None] = (None, None)
    for_expecting: bool = False
    for_parents: bool = False
    cost: str = "free"
    cost_info: T3 = ("", "", "")
    access: tuple[str, ...] = ("booking",)
    access_info: T3 = ("", "", "")
    keywords: T3 = ("", "", "")
    hours: str = "clinic"  # clinic, office, helpline, round_the_clock, youth, none
    location: T3 | None = ("{pg} terveysasema", "{psv} hälsostation", "{pen} health centre")
    phone_info: T3 = ("Ajanvaraus ma–pe klo 8–10", "Tidsbokning mån–fre kl. 8–10", "Appointments Mon–Fri 8–10")
    e_service: T3 | None = None
    extra_languages: tuple[str, ...] = ()


NEUVOLA_ESERVICE = ("Ajanvaraus verkossa", "Tidsbokning på nätet", "Book online")

# --- Wellbeing area: one per district ---

CHILD_HEALTH_CLINIC = ServiceTemplate(
    key="lastenneuvola",
    name=("{pg} lastenneuvola", "Barnrådgivningen i {psv}", "{pen} child health clinic"),
    summary=(
        "Lastenneuvola seuraa lapsen kasvua ja kehitystä syntymästä kouluikään ja tukee koko perhettä.",
        "Barnrådgivningen följer barnets tillväxt och utveckling från födseln till skolåldern och stöder hela "
        "familjen.",
        "The child health clinic follows your child’s growth and development from birth to school age.",
    ),
    description=(
        "Neuvolan terveydenhoitaja ja lääkäri tapaavat perhettä määräaikaisissa terveystarkastuksissa. "
        "Käynneillä rokotetaan ohjelman mukaan ja jutellaan arjesta, unesta, ruokailusta ja jaksamisesta. "
        "Laajoihin terveystarkastuksiin kutsutaan molemmat vanhemmat.",
        "Hälsovårdaren och läkaren träffar familjen vid regelbundna hälsoundersökningar. Barnet vaccineras enligt "
        "programmet och ni pratar om vardagen, sömnen, maten och orken. Till de omfattande hälsoundersökningarna "
        "bjuds båda föräldrarna in.",
        "A public health nurse and a doctor see the family at regular check-ups. Children are vaccinated according "
        "to the national programme, and you can talk about sleep, food and coping. Both parents are invited to the "
        "extensive check-ups.",
    ),
    classes=("child-health-clinic",),
    situations=("baby", "toddler", "parenting"),
    ages=(0, 6),
    access=("booking",),
    access_info=(
        "Neuvola kutsuu ensimmäiselle käynnille synnytyksen jälkeen. Varaa seuraavat ajat puhelimitse tai verkossa.",
        "Rådgivningen kallar er till det första besöket efter förlossningen. Boka följande tider per telefon eller "
        "på nätet.",
        "The clinic invites you after the birth. Book later visits by phone or online.",
    ),
    keywords=(
        "neuvola, rokotukset, terveystarkastus, kasvu, imetys",
        "rådgivning, vaccinationer, hälsokontroll, amning",
        "clinic, vaccinations, check-up, breastfeeding",
    ),
    e_service=NEUVOLA_ESERVICE,
)

MATERNITY_CLINIC = ServiceTemplate(
    key="aitiysneuvola",
    name=("{pg} äitiysneuvola", "Mödrarådgivningen i {psv}", "{pen} maternity clinic"),
    summary=(
        "Äitiysneuvola seuraa raskauden kulkua ja valmistaa koko perhettä vauvan tuloon.",
        "Mödrarådgivningen följer graviditeten och förbereder hela familjen inför barnets ankomst.",
        "The maternity clinic monitors the pregnancy and prepares the whole family for the baby.",
    ),
    description=(
        "Raskauden aikana käyt neuvolassa noin kymmenen kertaa. Käynneillä seurataan äidin ja sikiön vointia, "
        "kerrotaan seulonnoista ja valmistaudutaan synnytykseen. Perhevalmennukseen ovat tervetulleita "
        "molemmat vanhemmat.",
        "Under graviditeten besöker du rådgivningen ungefär tio gånger. Vid besöken följs moderns och fostrets "
        "hälsa, du får information om screeningar och förbereder dig för förlossningen. Båda föräldrarna är "
        "välkomna till familjeförberedelsen.",
        "During pregnancy you visit the clinic about ten times to follow your and the baby’s health, hear about "
        "screening and prepare for the birth. Both parents are welcome to the antenatal classes.",
    ),
    classes=("maternity-clinic",),
    situations=("expecting",),
    for_expecting=True,
    access=("booking",),
    access_info=(
        "Soita neuvolaan, kun raskaustesti on positiivinen. Ensikäynti on yleensä raskausviikoilla 8–10.",
        "Ring rådgivningen när graviditetstestet är positivt. Det första besöket är oftast i vecka 8–10.",
        "Call the clinic when your pregnancy test is positive; the first visit is usually in weeks 8–10.",
    ),
    keywords=(
        "raskaus, odotus, perhevalmennus, synnytys, neuvola",
        "graviditet, familjeförberedelse, förlossning",
        "pregnancy, antenatal, birth",
    ),
    e_service=NEUVOLA_ESERVICE,
)

SCHOOL_HEALTH = ServiceTemplate(
    key="kouluterveydenhuolto",
    name=("{pg} koulujen kouluterveydenhuolto", "Skolhälsovården i {psv}", "{pen} school health care"),
    summary=(
        "Kouluterveydenhoitaja ja -lääkäri tukevat koululaisen terveyttä, kasvua ja hyvinvointia.",
        "Skolhälsovårdaren och skolläkaren stöder elevens hälsa, tillväxt och välbefinnande.",
        "The school nurse and doctor support pupils’ health, growth and wellbeing.",
    ),
    description=(
        "Jokainen oppilas käy terveystarkastuksessa vuosittain. Terveydenhoitajan vastaanotolle voi tulla myös "
        "ilman ajanvarausta pienissä vaivoissa tai kun mieltä painaa jokin. Huoltajat kutsutaan laajoihin "
        "terveystarkastuksiin 1., 5. ja 8. luokalla.",
        "Varje elev går på hälsoundersökning varje år. Till hälsovårdaren kan man också komma utan tidsbokning "
        "med små besvär eller när något tynger. Vårdnadshavarna bjuds in till de omfattande hälsoundersökningarna "
        "i årskurs 1, 5 och 8.",
        "Every pupil has a yearly health check. Pupils can also drop in to see the nurse. Parents are invited to the "
        "extensive check-ups in grades 1, 5 and 8.",
    ),
    classes=("school-health-care",),
    situations=("school-age", "teenager"),
    ages=(7, 16),
    access=("walk_in", "booking"),
    access_info=(
        "Terveydenhoitaja on tavattavissa koululla. Avoin vastaanotto aamupäivisin.",
        "Hälsovårdaren finns på skolan. Öppen mottagning på förmiddagarna.",
        "The nurse is at the school; open hours in the mornings.",
    ),
    keywords=("koululainen, terveydenhoitaja, koululääkäri", "elev, skolhälsovårdare, skolläkare", "pupil, nurse"),
    location=("{pg} koulu", "{psv} skola", "{pen} school"),
    phone_info=("Terveydenhoitaja ma–pe klo 8–9", "Hälsovårdaren mån–fre kl. 8–9", "School nurse Mon–Fri 8–9"),
)

# --- Wellbeing area: one per municipality ---

FAMILY_PLANNING = ServiceTemplate(
    key="perhesuunnitteluneuvola",
    name=("{pg} perhesuunnitteluneuvola", "Familjeplaneringsrådgivningen i {psv}", "{pen} family planning clinic"),
    summary=(
        "Ehkäisyneuvontaa, raskauden suunnittelua ja seksuaaliterveyden tukea kaiken ikäisille.",
        "Preventivmedelsrådgivning, planering av graviditet och stöd för sexuell hälsa i alla åldrar.",
        "Contraception advice, pregnancy planning and sexual health support for all ages.",
    ),
    description=(
        "Perhesuunnitteluneuvolassa saat ohjausta ehkäisyyn, raskauden suunnitteluun ja hedelmällisyyteen liittyvissä "
        "kysymyksissä. Alle 25-vuotiaille ensimmäinen ehkäisyvalmiste on maksuton.",
        "På familjeplaneringsrådgivningen får du råd om preventivmedel, planering av graviditet och fertilitet. "
        "Unga under 25 år får sitt första preventivmedel avgiftsfritt.",
        "Advice on contraception, planning a pregnancy and fertility. People under 25 get their first "
        "contraceptive free of charge.",
    ),
    classes=("family-planning",),
    situations=("relationship",),
    for_parents=True,
    access=("booking",),
    keywords=("ehkäisy, e-pilleri, kierukka, raskaustoive", "preventivmedel, p-piller, spiral", "contraception"),
)

FAMILY_SOCIAL_WORK = ServiceTemplate(
    key="perhesosiaalityo",
    name=("{pg} perhesosiaalityö", "Familjesocialarbetet i {psv}", "{pen} family social work"),
    summary=(
        "Sosiaaliohjaaja ja sosiaalityöntekijä auttavat, kun perheen arki kaipaa tukea.",
        "Socialhandledaren och socialarbetaren hjälper när familjens vardag behöver stöd.",
        "Social workers help when everyday family life needs support.",
    ),
    description=(
        "Perhesosiaalityö tukee lapsiperheitä muun muassa vanhemmuuteen, talouteen, asumiseen ja jaksamiseen "
        "liittyvissä asioissa. Yhdessä perheen kanssa arvioidaan tuen tarve ja sovitaan, mikä auttaa. Palvelu on "
        "vapaaehtoista ja luottamuksellista.",
        "Familjesocialarbetet stöder barnfamiljer i frågor som gäller föräldraskap, ekonomi, boende och ork. "
        "Tillsammans med familjen bedöms behovet av stöd och man kommer överens om vad som hjälper. Tjänsten är "
        "frivillig och konfidentiell.",
        "Family social work supports families with parenting, money, housing and coping. Together with the family "
        "we assess what help is needed. The service is voluntary and confidential.",
    ),
    classes=("family-social-work",),
    situations=("parenting", "money-housing", "crisis"),
    ages=(0, 17),
    for_parents=True,
    access=("booking",),
    access_info=(
        "Ota yhteyttä lapsiperheiden sosiaalipalvelujen neuvontaan. Myös neuvola tai koulu voi ohjata palveluun.",
        "Kontakta rådgivningen för socialtjänster för barnfamiljer. Även rådgivningen eller skolan kan hänvisa er.",
        "Contact the family social services advice line; the clinic or school can also refer you.",
    ),
    keywords=("sosiaalityö, sosiaaliohjaus, perhetyö, tuki", "socialarbete, socialhandledning, familjearbete", ""),
    hours="office",
    location=("{pg} sosiaalitoimisto", "Socialbyrån i {psv}", "{pen} social services office"),
    phone_info=("Neuvonta ma–pe klo 9–12", "Rådgivning mån–fre kl. 9–12", "Advice Mon–Fri 9–12"),
)

HOME_HELP = ServiceTemplate(
    key="kotipalvelu",
    name=(
        "Lapsiperheiden kotipalvelu, {p}",
        "Hemservice för barnfamiljer, {psv}",
        "Home help for families with children, {pen}",
    ),
    summary=(
        "Käytännön apua kotiin, kun vauvaperheen, sairauden tai uupumuksen vuoksi arki ei suju.",
        "Praktisk hjälp i hemmet när vardagen inte fungerar på grund av en ny baby, sjukdom eller utmattning.",
        "Practical help at home when a new baby, illness or exhaustion makes everyday life hard.",
    ),
    description=(
        "Kodinhoitaja tulee kotiin auttamaan lastenhoidossa ja kodin arjessa sovituiksi ajoiksi. Palvelua voi "
        "hakea ilman lastensuojelun asiakkuutta. Palvelusta peritään tulojen mukainen maksu.",
        "En hemvårdare kommer hem och hjälper med barnskötsel och vardagssysslor under överenskomna tider. Man kan "
        "ansöka om tjänsten utan att vara klient inom barnskyddet. Avgiften beror på inkomsterna.",
        "A home help worker comes to help with childcare and household tasks at agreed times. You do not need to be "
        "a child welfare client. The fee depends on income.",
    ),
    classes=("home-help-for-families",),
    situations=("baby", "illness-disability", "mental-wellbeing"),
    ages=(0, 12),
    cost="fee",
    cost_info=("Tulosidonnainen asiakasmaksu.", "Inkomstrelaterad klientavgift.", "Income-related fee."),
    access=("booking",),
    access_info=(
        "Hae palvelua soittamalla kotipalvelun ohjaajalle; tarve arvioidaan yhdessä.",
        "Ansök genom att ringa handledaren för hemservicen; behovet bedöms tillsammans.",
        "Call the home help coordinator; the need is assessed together.",
    ),
    keywords=("kodinhoitaja, lastenhoitoapu, arjen apu", "hemvårdare, barnskötselhjälp", "home help, childcare"),
    hours="office",
    location=None,
    phone_info=("Kotipalvelun ohjaaja ma–pe klo 9–11", "Handledaren mån–fre kl. 9–11", "Coordinator Mon–Fri 9–11"),
)

STUDENT_HEALTH = ServiceTemplate(
    key="opiskeluterveydenhuolto",
    name=("{pg} opiskeluterveydenhuolto", "Studerandehälsovården i {psv}", "{pen} student health care"),
    summary=(
        "Lukion ja ammatillisen oppilaitoksen opiskelijoiden terveydenhoitaja- ja lääkäripalvelut.",
        "Hälsovårdar- och läkartjänster för studerande vid gymnasier och yrkesläroanstalter.",
        "Nurse and doctor services for upper secondary and vocational students.",
    ),
    description=(
        "Opiskeluterveydenhuolto tukee nuoren terveyttä ja opiskelukykyä. Vastaanotolla voi puhua myös "
        "mielialasta, päihteistä, seksuaaliterveydestä ja jaksamisesta.",
        "Studerandehälsovården stöder den ungas hälsa och studieförmåga. På mottagningen kan man också prata om "
        "humör, rusmedel, sexuell hälsa och ork.",
        "Supports young people’s health and ability to study, including mood, substances and sexual health.",
    ),
    classes=("student-health-care",),
    situations=("teenager", "mental-wellbeing"),
    ages=(15, 20),
    access=("walk_in", "booking"),
    keywords=("opiskelija, lukio, ammattikoulu, terveydenhoitaja", "studerande, gymnasium", "student"),
    location=("{pg} lukio", "{psv} gymnasium", "{pen} upper secondary school"),
)

YOUTH_SEXUAL_HEALTH = ServiceTemplate(
    key="seksuaaliterveysneuvola",
    name=(
        "Nuorten seksuaaliterveysneuvola, {p}",
        "Sexualhälsomottagningen för unga, {psv}",
        "Youth sexual health clinic, {pen}",
    ),
    summary=(
        "Matalan kynnyksen vastaanotto nuorille: ehkäisy, testit ja kysymykset seksuaalisuudesta.",
        "Lågtröskelmottagning för unga: preventivmedel, tester och frågor om sexualitet.",
        "Low-threshold clinic for young people: contraception, tests and questions about sexuality.",
    ),
    description=(
        "Nuorten seksuaaliterveysneuvola palvelee 13–24-vuotiaita. Voit tulla yksin tai kaverin kanssa, eikä "
        "huoltajan tarvitse tietää käynnistä. Vastaanotolla saat ehkäisyä, raskaus- ja klamydiatestejä sekä "
        "luottamuksellista keskusteluapua.",
        "Sexualhälsomottagningen för unga betjänar 13–24-åringar. Du kan komma ensam eller med en kompis och "
        "vårdnadshavaren behöver inte veta om besöket. Du får preventivmedel, graviditets- och klamydiatester samt "
        "förtroligt samtalsstöd.",
        "For 13–24-year-olds. Come alone or with a friend; your parents do not need to know. Contraception, "
        "pregnancy and chlamydia tests, and confidential support.",
    ),
    classes=("sexual-health-clinic",),
    situations=("teenager", "relationship"),
    ages=(13, 24),
    access=("walk_in", "booking"),
    access_info=(
        "Avoin vastaanotto tiistaisin iltapäivällä, muulloin ajanvarauksella.",
        "Öppen mottagning på tisdagseftermiddagar, annars med tidsbokning.",
        "Drop-in on Tuesday afternoons, otherwise by appointment.",
    ),
    keywords=(
        "nuoret, ehkäisy, klamydia, seksuaalisuus, sukupuoli",
        "unga, preventivmedel, klamydia, sexualitet",
        "youth, contraception, STI",
    ),
    hours="clinic_evening",
)

# --- Wellbeing area: in some towns, serving nearby municipalities too ---

FAMILY_COUNSELLING = ServiceTemplate(
    key="perheneuvola",
    name=("{pg} perheneuvola", "Familjerådgivningen i {psv}", "{pen} family counselling clinic"),
    summary=(
        "Kasvatus- ja perheneuvonta auttaa lapsen kehitykseen, tunteisiin ja perheen vuorovaikutukseen liittyvissä "
        "huolissa.",
        "Uppfostrings- och familjerådgivningen hjälper vid oro kring barnets utveckling, känslor och familjens "
        "samspel.",
        "Family counselling helps with worries about a child’s development, emotions and family relationships.",
    ),
    description=(
        "Perheneuvolassa työskentelee psykologeja, sosiaalityöntekijöitä ja lääkäri. Tuki voi olla keskusteluja, "
        "lapsen tutkimuksia, perheterapiaa tai ryhmiä. Perheneuvolaan ei tarvita lähetettä ja palvelu on "
        "maksutonta.",
        "På familjerådgivningen arbetar psykologer, socialarbetare och en läkare. Stödet kan vara samtal, "
        "undersökningar av barnet, familjeterapi eller grupper. Ingen remiss behövs och tjänsten är avgiftsfri.",
        "Psychologists, social workers and a doctor offer talks, assessments, family therapy and groups. No referral "
        "is needed and the service is free.",
    ),
    classes=("family-counselling",),
    situations=("parenting", "separation", "mental-wellbeing", "school-age"),
    ages=(0, 17),
    for_parents=True,
    access=("booking",),
    access_info=(
        "Soita perheneuvolan ajanvaraukseen. Ilman lähetettä.",
        "Ring familjerådgivningens tidsbokning. Ingen remiss behövs.",
        "Call to book; no referral needed.",
    ),
    keywords=(
        "kasvatus- ja perheneuvonta, psykologi, perheterapia, ero, tunteet",
        "uppfostrings- och familjerådgivning, psykolog, familjeterapi",
        "family counselling, psychologist",
    ),
    hours="office",
    location=("{pg} perhekeskus", "Familjecentret i {psv}", "{pen} family centre"),
    e_service=("Perheneuvolan chat", "Familjerådgivningens chatt", "Family counselling chat"),
)

CHILD_MENTAL_HEALTH = ServiceTemplate(
    key="mielenterveys",
    name=(
        "Lasten ja nuorten mielenterveyspalvelut, {p}",
        "Mentalvårdstjänster för barn och unga, {psv}",
        "Child and youth mental health services, {pen}",
    ),
    summary=(
        "Perustason mielenterveystyö lapsille ja nuorille: ahdistus, masennus ja käyttäytymisen haasteet.",
        "Mentalvård på basnivå för barn och unga: ångest, nedstämdhet och utmaningar i beteendet.",
        "Basic-level mental health care for children and young people: anxiety, low mood and behaviour.",
    ),
    description=(
        "Psykiatriset sairaanhoitajat ja psykologit tarjoavat lyhytterapeuttisia käyntejä ahdistukseen, "
        "masennukseen ja jaksamisen huoliin ja ohjaavat tarvittaessa erikoissairaanhoitoon. Nuori voi ottaa "
        "yhteyttä itse; alle 12-vuotiaan asiassa yhteyttä ottaa huoltaja.",
        "Psykiatriska sjukskötare och psykologer erbjuder korttidsterapeutiska besök och hänvisar vid behov till "
        "specialiserad sjukvård. Unga kan ta kontakt själva; för barn under 12 år tar vårdnadshavaren kontakt.",
        "Psychiatric nurses and psychologists offer short-term therapy and refer to specialised care when needed.",
    ),
    classes=("child-youth-mental-health",),
    situations=("mental-wellbeing", "teenager", "crisis"),
    ages=(6, 17),
    access=("booking", "referral"),
    keywords=("mielenterveys, ahdistus, masennus, psykologi, nuoret", "psykisk hälsa, ångest, depression", ""),
    hours="office",
    location=("{pg} terveyskeskus", "{psv} hälsocentral", "{pen} health centre"),
)

FAMILY_LAW = ServiceTemplate(
    key="perheoikeudelliset",
    name=(
        "{rg} perheoikeudelliset palvelut",
        "Familjerättsliga tjänster i {rsv}",
        "{ren} family law services",
    ),
    summary=(
        "Lastenvalvoja vahvistaa isyyden ja sopimukset lapsen huollosta, asumisesta, tapaamisista ja elatuksesta.",
        "Barnatillsyningsmannen fastställer faderskap och avtal om vårdnad, boende, umgänge och underhåll.",
        "Child welfare officers confirm paternity and agreements on custody, residence, visits and maintenance.",
    ),
    description=(
        "Avio- tai avoeron jälkeen vanhemmat voivat sopia lasten asioista lastenvalvojan luona. Lastenvalvoja "
        "vahvistaa huolto- ja tapaamissopimuksen sekä elatussopimuksen, joka on yhtä pätevä kuin tuomioistuimen "
        "päätös. Palveluun kuuluvat myös isyyden ja äitiyden tunnustaminen sekä olosuhdeselvitykset.",
        "Efter en skilsmässa eller separation kan föräldrarna avtala om barnens frågor hos barnatillsyningsmannen. "
        "Ett fastställt avtal om vårdnad, umgänge eller underhåll gäller som ett domstolsbeslut. Till tjänsten hör "
        "också erkännande av faderskap och moderskap och utredningar om förhållanden.",
        "After a separation, parents can agree on their children’s matters with a child welfare officer. A "
        "confirmed agreement is as valid as a court decision.",
    ),
    classes=("family-law-services",),
    situations=("separation", "expecting"),
    for_parents=True,
    for_expecting=True,
    access=("booking",),
    keywords=("lastenvalvoja, ero, huolto, elatus, tapaamisoikeus, isyys", "barnatillsyningsman, vårdnad", ""),
    hours="office",
    location=("{pg} virastotalo", "Ämbetshuset i {psv}", "{pen} office building"),
    e_service=("Sähköinen ajanvaraus lastenvalvojalle", "Elektronisk tidsbokning", "Book online"),
)

SOCIAL_EMERGENCY = ServiceTemplate(
    key="sosiaalipaivystys",
    name=(
        "{rg} sosiaali- ja kriisipäivystys",
        "Social- och krisjouren i {rsv}",
        "{ren} social and crisis emergency service",
    ),
    summary=(
        "Kiireellinen apu lastensuojelun ja sosiaalihuollon hätätilanteissa virka-ajan ulkopuolella.",
        "Brådskande hjälp i nödsituationer inom barnskydd och socialvård utanför tjänstetid.",
        "Urgent help in child welfare and social emergencies outside office hours.",
    ),
    description=(
        "Päivystys auttaa, kun lapsen turvallisuus on vaarassa, perheessä on väkivaltaa tai kriisi ei voi odottaa "
        "seuraavaan arkipäivään. Hätätilanteessa soita aina 112.",
        "Jouren hjälper när ett barns säkerhet är hotad, det förekommer våld i familjen eller krisen inte kan vänta "
        "till nästa vardag. I nödsituationer ring alltid 112.",
        "Helps when a child’s safety is at risk, there is violence in the family or a crisis cannot wait. In an "
        "emergency always call 112.",
    ),
    classes=("family-social-work", "specialist-consultation"),
    situations=("crisis", "violence"),
    access=("walk_in",),
    keywords=("päivystys, lastensuojelu, kriisi, väkivalta", "jour, barnskydd, kris, våld", "emergency"),
    hours="helpline",
    location=None,
    phone_info=("Päivystys virka-ajan ulkopuolella", "Jouren utanför tjänstetid", "After-hours emergency line"),
)

REHABILITATION = ServiceTemplate(
    key="kuntoutus",
    name=(
        "Lasten terapiapalvelut, {p}",
        "Terapitjänster för barn, {psv}",
        "Children’s therapy services, {pen}",
    ),
    summary=(
        "Puhe-, toiminta- ja fysioterapiaa lapsille, joiden kehitys tarvitsee tukea.",
        "Tal-, ergo- och fysioterapi för barn vars utveckling behöver stöd.",
        "Speech, occupational and physiotherapy for children who need support in their development.",
    ),
    description=(
        "Puheterapeutit, toimintaterapeutit ja fysioterapeutit arvioivat lapsen tuen tarpeen ja ohjaavat vanhempia "
        "ja varhaiskasvatusta harjoitteissa. Puheterapeutille ja muille terapeuteille tullaan neuvolan, lääkärin tai "
        "psykologin ohjaamana.",
        "Talterapeuterna, ergoterapeuterna och fysioterapeuterna bedömer barnets stödbehov och handleder föräldrar "
        "och småbarnspedagogiken i övningar. Man kommer till talterapeuten via rådgivningen, läkaren eller psykologen.",
        "Therapists assess the child’s needs and guide parents and day care. Access through the clinic or a doctor.",
    ),
    classes=("rehabilitation",),
    situations=("illness-disability", "toddler"),
    ages=(0, 12),
    access=("referral",),
    keywords=("puheterapia, toimintaterapia, fysioterapia, kuntoutus", "talterapi, ergoterapi", "speech therapy"),
    hours="office",
)

NEUVOLA_CHAT = ServiceTemplate(
    key="neuvolachat",
    name=(
        "{rg} neuvolan chat ja puhelinneuvonta",
        "Rådgivningens chatt och telefonrådgivning i {rsv}",
        "{ren} clinic chat and phone advice",
    ),
    summary=(
        "Kysy neuvolan terveydenhoitajalta nimettömästi chatissa tai puhelimessa.",
        "Fråga rådgivningens hälsovårdare anonymt i chatten eller per telefon.",
        "Ask a clinic nurse anonymously by chat or phone.",
    ),
    description=(
        "Chatissa ja puhelinneuvonnassa vastataan raskauteen, vauvan hoitoon, imetykseen ja lapsen kasvuun "
        "liittyviin kysymyksiin. Kiireellisissä sairausasioissa ota yhteyttä päivystykseen.",
        "I chatten och telefonrådgivningen besvaras frågor om graviditet, babyvård, amning och barnets tillväxt. "
        "Vid brådskande sjukdom kontakta jouren.",
        "Questions about pregnancy, baby care, breastfeeding and growth. For urgent illness contact emergency care.",
    ),
    classes=("child-health-clinic", "maternity-clinic"),
    situations=("expecting", "baby", "toddler"),
    ages=(0, 6),
    for_expecting=True,
    access=("walk_in",),
    keywords=("neuvola, chat, neuvonta, nimetön", "rådgivning, chatt, anonym", "chat, advice"),
    hours="none",
    location=None,
    phone_info=("Puhelinneuvonta ma–pe klo 8–15", "Telefonrådgivning mån–fre kl. 8–15", "Phone Mon–Fri 8–15"),
    e_service=("Neuvolan chat", "Rådgivningens chatt", "Clinic chat"),
)

# --- Municipality's own services ---

YOUTH_SERVICES = ServiceTemplate(
    key="nuorisotila",
    name=("{pg} nuorisotila", "Ungdomsgården i {psv}", "{pen} youth centre"),
    summary=(
        "Avoin nuorisotila 10–17-vuotiaille: pelejä, harrastuksia ja turvallinen aikuinen.",
        "Öppen ungdomsgård för 10–17-åringar: spel, hobbyer och en trygg vuxen.",
        "Open youth centre for 10–17-year-olds: games, hobbies and a safe adult.",
    ),
    description=(
        "Nuoriso-ohjaajat järjestävät iltaisin avointa toimintaa, ryhmiä ja retkiä. Tilassa voi myös vain olla ja "
        "jutella. Toiminta on maksutonta eikä vaadi ilmoittautumista.",
        "Ungdomsledarna ordnar öppen verksamhet, grupper och utfärder på kvällarna. Man kan också bara vara och "
        "prata. Verksamheten är avgiftsfri och kräver ingen anmälan.",
        "Youth workers run open evenings, groups and trips. Free, no registration.",
    ),
    classes=("youth-services",),
    situations=("teenager", "school-age", "leisure"),
    ages=(10, 17),
    access=("walk_in",),
    keywords=("nuorisotalo, nuoret, harrastus, vapaa-aika", "ungdomsgård, unga, fritid", "youth club"),
    hours="youth",
    location=("{pg} nuorisotila", "Ungdomsgården i {psv}", "{pen} youth centre"),
    phone_info=("Nuoriso-ohjaaja", "Ungdomsledare", "Youth worker"),
)

LIBRARY_STORY_TIME = ServiceTemplate(
    key="kirjasto",
    name=("{pg} kirjaston lasten palvelut", "Barnens bibliotekstjänster i {psv}", "{pen} library for children"),
    summary=(
        "Satutunnit, vauvojen lorupiirit ja lukuvinkit lapsille ja perheille.",
        "Sagostunder, ramsor för babyer och lästips för barn och familjer.",
        "Story times, rhymes for babies and reading tips for families.",
    ),
    description=(
        "Kirjasto on maksuton ja kaikille avoin paikka. Lastenosastolla järjestetään satutunteja ja vauvojen "
        "lorupiirejä, ja kirjastosta voi lainata myös selkokirjoja ja kirjoja monella kielellä.",
        "Biblioteket är en avgiftsfri plats som är öppen för alla. På barnavdelningen ordnas sagostunder och "
        "ramsor för babyer, och man kan låna lättlästa böcker och böcker på många språk.",
        "The library is free and open to all, with story times and books in many languages.",
    ),
    classes=("culture-and-leisure",),
    situations=("baby", "toddler", "leisure", "moving-to-finland"),
    ages=(0, 12),
    access=("walk_in",),
    keywords=("kirjasto, satutunti, lorupiiri, lukeminen", "bibliotek, sagostund, läsning", "library"),
    hours="office",
    location=("{pg} kirjasto", "Biblioteket i {psv}", "{pen} library"),
    phone_info=("Lastenosasto", "Barnavdelningen", "Children’s section"),
    extra_languages=("en",),
)

EARLY_EDUCATION_GUIDANCE = ServiceTemplate(
    key="varhaiskasvatus",
    name=(
        "{pg} varhaiskasvatuksen palveluohjaus",
        "Servicehandledning inom småbarnspedagogiken i {psv}",
        "{pen} early childhood education guidance",
    ),
    summary=(
        "Neuvontaa päivähoitopaikan hakemiseen, maksuihin ja avoimeen varhaiskasvatukseen.",
        "Rådgivning om att söka dagvårdsplats, avgifter och öppen småbarnspedagogik.",
        "Advice on applying for day care, fees and open early education.",
    ),
    description=(
        "Palveluohjaajat auttavat löytämään lapselle sopivan varhaiskasvatuspaikan. Hakemus tehdään neljä "
        "kuukautta ennen hoidon tarvetta, kiireellisessä tilanteessa kaksi viikkoa ennen.",
        "Servicehandledarna hjälper er att hitta en lämplig plats inom småbarnspedagogiken. Ansökan görs fyra "
        "månader innan vården behövs, i brådskande fall två veckor innan.",
        "Guidance on finding a day care place. Apply four months before you need it.",
    ),
    classes=("early-education-and-school",),
    situations=("toddler", "baby"),
    ages=(0, 6),
    cost="fee",
    cost_info=(
        "Neuvonta on maksutonta; varhaiskasvatuksen maksu määräytyy tulojen mukaan.",
        "Rådgivningen är avgiftsfri; avgiften för småbarnspedagogik beror på inkomsterna.",
        "Advice is free; the day care fee depends on income.",
    ),
    access=("booking", "walk_in"),
    keywords=("päivähoito, päiväkoti, perhepäivähoito, hakemus", "dagvård, daghem, ansökan", "day care"),
    hours="office",
    location=("{pg} kaupungintalo", "Stadshuset i {psv}", "{pen} town hall"),
    e_service=("Hae varhaiskasvatukseen", "Ansök om småbarnspedagogik", "Apply for day care"),
)

# --- NGOs and parishes ---

MLL_CHILDCARE = ServiceTemplate(
    key="mll-lastenhoito",
    name=("MLL:n lastenhoitoapu, {p}", "MLL:s barnvaktshjälp, {psv}", "MLL childcare help, {pen}"),
    summary=(
        "Koulutettu lastenhoitaja tulee kotiin tilapäisesti, kun vanhempi tarvitsee hetken omaa aikaa.",
        "En utbildad barnvakt kommer hem tillfälligt när föräldern behöver en stund för sig själv.",
        "A trained childminder comes to your home when a parent needs a break.",
    ),
    description=(
        "Lastenhoitajat ovat MLL:n kouluttamia ja haastattelemia. Hoitoa voi tilata muutamaksi tunniksi kerrallaan "
        "arkena tai viikonloppuna.",
        "Barnvakterna är utbildade och intervjuade av MLL. Man kan beställa vård för några timmar i taget på "
        "vardagar eller veckoslut.",
        "Childminders are trained and interviewed by MLL; book a few hours at a time.",
    ),
    classes=("ngo-activity",),
    situations=("baby", "toddler", "parenting"),
    ages=(0, 10),
    cost="fee",
    cost_info=("Noin 10–12 € tunnilta.", "Cirka 10–12 € i timmen.", "About €10–12 an hour."),
    access=("booking",),
    keywords=("lastenhoito, lapsenvahti, MLL", "barnvakt, MLL", "babysitter"),
    hours="none",
    location=None,
    phone_info=("Tilaukset ma–pe klo 9–12", "Beställningar mån–fre kl. 9–12", "Bookings Mon–Fri 9–12"),
)

PARISH_FAMILY_WORK = ServiceTemplate(
    key="seurakunta-perhetyo",
    name=("{org} – lapsiperhetyö", "{org_sv} – arbete med barnfamiljer", "{org_en} – family work"),
    summary=(
        "Perhekerhoja, vauvakirkkoja ja keskusteluapua kaikille lapsiperheille jäsenyydestä riippumatta.",
        "Familjeklubbar, babygudstjänster och samtalsstöd för alla barnfamiljer oberoende av medlemskap.",
        "Family clubs, baby services and someone to talk to, for all families.",
    ),
    description=(
        "Seurakunnan lapsiperhetyö järjestää perhekerhoja, vauvaryhmiä ja retkiä. Diakoniatyöntekijä auttaa "
        "myös taloudellisissa vaikeuksissa ja kriiseissä.",
        "Församlingens arbete med barnfamiljer ordnar familjeklubbar, babygrupper och utfärder. Diakoniarbetaren "
        "hjälper också vid ekonomiska svårigheter och kriser.",
        "Family clubs, baby groups and trips; the deacon also helps in money troubles and crises.",
    ),
    classes=("parish-activity", "peer-support"),
    situations=("baby", "toddler", "parenting", "money-housing", "bereavement"),
    ages=(0, 12),
    access=("walk_in",),
    keywords=("seurakunta, perhekerho, diakonia, vauvakirkko", "församling, familjeklubb, diakoni", "parish"),
    hours="office",
    location=("{pg} seurakuntakeskus", "Församlingshemmet i {psv}", "{pen} parish centre"),
    phone_info=("Lapsityönohjaaja", "Barnledare", "Children’s worker"),
)

CHURCH_FAMILY_COUNSELLING = ServiceTemplate(
    key="kirkon-perheneuvonta",
    name=(
        "Kirkon perheneuvonta, {p}",
        "Kyrkans familjerådgivning, {psv}",
        "Church family counselling, {pen}",
    ),
    summary=(
        "Maksutonta keskusteluapua parisuhteen ja perheen kriiseihin.",
        "Avgiftsfritt samtalsstöd vid kriser i parförhållandet och familjen.",
        "Free counselling for couples and families in crisis.",
    ),
    description=(
        "Perheneuvojat ovat koulutettuja pari- ja perheterapeutteja. Palvelu on luottamuksellista, maksutonta ja "
        "avointa kaikille vakaumuksesta riippumatta.",
        "Familjerådgivarna är utbildade par- och familjeterapeuter. Tjänsten är konfidentiell, avgiftsfri och "
        "öppen för alla oberoende av övertygelse.",
        "Trained couple and family therapists; confidential, free and open to all.",
    ),
    classes=("family-counselling", "parish-activity"),
    situations=("relationship", "separation", "crisis"),
    for_parents=True,
    access=("booking",),
    keywords=("parisuhde, pariterapia, ero, perheneuvonta", "parförhållande, parterapi", "couples"),
    hours="office",
    location=("{pg} seurakuntayhtymän talo", "Kyrkliga samfällighetens hus i {psv}", "{pen} parish union"),
)

SHELTER = ServiceTemplate(
    key="turvakoti",
    name=("{org} – turvakoti", "{org_sv} – skyddshem", "{org_en} – shelter"),
    summary=(
        "Turvakoti tarjoaa suojaa ja apua ympäri vuorokauden lähisuhdeväkivaltaa kokeneille ja heidän lapsilleen.",
        "Skyddshemmet ger skydd och hjälp dygnet runt åt dem som upplevt våld i nära relationer och deras barn.",
        "A shelter open round the clock for people who have experienced domestic violence, and their children.",
    ),
    description=(
        "Turvakotiin voi tulla ilman lähetettä mihin vuorokauden aikaan tahansa. Palvelu on maksutonta ja "
        "luottamuksellista. Osoite annetaan puhelimessa.",
        "Man kan komma till skyddshemmet utan remiss när som helst på dygnet. Tjänsten är avgiftsfri och "
        "konfidentiell. Adressen ges per telefon.",
        "No referral needed, any time of day. Free and confidential; the address is given by phone.",
    ),
    classes=("ngo-activity", "family-social-work"),
    situations=("violence", "crisis"),
    access=("walk_in",),
    keywords=("turvakoti, väkivalta, lähisuhdeväkivalta, kriisi", "skyddshem, våld i nära relationer", "shelter"),
    hours="round_the_clock",
    location=None,
    phone_info=("Päivystys 24 h", "Jour dygnet runt", "24-hour line"),
)

BABY_FAMILY_WORK = ServiceTemplate(
    key="vauvaperhetyo",
    name=("{org} – vauvaperhetyö", "{org_sv} – arbete med babyfamiljer", "{org_en} – support for baby families"),
    summary=(
        "Tukea raskausaikaan ja vauva-arkeen, kun vanhemmuus tuntuu raskaalta.",
        "Stöd under graviditeten och babytiden när föräldraskapet känns tungt.",
        "Support in pregnancy and the baby months when parenting feels heavy.",
    ),
    description=(
        "Työntekijä tapaa perhettä kotona tai toimipisteessä ja tarjoaa vertaisryhmiä. Mukaan voi tulla jo "
        "raskausaikana.",
        "Arbetaren träffar familjen hemma eller på verksamhetsstället och erbjuder kamratgrupper. Man kan komma "
        "med redan under graviditeten.",
        "Home visits and peer groups; you can join during pregnancy.",
    ),
    classes=("ngo-activity", "peer-support"),
    situations=("expecting", "baby", "mental-wellbeing", "substance-use"),
    ages=(0, 3),
    for_expecting=True,
    access=("booking", "referral"),
    keywords=("vauvaperhe, raskaus, vertaistuki, päihteet", "babyfamilj, kamratstöd", "peer support"),
    hours="office",
    location=("{org} – avopalvelut", "{org_sv} – öppenvård", "{org_en} – outpatient services"),
)

SUPPORT_FAMILY = ServiceTemplate(
    key="tukiperhe",
    name=(
        "Pelastakaa Lasten tukiperhetoiminta, {rg} alue",
        "Rädda Barnens stödfamiljsverksamhet, {rsv}",
        "Save the Children support families, {ren}",
    ),
    summary=(
        "Vapaaehtoinen tukiperhe tai -henkilö antaa lapselle turvallisen aikuisen ja perheelle hengähdystauon.",
        "En frivillig stödfamilj eller stödperson ger barnet en trygg vuxen och familjen ett andrum.",
        "A volunteer support family gives the child a safe adult and the family a breather.",
    ),
    description=(
        "Järjestö kouluttaa ja tukee vapaaehtoisia tukiperheitä. Tukiperhe tapaa lasta esimerkiksi yhtenä "
        "viikonloppuna kuukaudessa.",
        "Organisationen utbildar och stöder frivilliga stödfamiljer. Stödfamiljen träffar barnet till exempel en "
        "helg i månaden.",
        "The organisation trains and supports volunteer families, who meet the child e.g. one weekend a month.",
    ),
    classes=("ngo-activity", "peer-support"),
    situations=("parenting", "crisis"),
    ages=(2, 15),
    access=("booking",),
    keywords=("tukiperhe, tukihenkilö, vapaaehtoinen", "stödfamilj, stödperson, frivillig", "volunteer"),
    hours="office",
    location=None,
)

FOLKHALSAN_FAMILY = ServiceTemplate(
    key="folkhalsan",
    name=(
        "Folkhälsanin perhetoiminta, {p}",
        "Folkhälsans familjeverksamhet, {psv}",
        "Folkhälsan family activities, {pen}",
    ),
    summary=(
        "Ruotsinkielistä toimintaa lapsiperheille: vauvarytmiikkaa, uimakouluja ja perhekahvila.",
        "Svenskspråkig verksamhet för barnfamiljer: babyrytmik, simskolor och familjecafé.",
        "Swedish-language activities for families: baby rhythmics, swimming schools and a family café.",
    ),
    description=(
        "Folkhälsan järjestää paikallisesti ruotsinkielistä toimintaa koko perheelle. Toiminta on avointa kaikille, "
        "myös kaksikielisille perheille.",
        "Folkhälsan ordnar lokalt svenskspråkig verksamhet för hela familjen. Verksamheten är öppen för alla, "
        "också tvåspråkiga familjer.",
        "Local Swedish-language activities for the whole family, open to bilingual families too.",
    ),
    classes=("ngo-activity", "culture-and-leisure"),
    situations=("baby", "toddler", "leisure"),
    ages=(0, 12),
    cost="fee",
    cost_info=("Osa toiminnasta maksullista.", "En del av verksamheten är avgiftsbelagd.", "Some activities cost."),
    access=("walk_in", "booking"),
    keywords=("Folkhälsan, ruotsinkielinen, vauvarytmiikka, uimakoulu", "babyrytmik, simskola", "Swedish"),
    hours="office",
    location=("Folkhälsanin talo, {p}", "Folkhälsanhuset i {psv}", "Folkhälsan house, {pen}"),
)

HOME_ECONOMICS = ServiceTemplate(
    key="martat",
    name=("{org} – lapsiperheiden kotitalousneuvonta", "{org_sv} – hushållsrådgivning", "{org_en} – home advice"),
    summary=(
        "Käytännön neuvoja ruokaan, rahankäyttöön ja kodinhoitoon lapsiperheille.",
        "Praktiska råd om mat, pengar och hemskötsel för barnfamiljer.",
        "Practical advice on food, money and running a home.",
    ),
    description=(
        "Neuvojat järjestävät kursseja ja kotikäyntejä, esimerkiksi edullisesta arkiruoasta ja kodin "
        "taloudenhallinnasta.",
        "Rådgivarna ordnar kurser och hembesök, till exempel om förmånlig vardagsmat och hushållsekonomi.",
        "Courses and home visits on affordable food and household budgeting.",
    ),
    classes=("ngo-activity",),
    situations=("money-housing", "parenting"),
    for_parents=True,
    access=("booking",),
    keywords=("martat, ruoka, talous, kotitalous", "marthor, mat, hushåll", "home economics"),
    hours="office",
    location=None,
)

SETTLEMENT_FAMILY = ServiceTemplate(
    key="setlementti",
    name=("{org} – perhetoiminta", "{org_sv} – familjeverksamhet", "{org_en} – family activities"),
    summary=(
        "Vertaisryhmiä, kerhoja ja tukea maahan muuttaneille ja muille lapsiperheille.",
        "Kamratgrupper, klubbar och stöd för inflyttade och andra barnfamiljer.",
        "Peer groups, clubs and support for migrant and other families.",
    ),
    description=(
        "Setlementti tarjoaa avointa toimintaa, suomen kielen kerhoja ja eroperheiden vertaisryhmiä. Toimintaan "
        "voi tulla ilman lähetettä.",
        "Settlementet erbjuder öppen verksamhet, klubbar i finska och kamratgrupper för skilsmässofamiljer. Ingen "
        "remiss behövs.",
        "Open activities, Finnish language clubs and peer groups for separated families; no referral needed.",
    ),
    classes=("ngo-activity", "peer-support"),
    situations=("moving-to-finland", "separation", "parenting"),
    ages=(0, 17),
    access=("walk_in", "booking"),
    keywords=("setlementti, vertaisryhmä, maahanmuuttajat, ero", "settlement, kamratgrupp", "migrants"),
    hours="office",
    location=("{org} – toimitalo", "{org_sv} – verksamhetshus", "{org_en} – community house"),
    extra_languages=("en", "ar", "uk", "so"),
)

# --- National NGOs ---

PARENTS_HELPLINE = ServiceTemplate(
    key="vanhempainpuhelin",
    name=("MLL:n Vanhempainpuhelin", "MLL:s Föräldratelefon", "MLL Parents’ Helpline"),
    summary=(
        "Maksuton ja nimetön puhelin- ja chat-palvelu vanhemmille ja muille kasvattajille.",
        "Avgiftsfri och anonym telefon- och chattjänst för föräldrar och andra fostrare.",
        "Free, anonymous phone and chat service for parents.",
    ),
    description=(
        "Koulutetut vapaaehtoiset kuuntelevat ja keskustelevat kasvatukseen, parisuhteeseen ja jaksamiseen "
        "liittyvistä asioista. Soittaa voi nimettömänä.",
        "Utbildade frivilliga lyssnar och samtalar om uppfostran, parförhållande och ork. Du kan ringa anonymt.",
        "Trained volunteers listen and talk about parenting, relationships and coping. Call anonymously.",
    ),
    classes=("ngo-activity", "peer-support"),
    situations=("parenting", "relationship", "mental-wellbeing"),
    for_parents=True,
    access=("walk_in",),
    keywords=("vanhempainpuhelin, nimetön, chat, kasvatus", "föräldratelefon, anonym", "helpline"),
    hours="none",
    location=None,
    phone_info=("Ma, ti ja to klo 10–13 ja 17–20", "Mån, tis och tors kl. 10–13 och 17–20", "Mon, Tue, Thu"),
    e_service=("Vanhempainchat", "Föräldrachatt", "Parents’ chat"),
)

YOUTH_CHAT = ServiceTemplate(
    key="nuortenchat",
    name=("Nuorten seksuaalineuvonnan chat", "Chatt om sexualitet för unga", "Sexual health chat for youth"),
    summary=(
        "Nimetön chat nuorille seksuaalisuudesta, seurustelusta ja kehosta.",
        "Anonym chatt för unga om sexualitet, relationer och kroppen.",
        "Anonymous chat for young people about sexuality, dating and the body.",
    ),
    description=(
        "Chatissa vastaavat seksuaalineuvojat. Kysyä voi mitä tahansa, eikä mikään kysymys ole liian pieni.",
        "I chatten svarar sexualrådgivare. Du kan fråga vad som helst, ingen fråga är för liten.",
        "Sexual health counsellors answer; no question is too small.",
    ),
    classes=("sexual-health-clinic", "ngo-activity"),
    situations=("teenager", "relationship"),
    ages=(12, 20),
    access=("walk_in",),
    keywords=("seksuaalisuus, seurustelu, nuoret, chat", "sexualitet, unga, chatt", "youth chat"),
    hours="none",
    location=None,
    e_service=("Avaa chat", "Öppna chatten", "Open chat"),
)

# --- Private providers ---

PRIVATE_THERAPY = ServiceTemplate(
    key="yksityinen-terapia",
    name=("{org} – perheterapia", "{org_sv} – familjeterapi", "{org_en} – family therapy"),
    summary=(
        "Yksityistä perhe-, pari- ja lapsiterapiaa; myös Kelan kuntoutuspsykoterapiaa.",
        "Privat familje-, par- och barnterapi; också FPA:s rehabiliterande psykoterapi.",
        "Private family, couple and child therapy, including Kela rehabilitation psychotherapy.",
    ),
    description=(
        "Vastaanotolla työskentelee psykoterapeutteja ja puheterapeutteja. Palvelusetelillä tai Kelan tuella "
        "maksettavat käynnit sovitaan erikseen.",
        "På mottagningen arbetar psykoterapeuter och talterapeuter. Besök som betalas med servicesedel eller FPA:s "
        "stöd avtalas separat.",
        "Psychotherapists and speech therapists; service voucher and Kela-funded visits by arrangement.",
    ),
    classes=("rehabilitation", "child-youth-mental-health"),
    situations=("mental-wellbeing", "relationship", "illness-disability"),
    ages=(3, 25),
    for_parents=True,
    cost="fee",
    cost_info=("Käynti 90–120 €, palveluseteli käy.", "Besök 90–120 €, servicesedel godkänns.", "€90–120 a visit."),
    access=("booking",),
    keywords=("terapia, psykoterapia, puheterapia, palveluseteli", "terapi, servicesedel", "therapy"),
    hours="clinic_evening",
    location=("{org} – vastaanotto", "{org_sv} – mottagning", "{org_en} – clinic"),
)

DISTRICT_SERVICES = (CHILD_HEALTH_CLINIC, MATERNITY_CLINIC, SCHOOL_HEALTH)
MUNICIPALITY_WA_SERVICES = (FAMILY_PLANNING, FAMILY_SOCIAL_WORK, HOME_HELP)
TOWN_WA_SERVICES = (STUDENT_HEALTH, YOUTH_SEXUAL_HEALTH)
MUNICIPAL_OWN_SERVICES = (EARLY_EDUCATION_GUIDANCE, LIBRARY_STORY_TIME)

PRIVATE_PROVIDERS = [
    ("Perheterapiakeskus Kompassi Oy", "Familjeterapicentret Kompassi Ab", "Kompassi Family Therapy Ltd"),
    ("Puheterapia Sointu Oy", "Talterapi Sointu Ab", "Sointu Speech Therapy Ltd"),
    ("Lasten ja nuorten vastaanotto Pilke Oy", "Mottagningen Pilke för barn och unga Ab", "Pilke Clinic Ltd"),
    ("Terapiatalo Verso Oy", "Terapihuset Verso Ab", "Verso Therapy House Ltd"),
    ("Perhevalmennus Kehto Oy", "Familjeförberedelse Kehto Ab", "Kehto Family Coaching Ltd"),
    ("Toimintaterapia Tuulikello Oy", "Ergoterapi Tuulikello Ab", "Tuulikello Occupational Therapy Ltd"),
]


@dataclass(frozen=True)
class ActivityTemplate:
    key: str
    title: T3
    description: T3
    ages: tuple[int | None, int | None]
    start: str
    minutes: int
    for_expecting: bool = False
    for_parents: bool = False
    cost: str = "free"
    cost_info: T3 = ("", "", "")
    registration: T3 | None = None
    every_nth_week: int = 1
    single_dates: int = 0  # >0: a course on this many listed dates instead of a weekly rule
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)
    swedish_only: bool = False
    languages: tuple[str, ...] = field(default=())


REGISTER = ("Ilmoittaudu ohjaajalle puhelimitse.", "Anmäl dig till ledaren per telefon.", "Register by phone.")

ACTIVITIES = {
    "vauvaryhma": ActivityTemplate(
        "vauvaryhma",
        ("Vauvaryhmä", "Babygrupp", "Baby group"),
        (
            "Alle 1-vuotiaiden vauvojen ja vanhempien ryhmä: loruja, leikkiä ja juttelua muiden vanhempien kanssa.",
            "Grupp för babyer under 1 år och deras föräldrar: ramsor, lek och prat med andra föräldrar.",
            "For babies under one and their parents: rhymes, play and a chat.",
        ),
        (0, 1),
        "10:00",
        90,
        registration=REGISTER,
    ),
    "perhekahvila": ActivityTemplate(
        "perhekahvila",
        ("Perhekahvila", "Familjecafé", "Family café"),
        (
            "Avoin kohtaamispaikka, jonne voi tulla lasten kanssa ilman ilmoittautumista. Kahvi ja mehu tarjolla.",
            "En öppen mötesplats dit man kan komma med barnen utan anmälan. Kaffe och saft serveras.",
            "Drop in with your children, no registration. Coffee and juice served.",
        ),
        (0, 6),
        "09:30",
        120,
    ),
    "isa-lapsi": ActivityTemplate(
        "isa-lapsi",
        ("Isä-lapsi-ryhmä", "Pappa-barn-grupp", "Dads and kids group"),
        (
            "Isien ja lasten yhteinen hetki: leikkiä, liikuntaa ja isien kesken jakamista.",
            "En stund för pappor och barn: lek, rörelse och samtal papporna emellan.",
            "Play and games for dads and children, and time for dads to talk.",
        ),
        (0, 7),
        "17:30",
        90,
        weekdays=(2, 3, 4, 6),
    ),
    "muskari": ActivityTemplate(
        "muskari",
        ("Perhemuskari", "Musiklek för familjer", "Family music playgroup"),
        (
            "Laulua, loruja ja soittimia yhdessä aikuisen kanssa.",
            "Sång, ramsor och instrument tillsammans med en vuxen.",
            "Songs, rhymes and instruments with a grown-up.",
        ),
        (1, 5),
        "17:00",
        45,
        cost="fee",
        cost_info=("45 € lukukausi", "45 € per termin", "€45 a term"),
        registration=REGISTER,
    ),
    "perhekerho": ActivityTemplate(
        "perhekerho",
        ("Perhekerho", "Familjeklubb", "Family club"),
        (
            "Leikkiä, laulua, askartelua ja yhteinen välipala. Kaikki perheet ovat tervetulleita.",
            "Lek, sång, pyssel och gemensamt mellanmål. Alla familjer är välkomna.",
            "Play, songs, crafts and a snack together. All families welcome.",
        ),
        (0, 6),
        "09:30",
        120,
    ),
    "babyrytmik": ActivityTemplate(
        "babyrytmik",
        ("Vauvarytmiikka", "Babyrytmik", "Baby rhythmics"),
        (
            "Ruotsinkielinen musiikkihetki vauvoille ja vanhemmille.",
            "Musikstund på svenska för babyer och föräldrar.",
            "A Swedish-language music session for babies and parents.",
        ),
        (0, 1),
        "10:30",
        45,
        cost="fee",
        cost_info=("35 € kausi", "35 € per säsong", "€35 a season"),
        # The Swedish-speaking organiser gives this only in Swedish: Finnish pages show it as Swedish (lang="sv").
        registration=("", "Anmälan via Folkhälsan.", "Register with Folkhälsan."),
        swedish_only=True,
        languages=("sv",),
    ),
    "eroryhma": ActivityTemplate(
        "eroryhma",
        ("Vertaisryhmä eronneille vanhemmille", "Kamratstödsgrupp för frånskilda föräldrar", "Separated parents"),
        (
            "Suljettu vertaisryhmä, jossa käsitellään eroa, vanhemmuutta ja arjen uudelleen rakentamista.",
            "En sluten kamratgrupp där man bearbetar separationen, föräldraskapet och den nya vardagen.",
            "A closed peer group on separation, parenting and rebuilding everyday life.",
        ),
        (None, None),
        "18:00",
        90,
        for_parents=True,
        registration=REGISTER,
        every_nth_week=2,
        weekdays=(1, 2, 3, 4),
    ),
    "odottavat": ActivityTemplate(
        "odottavat",
        ("Odottavien perheiden ilta", "Kväll för blivande föräldrar", "Evening for expecting families"),
        (
            "Tietoa ja keskustelua synnytyksestä ja vauva-arjesta. Neljä kertaa, kumppani mukaan.",
            "Information och samtal om förlossningen och babytiden. Fyra gånger, ta med partnern.",
            "Talks on birth and life with a baby; four evenings, bring your partner.",
        ),
        (None, None),
        "17:30",
        90,
        for_expecting=True,
        registration=REGISTER,
        single_dates=4,
    ),
    "vauvahieronta": ActivityTemplate(
        "vauvahieronta",
        ("Vauvahierontakurssi", "Babymassagekurs", "Baby massage course"),
        (
            "Neljän kerran kurssi vauvahieronnasta 1–6 kuukauden ikäisille vauvoille ja vanhemmille.",
            "En kurs i fyra delar om babymassage för babyer i åldern 1–6 månader och deras föräldrar.",
            "Four sessions of baby massage for babies aged 1–6 months.",
        ),
        (0, 0),
        "13:00",
        60,
        cost="fee",
        cost_info=("20 € kurssi", "20 € per kurs", "€20 a course"),
        registration=REGISTER,
        single_dates=4,
    ),
    "monikko": ActivityTemplate(
        "monikko",
        ("Monikkoperheiden tapaaminen", "Träff för flerlingsfamiljer", "Twins and multiples meet-up"),
        (
            "Kaksos- ja kolmosperheiden vertaistapaaminen kerran kuukaudessa.",
            "Kamratträff för tvilling- och trillingfamiljer en gång i månaden.",
            "Monthly peer meet-up for families with twins or triplets.",
        ),
        (0, 6),
        "10:00",
        120,
        every_nth_week=4,
        weekdays=(6,),
    ),
    "kielikahvila": ActivityTemplate(
        "kielikahvila",
        ("Suomen kielen kahvila perheille", "Språkcafé i finska för familjer", "Finnish language café for families"),
        (
            "Harjoitellaan suomea rennosti leikin ja kahvin lomassa. Lapset mukaan.",
            "Vi övar finska avslappnat med lek och kaffe. Barnen är välkomna.",
            "Practise Finnish over coffee while the children play.",
        ),
        (0, 12),
        "13:00",
        90,
        languages=("fi", "en", "uk", "ar"),
    ),
    "perheliikunta": ActivityTemplate(
        "perheliikunta",
        ("Perheliikunta", "Familjegymnastik", "Family gym"),
        (
            "Temppuradat ja liikuntaleikit koko perheelle.",
            "Hinderbanor och rörelselekar för hela familjen.",
            "Obstacle courses and movement games for the whole family.",
        ),
        (2, 6),
        "17:00",
        60,
        cost="fee",
        cost_info=("2 € kerta", "2 € per gång", "€2 a time"),
        weekdays=(1, 3, 7),
    ),
}

"""The starting list of search synonyms (loaded by migration services/0006); coordinators extend it in the admin."""

DEFAULT_SYNONYMS = [
    ("perheneuvola, perheneuvonta, kasvatus- ja perheneuvonta, kasvatusneuvola", "Family counselling"),
    ("avioero, ero, avoero, eroperhe", "Separation (fi)"),
    ("skilsmässa, separation, skilsmässofamilj", "Separation (sv)"),
    ("familjerådgivning, uppfostrings- och familjerådgivning", "Family counselling (sv)"),
    ("puheterapia, puheterapeutti, puheen kehitys", "Speech therapy (fi)"),
    ("talterapi, talterapeut, logoped", "Speech therapy (sv)"),
    ("masennus, depressio, alakulo", "Low mood (fi)"),
    ("nedstämdhet, depression", "Low mood (sv)"),
    ("päiväkoti, varhaiskasvatus, päivähoito", "Early childhood education (fi)"),
    ("daghem, dagis, småbarnspedagogik, dagvård", "Early childhood education (sv)"),
    ("lastenvahti, lastenhoitoapu, lastenhoito", "Childminding (fi)"),
    ("barnvakt, barnvaktshjälp, barnskötsel", "Childminding (sv)"),
    ("perhevalmennus, synnytysvalmennus", "Antenatal classes (fi)"),
    ("familjeförberedelse, förlossningsförberedelse", "Antenatal classes (sv)"),
    ("kuraattori, koulukuraattori", "School social worker"),
    ("kurator, skolkurator", "School social worker (sv)"),
    ("turvakoti, väkivalta, lähisuhdeväkivalta", "Shelter (fi)"),
    ("skyddshem, våld i nära relationer", "Shelter (sv)"),
    ("lastenvalvoja, elatus, huoltajuus", "Child welfare officer (fi)"),
]


def load_default_synonyms(model) -> None:
    """Create the starting synonym groups that are missing (*model*: SearchSynonym, or its historical model)."""
    for words, note in DEFAULT_SYNONYMS:
        model.objects.get_or_create(words=words, defaults={"note": note})

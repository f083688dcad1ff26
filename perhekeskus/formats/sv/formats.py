# Finland-Swedish conventions (Django's sv formats follow Sweden: 2026-03-04, 08:00).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "G.i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

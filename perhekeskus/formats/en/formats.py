# English as used on a Finnish public site: day before month, not the US order.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "G:i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

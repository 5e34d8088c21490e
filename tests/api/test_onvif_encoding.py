"""ONVIF answers in another encoding than UTF-8 are refused before parsing.

The check for a document type declaration reads bytes; in UTF-16 `<!DOCTYPE` is not
the bytes it looks for, while the parser detects UTF-16 by itself.
"""

import pytest

from custom_components.reolink_http.api.onvif import OnvifResponseError, parse_envelope

ENVELOPE = (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>{}</s:Body></s:Envelope>'
)
BOMB = '<?xml version="1.0" encoding="{}"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + ENVELOPE.format(
    "&a;"
)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (BOMB.format("UTF-16").encode("utf-16"), "not UTF-8"),
        (BOMB.format("UTF-16").encode("utf-16-le"), "not UTF-8"),
        (BOMB.format("UTF-16").encode("utf-16-be"), "not UTF-8"),
        (BOMB.format("UTF-32").encode("utf-32"), "not UTF-8"),
        (ENVELOPE.format("<x/>").encode("utf-16-le"), "NUL"),
        (BOMB.format("ISO-8859-1").encode(), "declared another encoding"),
        (ENVELOPE.format("caf\xe9").encode("latin-1"), "not UTF-8"),
        (BOMB.format("UTF-8").encode(), "document type declaration"),
    ],
    ids=["utf16-bom", "utf16-le", "utf16-be", "utf32", "utf16-plain", "latin1", "bad-byte", "dtd"],
)
def test_other_encodings_are_refused(raw: bytes, message: str) -> None:
    with pytest.raises(OnvifResponseError, match=message):
        parse_envelope(raw)


def test_utf8_answers_still_parse() -> None:
    text = '<?xml version="1.0" encoding="UTF-8"?>' + ENVELOPE.format("<x>Caf\u00e9 \u2603</x>")
    for raw in (text.encode(), b"\xef\xbb\xbf" + text.encode(), ENVELOPE.format("").encode()):
        assert parse_envelope(raw).tag.endswith("Envelope")

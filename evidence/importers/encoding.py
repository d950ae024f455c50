"""Bytes of an uploaded file to text: UTF-8 with or without BOM, UTF-16 with a BOM, Windows-1252
or Latin-1; every line ending (CRLF, CR) becomes LF."""

import codecs


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")

"""Source policy: which web addresses an entry may cite, and which count as primary.

An advisor must be able to show a client where an answer comes from. Copies of documents on
document-sharing sites, encyclopaedia mirrors and scanned newspapers cannot be shown as the
source of a fact, and a cut or mangled address does not open the page it names. The schema
(``knowledge_base.schema.Source``) calls :func:`url_problem` and :func:`type_problem` on every
source, so ``python -m knowledge_base check`` and every load reject them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlparse

# Host (or a parent domain of it) -> why it is refused. Extend it when a review finds another.
DENIED_HOSTS: dict[str, str] = {
    # document-sharing sites: copies of documents, often outdated, never the publisher's page
    "vdocuments.fr": "document-sharing site",
    "vdocuments.net": "document-sharing site",
    "vdocuments.mx": "document-sharing site",
    "studylibfr.com": "document-sharing site",
    "studylib.net": "document-sharing site",
    "123dok.net": "document-sharing site",
    "123dok.com": "document-sharing site",
    "docplayer.fr": "document-sharing site",
    "docplayer.net": "document-sharing site",
    "pdfslide.fr": "document-sharing site",
    "pdfslide.net": "document-sharing site",
    "fdocuments.in": "document-sharing site",
    "fdocuments.fr": "document-sharing site",
    "paperzz.com": "document-sharing site",
    "readkong.com": "document-sharing site",
    "scribd.com": "document-sharing site",
    "slideplayer.fr": "document-sharing site",
    "slideplayer.com": "document-sharing site",
    "doczz.fr": "document-sharing site",
    "frdocs.com": "document-sharing site",
    "pdfhall.com": "document-sharing site",
    "docstoc.com": "document-sharing site",
    "pastebin.com": "document-sharing site",
    # encyclopaedia mirrors and scraped copies
    "wikimili.com": "encyclopaedia mirror",
    "wikiwand.com": "encyclopaedia mirror",
    "kampuspedia.com": "encyclopaedia mirror",
    "kiwix.jackbot.fr": "encyclopaedia mirror",
    "iiab.live": "encyclopaedia mirror",
    "wiki.x.io": "encyclopaedia mirror",
    "friendlywiki.com": "encyclopaedia mirror",
    "alcolois.ca": "encyclopaedia mirror",
    "acemap.info": "scraped academic aggregator",
    # scanned newspapers and aggregators
    "pressreader.com": "scanned newspaper",
    "hellodarwin.com": "grant aggregator (not the programme's owner)",
}
# Path fragments of page-by-page scans of newspapers and magazines ("flipbooks").
DENIED_PATHS: dict[str, str] = {
    "/flipping_books/": "scanned magazine",
    "/files/assets/basic-html/": "scanned newspaper",
    "/kiwix/": "encyclopaedia mirror",
}
# Official publishers: a source on these hosts is the primary text and must be marked so.
OFFICIAL_HOSTS = (
    "legisquebec.gouv.qc.ca",
    "gouv.qc.ca",
    "quebec.ca",
    "canada.ca",
    "gc.ca",
    "revenuquebec.ca",
    "assnat.qc.ca",
    "parl.ca",
    "justice.gc.ca",
)
# News sites and wire services: they report facts, they are never the primary text.
NEWS_HOSTS = (
    "newswire.ca",
    "lapresse.ca",
    "ledevoir.com",
    "lesoleil.com",
    "radio-canada.ca",
    "journalmetro.com",
    "infodimanche.com",
    "lelezard.com",
    "lesaffaires.com",
    "conseiller.ca",
    "lactualite.com",
    "finance-investissement.com",
    "lenord-cotier.com",
    "lecharlevoisien.com",
    "journallereflet.com",
    "journalhcnouest.com",
    "lesactualites.ca",
    "informeaffaires.com",
    "letincelle.qc.ca",
    "biloa-magazine.com",
    "pressemic.org",
    "mediamosaique.com",
    "magazinetransatlantique.com",
    "macommunaute.ca",
)
TRACKING_PARAMS = ("utm_", "fbclid", "gclid")


def _host(url: str) -> str:
    host = (urlparse(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _on(host: str, domains: Iterable[str]) -> str | None:
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def is_official(url: str) -> bool:
    """Whether the address is on an official publisher's site: a primary source."""
    return _on(_host(url), OFFICIAL_HOSTS) is not None


def is_news(url: str) -> bool:
    """Whether the address is on a news site: never a primary source."""
    return _on(_host(url), NEWS_HOSTS) is not None


def url_problem(url: str) -> str | None:
    """Why this address cannot be cited (deny-listed, cut or mangled), or None."""
    parsed = urlparse(url)
    host = _host(url)
    denied = _on(host, DENIED_HOSTS)
    if not denied and host.split(".")[0] == "kiwix":
        denied = "kiwix.jackbot.fr"
    if denied:
        return f"{host} is not an acceptable source ({DENIED_HOSTS[denied]}): cite the publisher"
    for fragment, reason in DENIED_PATHS.items():
        if fragment in parsed.path:
            return f"not an acceptable source ({reason}): cite the publisher's own page"
    if "..." in url or "…" in url:
        return "the address is cut (it contains '...'): copy the full address"
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return "the address has a broken %-escape: copy it again from the browser"
    # LégisQuébec names regulations with spaces ("C-67.2, r. 1" -> "C-67.2,%20r.%201"), but a
    # space just before "/", "?" or the end is a copy accident ("C-67.2%20?code=").
    if re.search(r"%20(%20|[/?#]|$)", url):
        return "the address has a stray encoded space (%20) before '/', '?' or its end"
    if "@" in parsed.path:
        return "the address contains '@' in its path (a mangled mirror address)"
    if url.rstrip() != url or url[-1] in ".,;:)»\"'":
        return "the address ends with punctuation: it was cut when copied"
    if parsed.scheme and url.count("://") > 1 and "://" in parsed.path:
        return "the address contains a second address: keep only the page's own"
    for key, _ in parse_qsl(parsed.query, keep_blank_values=True):
        if key.startswith(TRACKING_PARAMS):
            return f"remove the tracking parameter {key!r} from the address"
    return None


def type_problem(url: str, source_type: str) -> str | None:
    """Why ``source_type`` (primary | secondary) is wrong for this address, or None."""
    if source_type == "secondary" and is_official(url):
        return "an official government or legislative page is a primary source: type: primary"
    if source_type == "primary" and is_news(url):
        return "a news or wire article reports facts, it is a secondary source: type: secondary"
    return None

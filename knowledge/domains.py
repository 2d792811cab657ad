"""What kind of site each cited domain is, read from the base's domains.yaml (content, not code).

A domain covers its subdomains: "gob.mx" classifies "dof.gob.mx". The most specific listed
domain wins, so "scribd.com" can be a copy while nothing else under it is listed.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import yaml

FILE = "domains.yaml"


class SiteClass(StrEnum):
    """How far a site can be trusted as a source shown to users."""

    OFFICIAL = "official"
    PRESS = "press"
    AGGREGATOR = "aggregator"
    COPY = "copy"
    UNRELATED = "unrelated"


# Shown to users as evidence on their own; the others only beside one of these.
PRIMARY = frozenset({SiteClass.OFFICIAL, SiteClass.PRESS})
# Never shown: a page read there must name the original it reproduces.
HIDDEN = frozenset({SiteClass.COPY, SiteClass.UNRELATED})


def host(url: str) -> str:
    """The host of a URL, lower case, without a leading 'www.'."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def address_problem(url: str) -> str | None:
    """Explain why an address cannot be shown as a source (raw IP, odd port), or None."""
    parts = urlsplit(url)
    try:
        ipaddress.ip_address(parts.hostname or "")
    except ValueError:
        pass
    else:
        return f"'{url}' usa una dirección IP, no un dominio"
    try:
        port = parts.port
    except ValueError:
        return f"'{url}' tiene un puerto inválido"
    if port is not None and port not in (80, 443):
        return f"'{url}' usa el puerto {port}: cite la página en su dominio público"
    return None


class Domains:
    """The classification of domains, by most specific match."""

    def __init__(self, classes: dict[str, SiteClass]) -> None:
        """classes maps a domain ('gob.mx') to its class."""
        self.classes = classes

    @classmethod
    def read(cls, root: Path) -> Domains:
        """Read root/domains.yaml, or the shipped file when the base has none."""
        path = root / FILE
        if not path.is_file():
            path = Path(__file__).parent / FILE
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        classes = {
            str(domain).lower(): SiteClass(name)
            for name, domains in data.items()
            for domain in domains or ()
        }
        return cls(classes)

    def classify(self, url: str) -> SiteClass | None:
        """The class of a URL's domain, or None when it is not listed."""
        labels = host(url).split(".")
        for start in range(len(labels) - 1):
            found = self.classes.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

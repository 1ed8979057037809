"""The client's address: one function for every rule that needs it (rate limits, the login
lockout, stored submitter hashes, logs).

Behind nginx every request comes from the proxy's address. The client is then the right-most
X-Forwarded-For entry that is not itself a trusted proxy (settings.TRUSTED_PROXIES: addresses
or networks): each proxy appends the address it saw, so entries right of the first untrusted
one were written by proxies we trust, and everything left of it by the client, who can write
anything. Entries are validated; a malformed one ends the walk, and the nearest address known
to be right (REMOTE_ADDR, or the last trusted proxy) is used instead.
"""

import contextvars
import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: The salt of the keyed address hash. Its value predates this module and is kept, so that
#: hashes stored earlier still match new ones.
ADDRESS_HASH_SALT = "members.nomination.client-address"


def parse_address(value: str) -> Address | None:
    """An address from a header or REMOTE_ADDR, or None when it is not one.

    A port is dropped where that is unambiguous (`1.2.3.4:5678`, `[::1]:80`), brackets around
    an IPv6 address too; an IPv4 address mapped into IPv6 (`::ffff:1.2.3.4`) is the IPv4
    address, so that one client has one address."""
    value = value.strip()
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not (rest[:1] == ":" and rest[1:].isdigit())):
            return None
        value = host
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
        if not port.isdigit():
            return None
        value = host
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            continue  # refused at start-up (anso/settings.py); never trusted here
    return tuple(networks)


def is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The client's address as text (`203.0.113.5`, `2001:db8::1`), or "" when the request
    carries no valid address at all. Never raises."""
    remote = parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    if remote is None:
        return ""
    client = remote
    if is_trusted_proxy(remote):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
        for entry in reversed(forwarded.split(",")):
            address = parse_address(entry)
            if address is None:
                break
            client = address
            if not is_trusted_proxy(address):
                break
    return str(client)


def client_address_hash(address: str) -> str:
    """A keyed hash of a client address: equal addresses match, the address is not stored."""
    if not address:
        return ""
    return salted_hmac(ADDRESS_HASH_SALT, address, algorithm="sha256").hexdigest()


# Logs ---------------------------------------------------------------------------------------

_current_address: contextvars.ContextVar[str] = contextvars.ContextVar(
    "client_address", default="-"
)


class ClientAddressMiddleware:
    """Makes the client address of the request being answered known to the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_address.set(client_address(request) or "-")
        try:
            return self.get_response(request)
        finally:
            _current_address.reset(token)


class ClientAddressFilter(logging.Filter):
    """Gives every log record a `client_address`: the address of the request being answered
    (ClientAddressMiddleware), or "-" outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "META"):
            record.client_address = client_address(request) or "-"
        else:
            record.client_address = _current_address.get()
        return True

"""Cryptocurrency addresses (bitcoin, ethereum, tron), accepted only with a valid checksum.

Canonical forms: bitcoin base58 addresses as written (base58 is case-sensitive), bech32/bech32m in
lower case; ethereum as lower-case `0x…` (a mixed-case address must carry a correct EIP-55
checksum, all-lower and all-upper carry none); tron as written. Checksums are bip-utils'.
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from bip_utils import (
    Base58ChecksumError,
    Base58Decoder,
    Bech32ChecksumError,
    EthAddrDecoder,
    SegwitBech32Decoder,
    TrxAddrDecoder,
)

from .family import EnrichmentExample, Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator

_BASE58 = "1-9A-HJ-NP-Za-km-z"
_ADDRESS = re.compile(
    rf"(?<![\w])(?:[13][{_BASE58}]{{25,34}}|T[{_BASE58}]{{33}}"
    r"|(?i:bc1[02-9ac-hj-np-z]{8,87})|0x[0-9a-fA-F]{40})(?![\w])"
)
_BASE58_VERSIONS = {b"\x00": "pay-to-public-key-hash", b"\x05": "pay-to-script-hash"}
NETWORK_NAMES = {
    "btc": "Bitcoin",
    "eth": "Ethereum (the same address is valid on every EVM chain)",
    "tron": "Tron",
}
#: Bitcoin segwit (witness version, program length) → address kind (BIP 141, BIP 341).
_SEGWIT_KINDS = {
    (0, 20): "P2WPKH (native SegWit, bech32)",
    (0, 32): "P2WSH (native SegWit script, bech32)",
    (1, 32): "P2TR (Taproot, bech32m)",
}


def address_kind(network: str, address: str) -> str:
    """The kind of a valid canonical address: its bitcoin script type, or an account."""
    if network == "btc" and address.startswith("bc1"):
        version, program = SegwitBech32Decoder.Decode("bc", address)
        return _SEGWIT_KINDS.get((version, len(program)), f"SegWit version {version}")
    if network == "btc":
        version = Base58Decoder.CheckDecode(address)[:1]
        return "P2PKH (legacy)" if version == b"\x00" else "P2SH (script hash)"
    return "account address"


def _bitcoin_base58(address: str) -> str:
    payload = Base58Decoder.CheckDecode(address)
    if len(payload) != 21 or payload[:1] not in _BASE58_VERSIONS:
        raise ValueError("not a bitcoin mainnet address")
    return address


def _bitcoin_bech32(address: str) -> str:
    # Checks the bech32 checksum for witness version 0 and bech32m for versions 1 and above.
    SegwitBech32Decoder.Decode("bc", address)
    return address.lower()


def _ethereum(address: str) -> str:
    digits = address[2:]
    mixed_case = digits != digits.lower() and digits != digits.upper()
    EthAddrDecoder.DecodeAddr("0x" + digits, skip_chksum_enc=not mixed_case)
    return "0x" + digits.lower()


def _tron(address: str) -> str:
    TrxAddrDecoder.DecodeAddr(address)
    return address


@lru_cache(maxsize=4096)
def canonical_address(address: str) -> tuple[str, str]:
    """(network, canonical address), or `InvalidIndicator` saying the checksum or format is bad."""
    if address[:3].lower() == "bc1":
        network, check = "btc", _bitcoin_bech32
    elif address[:1] in "13":
        network, check = "btc", _bitcoin_base58
    elif address[:2] == "0x":
        network, check = "eth", _ethereum
    elif address[:1] == "T":
        network, check = "tron", _tron
    else:
        raise InvalidIndicator(f"{address!r} is not a bitcoin, ethereum or tron address")
    try:
        return network, check(address)
    except (ValueError, Base58ChecksumError, Bech32ChecksumError):
        raise InvalidIndicator(
            f"{address!r} is not a valid {network} address (wrong checksum or format)"
        ) from None


class CryptoAddressFamily(IndicatorFamily):
    type = "crypto_address"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        for match in _ADDRESS.finditer(text):
            try:
                network, address = canonical_address(match[0])
            except InvalidIndicator:
                continue
            yield Indicator(self.type, address, match.span(), network=network)

    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        network, address = canonical_address(value.strip())
        return Indicator(self.type, address, (0, len(value)), network=network)

    def enrich(self, value: str, qualifier: str | None) -> dict[str, str]:
        try:
            network, address = canonical_address(value)
        except InvalidIndicator:
            return {}
        return {"network": NETWORK_NAMES[network], "kind": address_kind(network, address)}

    def enrichment_examples(self) -> tuple[EnrichmentExample, ...]:
        return (
            EnrichmentExample(
                "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
                {"network": "Bitcoin", "kind": "P2PKH (legacy)"},
            ),
            EnrichmentExample(
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                {"kind": "P2WPKH (native SegWit, bech32)"},
            ),
            EnrichmentExample("TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC", {"network": "Tron"}),
        )

    def examples(self) -> tuple[Example, ...]:
        return (
            Example(
                "send 0.05 BTC to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2.",
                ("crypto_address:btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",),
            ),
            Example(
                "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 (segwit)",
                ("crypto_address:btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",),
            ),
            Example(
                "eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                ("crypto_address:eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",),
            ),
            Example(
                "usdt trc20: TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC",
                ("crypto_address:tron:TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC",),
            ),
            Example(
                "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"
            ),
        )

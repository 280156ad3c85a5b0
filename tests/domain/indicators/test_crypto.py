"""Addresses are published test vectors (BIP173, BIP350, EIP-55) or encoded from a known key."""

import pytest
from bip_utils import (
    EthAddrEncoder,
    P2PKHAddrEncoder,
    P2SHAddrEncoder,
    P2TRAddrEncoder,
    P2WPKHAddrEncoder,
    Secp256k1PrivateKey,
    TrxAddrEncoder,
)

from dontpay.domain.indicators import InvalidIndicator, canonical_indicator, find_indicators

KEY = Secp256k1PrivateKey.FromBytes(bytes(31) + b"\x07").PublicKey()
ENCODED = {
    "p2pkh": ("btc", P2PKHAddrEncoder.EncodeKey(KEY, net_ver=b"\x00")),
    "p2sh": ("btc", P2SHAddrEncoder.EncodeKey(KEY, net_ver=b"\x05")),
    "p2wpkh": ("btc", P2WPKHAddrEncoder.EncodeKey(KEY, hrp="bc", wit_ver=0)),
    "p2tr": ("btc", P2TRAddrEncoder.EncodeKey(KEY, hrp="bc")),
    "eth": ("eth", EthAddrEncoder.EncodeKey(KEY)),
    "tron": ("tron", TrxAddrEncoder.EncodeKey(KEY)),
}
PUBLISHED = [
    ("btc", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"),  # BIP173, upper case
    ("btc", "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3"),  # BIP173 P2WSH
    ("btc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"),  # BIP350 v1
    ("btc", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs"),  # BIP350 v2
    ("eth", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),  # EIP-55
    ("eth", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
    ("eth", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"),
    ("eth", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"),
    ("btc", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
    ("btc", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
]
ALL = [*ENCODED.values(), *PUBLISHED]


def canonical(network: str, address: str) -> str:
    return address.lower() if network == "eth" or address[:3].lower() == "bc1" else address


@pytest.mark.parametrize(("network", "address"), ALL)
def test_valid_addresses_are_found_in_text(network: str, address: str) -> None:
    text = f"Pay 0.05 BTC to {address}."
    [found] = find_indicators(text)
    assert (found.type, found.network, found.value) == (
        "crypto_address",
        network,
        canonical(network, address),
    )
    assert text[found.span[0] : found.span[1]] == address


def flip(address: str, position: int) -> str:
    """The address with one character replaced by another of the same alphabet and case."""
    character = address[position]
    alphabet = "0123456789abcdefABCDEF" if address.startswith("0x") else "23456789acdefgh"
    alphabet += "" if address.startswith("0x") else "ACDEFGH"
    for replacement in alphabet:
        same_kind = replacement.isupper() == character.isupper()
        if replacement != character and same_kind and replacement.isdigit() == character.isdigit():
            return address[:position] + replacement + address[position + 1 :]
    raise AssertionError(address)


@pytest.mark.parametrize(("network", "address"), ALL)
def test_one_wrong_character_is_not_an_indicator(network: str, address: str) -> None:
    broken = flip(address, len(address) - 3)
    if network == "eth" and address[2:] in (address[2:].lower(), address[2:].upper()):
        broken = broken[:2] + broken[2:].swapcase()[:1] + broken[3:]  # make it mixed-case
    assert [i for i in find_indicators(f"pay {broken}") if i.type == "crypto_address"] == []
    with pytest.raises(InvalidIndicator, match="wrong checksum or format"):
        canonical_indicator("crypto_address", broken)


@pytest.mark.parametrize(
    "address",
    [
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # BIP350: v0 with a bech32m checksum
        "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",  # BIP350: 'o'
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kV8f3t4",  # mixed case
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2".replace("1", "l", 2),  # l for 1
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy".replace("W", "O", 1),  # O is not base58
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",  # EIP-55 checksum wrong in one letter
    ],
)
def test_adversarial_addresses_are_refused(address: str) -> None:
    assert [i for i in find_indicators(f"to {address} now") if i.type == "crypto_address"] == []


def test_ethereum_case_forms_are_one_key() -> None:
    mixed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    text = f"{mixed} {mixed.lower()} 0x{mixed[2:].upper()}"
    assert [i.key for i in find_indicators(text)] == [f"crypto_address:eth:{mixed.lower()}"]


def test_amounts_are_not_addresses() -> None:
    assert find_indicators("send 0.05 BTC (about $1,000.00) to the usual place") == []


def test_address_inside_an_explorer_link_is_kept() -> None:
    address = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    found = find_indicators(f"https://mempool.space/address/{address}")
    assert [i.type for i in found] == ["url", "crypto_address"]


def test_canonical_detects_the_network() -> None:
    tron = ENCODED["tron"][1]
    assert canonical_indicator("crypto_address", f" {tron} ").network == "tron"
    with pytest.raises(InvalidIndicator, match="not a bitcoin, ethereum or tron address"):
        canonical_indicator("crypto_address", "LTC-something")

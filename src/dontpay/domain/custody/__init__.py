"""The evidence vault, the custody chain and the report pack: how a report's evidence is kept
encrypted, how every change to it is recorded, and how it leaves us in a form anyone can check."""

from .chain import (
    EVENT_KINDS,
    CustodyEvent,
    InvalidEvent,
    event_as_json,
    event_from_json,
    next_event,
    sign_head,
    verify_chain,
    verify_head,
)
from .envelope import (
    KEY_BYTES,
    DecryptionFailed,
    decrypt,
    encrypt,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from .keys import InvalidMasterKey, OrganisationKeys, load_organisation_keys
from .object_vault import InvalidVaultUrl, ObjectVault, parse_vault_url
from .owner_key import WrongPassphrase, unwrap_for_owner, wrap_for_owner
from .report_pack import (
    InvalidPackMember,
    PackVerification,
    build_pack,
    verify_pack,
)
from .vault import BlobStore, InvalidBlobId, MissingBlob, SealedBlob, Vault

__all__ = [
    "EVENT_KINDS",
    "KEY_BYTES",
    "BlobStore",
    "CustodyEvent",
    "DecryptionFailed",
    "InvalidBlobId",
    "InvalidEvent",
    "InvalidMasterKey",
    "InvalidPackMember",
    "InvalidVaultUrl",
    "MissingBlob",
    "ObjectVault",
    "OrganisationKeys",
    "PackVerification",
    "SealedBlob",
    "Vault",
    "WrongPassphrase",
    "build_pack",
    "decrypt",
    "encrypt",
    "event_as_json",
    "event_from_json",
    "load_organisation_keys",
    "new_data_key",
    "next_event",
    "parse_vault_url",
    "sign_head",
    "unwrap_data_key",
    "unwrap_for_owner",
    "verify_chain",
    "verify_head",
    "verify_pack",
    "wrap_data_key",
    "wrap_for_owner",
]

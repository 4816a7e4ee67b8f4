"""RSA key pairs for our actors: made on first use, rotatable (``rotate_federation_keys``)."""

import functools

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_SIZE = 2048


def new_key_pair():
    """(private PEM, public PEM) of a fresh RSA key, as Mastodon's peers expect."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@functools.lru_cache(maxsize=64)
def load_private(pem):
    """Our own key from PEM, loaded once per process: checking an RSA key costs ~60 ms."""
    return serialization.load_pem_private_key(
        pem.encode(), password=None, unsafe_skip_rsa_key_validation=True
    )


def load_public(pem):
    """A public key from PEM (SubjectPublicKeyInfo or PKCS#1); ValueError if it is neither."""
    data = pem.strip().encode()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as error:
        raise ValueError(f"not a public key: {error}") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("only RSA keys are understood")
    return key

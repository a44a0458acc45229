"""The hashing rules of the mining and chain labs, exactly as docs/course-format.md states
them. Pure: the standard library only.

- A nonce ``n`` solves a text at difficulty ``d`` when the hexadecimal SHA-256 of the UTF-8
  bytes of the text followed by the decimal digits of ``n`` starts with ``d`` zeros.
- A block of a chain is the text ``<number><previous hash><data>`` (its number from 1, the
  previous block's hash, 64 zeros for the first block); its hash is the SHA-256 of that text
  followed by the decimal digits of its nonce, so a block is mined like the mining lab's data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

GENESIS_PREVIOUS = "0" * 64
MAX_MINING_TRIES = 16**6 * 64  # never reached in practice: 16**d tries are expected


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def nonce_hash(text: str, nonce: int) -> str:
    """The hexadecimal SHA-256 of ``text`` followed by the decimal digits of ``nonce``."""
    return sha256_hex(f"{text}{nonce}")


def meets(digest: str, difficulty: int) -> bool:
    return digest.startswith("0" * difficulty)


def mine(text: str, difficulty: int, *, start: int = 0) -> int:
    """The smallest nonce from ``start`` that solves ``text`` at ``difficulty``."""
    for nonce in range(start, start + MAX_MINING_TRIES):
        if meets(nonce_hash(text, nonce), difficulty):
            return nonce
    raise ValueError("no nonce found")  # pragma: no cover - 16**d tries are expected


def block_text(number: int, previous: str, data: str) -> str:
    return f"{number}{previous}{data}"


@dataclass(frozen=True)
class Block:
    """A block of a chain as the chain lab shows and grades it: the previous block's hash as
    it is now, the nonce, the block's hash, and whether that hash meets the difficulty."""

    number: int
    data: str
    previous: str
    nonce: int
    hash: str
    mined: bool


def chain_mine(data: Sequence[str], difficulty: int) -> list[tuple[str, int]]:
    """(previous hash, nonce) of each block of a valid chain holding ``data``."""
    previous = GENESIS_PREVIOUS
    mined: list[tuple[str, int]] = []
    for number, text in enumerate(data, start=1):
        body = block_text(number, previous, text)
        nonce = mine(body, difficulty)
        mined.append((previous, nonce))
        previous = nonce_hash(body, nonce)
    return mined


def chain_relinked(data: Sequence[str], nonces: Sequence[int], difficulty: int) -> list[Block]:
    """The chain with ``nonces``, each block holding the hash of the block before it as it is
    now: a changed block changes every later block's hash, and a block is valid when its hash
    meets the difficulty."""
    blocks: list[Block] = []
    previous = GENESIS_PREVIOUS
    for index, (text, nonce) in enumerate(zip(data, nonces, strict=True)):
        digest = nonce_hash(block_text(index + 1, previous, text), nonce)
        blocks.append(
            Block(
                number=index + 1, data=text, previous=previous, nonce=nonce, hash=digest,
                mined=meets(digest, difficulty),
            )
        )  # fmt: skip
        previous = digest
    return blocks

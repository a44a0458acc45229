"""A small TrueType subsetter: the glyphs one certificate uses, renumbered, in about a millisecond.

fpdf2 subsets its fonts with fontTools when it writes a PDF, which costs 6-15 ms per font and
document, nearly all of it fixed overhead. A certificate uses some 60 glyphs of two fonts, so
``FontProgram`` parses a font once per process and then writes each subset by copying the
raw outlines of the chosen glyphs (and of the components of composite glyphs), renumbered.

The subset keeps the tables a PDF reader uses for an embedded ``CIDFontType2`` program: head,
hhea, maxp, OS/2, hmtx, loca, glyf, name, the hinting tables, a ``post`` table without glyph
names and a ``cmap`` for the chosen characters. Layout tables (GSUB, GPOS, GDEF) are dropped,
as fpdf2 drops them.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Tables copied from the font as they are (head, hhea, maxp get patched); the rest are built.
COPIED_TABLES = (b"OS/2", b"cvt ", b"fpgm", b"gasp", b"head", b"hhea", b"maxp", b"name", b"prep")
REQUIRED_TABLES = (b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"post")

# Composite glyph flags (OpenType "glyf" table).
ARG_1_AND_2_ARE_WORDS = 0x0001
WE_HAVE_A_SCALE = 0x0008
MORE_COMPONENTS = 0x0020
WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
WE_HAVE_A_TWO_BY_TWO = 0x0080

CHECKSUM_MAGIC = 0xB1B0AFBA


class FontFormatError(ValueError):
    """The bytes are not a TrueType font (with glyf outlines) this subsetter understands."""


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _components(glyph: bytes) -> tuple[tuple[int, int], ...]:
    """(offset of the glyph index, component glyph id) for each component of a composite glyph;
    empty for a simple or empty glyph."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return ()
    found = []
    offset = 10
    while True:
        flags, component = struct.unpack_from(">HH", glyph, offset)
        found.append((offset + 2, component))
        offset += 4 + (4 if flags & ARG_1_AND_2_ARE_WORDS else 2)
        if flags & WE_HAVE_A_SCALE:
            offset += 2
        elif flags & WE_HAVE_AN_X_AND_Y_SCALE:
            offset += 4
        elif flags & WE_HAVE_A_TWO_BY_TWO:
            offset += 8
        if not flags & MORE_COMPONENTS:
            return tuple(found)


def _bounds(glyph: bytes) -> tuple[int, int, int, int] | None:
    """(xMin, yMin, xMax, yMax) from a glyph's header; ``None`` for an empty glyph."""
    if len(glyph) < 10:
        return None
    return struct.unpack_from(">4h", glyph, 2)


def _cmap(unicodes: Mapping[int, int]) -> bytes:
    """A ``cmap`` with one Windows Unicode BMP (format 4) subtable: one segment per character."""
    points = sorted(point for point in unicodes if 0 <= point < 0xFFFF)
    ends = [*points, 0xFFFF]
    deltas = [(unicodes[point] - point) % 0x10000 for point in points] + [1]
    count = len(ends)
    power = 1 << (count.bit_length() - 1)
    length = 16 + 8 * count
    search_range = 2 * power
    header = (
        4,
        length,
        0,
        2 * count,
        search_range,
        power.bit_length() - 1,
        2 * count - search_range,
    )
    subtable = b"".join(
        (
            struct.pack(">7H", *header),  # format, length, language, segCountX2, search fields
            struct.pack(f">{count}H", *ends),
            b"\0\0",
            struct.pack(f">{count}H", *ends),  # one character per segment: start == end
            struct.pack(f">{count}H", *deltas),
            b"\0\0" * count,  # idRangeOffset
        )
    )
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + subtable


def _sfnt(tables: Mapping[bytes, bytes]) -> bytes:
    """Assemble tables into a TrueType file, with checksums and ``checkSumAdjustment``."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, 16 * power, power.bit_length() - 1,
                         16 * count - 16 * power)  # fmt: skip
    offset = 12 + 16 * count
    records, bodies = [], []
    head_offset = 0
    for tag in tags:
        data = tables[tag]
        if tag == b"head":
            head_offset = offset
        records.append(struct.pack(">4sIII", tag, _checksum(data), offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        bodies.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(records) + b"".join(bodies))
    adjustment = (CHECKSUM_MAGIC - _checksum(bytes(font))) & 0xFFFFFFFF
    struct.pack_into(">I", font, head_offset + 8, adjustment)
    return bytes(font)


@dataclass(frozen=True)
class FontProgram:
    """A parsed TrueType font, ready to be subset many times. Immutable: safe to share between
    documents, and between processes forked after it was made."""

    tables: Mapping[bytes, bytes]  # raw tables kept as they are (see COPIED_TABLES)
    glyphs: tuple[bytes, ...]  # raw "glyf" data per glyph id (b"" for an empty glyph)
    metrics: tuple[tuple[int, int], ...]  # (advance width, left side bearing) per glyph id
    components: Mapping[int, tuple[tuple[int, int], ...]]  # composite glyph id -> components
    post_header: bytes  # the 32-byte "post" header, version 3 (no glyph names)

    @classmethod
    def parse(cls, data: bytes) -> FontProgram:
        if len(data) < 12 or data[:4] not in (b"\0\1\0\0", b"true"):
            raise FontFormatError("not a TrueType font")
        (count,) = struct.unpack_from(">H", data, 4)
        raw: dict[bytes, bytes] = {}
        for index in range(count):
            tag, _sum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
            if offset + length > len(data):
                raise FontFormatError(f"table {tag!r} runs past the end of the font")
            raw[tag] = data[offset : offset + length]
        missing = [tag.decode() for tag in REQUIRED_TABLES if tag not in raw]
        if missing:
            raise FontFormatError("no table " + ", ".join(missing))
        (glyph_count,) = struct.unpack_from(">H", raw[b"maxp"], 4)
        (long_loca,) = struct.unpack_from(">h", raw[b"head"], 50)
        if long_loca:
            loca = struct.unpack_from(f">{glyph_count + 1}I", raw[b"loca"])
        else:
            loca = tuple(2 * value for value in
                         struct.unpack_from(f">{glyph_count + 1}H", raw[b"loca"]))  # fmt: skip
        glyf = raw[b"glyf"]
        glyphs = tuple(glyf[loca[gid] : loca[gid + 1]] for gid in range(glyph_count))
        (long_metrics,) = struct.unpack_from(">H", raw[b"hhea"], 34)
        hmtx = raw[b"hmtx"]
        pairs = struct.unpack_from(f">{2 * long_metrics}H", hmtx)
        metrics = [
            (pairs[2 * n], pairs[2 * n + 1] - (0x10000 if pairs[2 * n + 1] & 0x8000 else 0))
            for n in range(long_metrics)
        ]
        bearings = struct.unpack_from(f">{glyph_count - long_metrics}h", hmtx, 4 * long_metrics)
        metrics += [(metrics[-1][0], bearing) for bearing in bearings]
        components = {
            gid: found for gid, glyph in enumerate(glyphs) if (found := _components(glyph))
        }
        if len(raw[b"post"]) < 32:
            raise FontFormatError("the post table is too short")
        return cls(
            tables={tag: raw[tag] for tag in COPIED_TABLES if tag in raw},
            glyphs=glyphs,
            metrics=tuple(metrics),
            components=components,
            post_header=struct.pack(">I", 0x00030000) + raw[b"post"][4:32],
        )

    def subset(self, glyph_ids: Sequence[int | None], *, unicodes: Mapping[int, int]) -> bytes:
        """A font whose glyph ``n`` is this font's glyph ``glyph_ids[n]`` (``None``: an empty
        glyph with no width). Components of the composite glyphs that are not listed are added
        after the listed ones. ``unicodes`` maps characters to new glyph ids, for the cmap."""
        order = list(glyph_ids)
        new_id: dict[int, int] = {}
        for index, gid in enumerate(order):
            if gid is not None:
                if not 0 <= gid < len(self.glyphs):
                    raise ValueError(f"the font has no glyph {gid}")
                new_id.setdefault(gid, index)
        index = 0
        while index < len(order):  # the list grows while components are added
            gid = order[index]
            for _offset, component in self.components.get(gid, ()) if gid is not None else ():
                if component not in new_id:
                    new_id[component] = len(order)
                    order.append(component)
            index += 1
        glyf, loca, hmtx = bytearray(), [0], []
        for gid in order:
            if gid is None:
                hmtx.append((0, 0))
            else:
                glyph = self.glyphs[gid]
                if gid in self.components:
                    glyph = bytearray(glyph)
                    for offset, component in self.components[gid]:
                        struct.pack_into(">H", glyph, offset, new_id[component])
                glyf += glyph
                glyf += b"\0" * (-len(glyph) % 4)
                hmtx.append(self.metrics[gid])
            loca.append(len(glyf))
        count = len(order)
        # Bounds and extremes over the kept glyphs, as fontTools recalculates them: renderers
        # use them (poppler positions small glyphs to a fraction of a pixel only when the
        # font's box is small), so the page looks as it did with fpdf2's own subsetting.
        boxes = [
            (self.metrics[gid], box)
            for gid in order
            if gid is not None and (box := _bounds(self.glyphs[gid])) is not None
        ]
        head = bytearray(self.tables[b"head"])
        struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set when assembled
        struct.pack_into(">h", head, 50, 1)  # long offsets in loca
        hhea = bytearray(self.tables[b"hhea"])
        struct.pack_into(">H", hhea, 34, count)
        struct.pack_into(">H", hhea, 10, max((self.metrics[gid][0] for gid in order
                                               if gid is not None), default=0))  # fmt: skip
        if boxes:
            struct.pack_into(
                ">4h", head, 36,
                min(box[0] for _metric, box in boxes), min(box[1] for _metric, box in boxes),
                max(box[2] for _metric, box in boxes), max(box[3] for _metric, box in boxes),
            )  # fmt: skip
            struct.pack_into(
                ">3h", hhea, 12,
                min(lsb for (_advance, lsb), _box in boxes),
                min(advance - lsb - (box[2] - box[0]) for (advance, lsb), box in boxes),
                max(lsb + box[2] - box[0] for (_advance, lsb), box in boxes),
            )  # fmt: skip
        maxp = bytearray(self.tables[b"maxp"])
        struct.pack_into(">H", maxp, 4, count)
        tables = {
            **self.tables,
            b"head": bytes(head),
            b"hhea": bytes(hhea),
            b"maxp": bytes(maxp),
            b"glyf": bytes(glyf),
            b"loca": struct.pack(f">{count + 1}I", *loca),
            b"hmtx": b"".join(struct.pack(">Hh", *pair) for pair in hmtx),
            b"post": self.post_header,
            b"cmap": _cmap(unicodes),
        }
        return _sfnt(tables)

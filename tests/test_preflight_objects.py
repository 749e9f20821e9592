"""Reading PDF objects tolerantly, and matrices (preflight/objects.py)."""

from __future__ import annotations

import pikepdf
import pytest

from deckprint.preflight.objects import IDENTITY, apply, get, key, matrix, mul, rect


def test_matrices_apply_the_first_then_the_second():
    scale, move = (2.0, 0.0, 0.0, 3.0, 0.0, 0.0), (1.0, 0.0, 0.0, 1.0, 10.0, 20.0)
    assert apply(mul(scale, move), 1, 1) == (12.0, 23.0)  # scaled, then moved
    assert apply(mul(move, scale), 1, 1) == (22.0, 63.0)  # moved, then scaled
    assert mul(IDENTITY, scale) == scale
    assert matrix([1, 2, 3, 4, 5, 6]) == (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
    assert matrix([1, 2, 3]) is None and matrix("/Name") is None and matrix(None) is None


def test_rectangles_are_normalised_and_checked():
    assert rect([10, 20, 0, 5]) == (0.0, 5.0, 10.0, 20.0)
    for bad in (None, [1, 2, 3], ["/a", 0, 1, 1]):
        with pytest.raises((TypeError, ValueError)):
            rect(bad)


def test_get_and_key_are_tolerant():
    with pikepdf.new() as pdf:
        direct = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Name.Helvetica))
        indirect = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.XObject))
        assert get(get(direct, "/Font"), "/F1") == "/Helvetica"
        assert get(direct, "/Missing") is None
        assert get(pikepdf.Array([1]), "/Font") is None and get(None, "/Font") is None and get(3, "/F") is None
        assert get({"/a": 1}, "/a") == 1
        assert key(direct) is None and key(indirect) == indirect.objgen and key("/Name") is None

"""Achat local: a Pelican plugin that builds a buy-local directory from merchant files."""

from pelican import signals


def get_generators(pelican_object):
    from .generator import BuyLocalGenerator

    return BuyLocalGenerator


def register():
    # get_generators adds our generator beside Pelican's own; its pages are ours alone.
    signals.get_generators.connect(get_generators)

"""DEVISUS course package: framework data, course builder, validator and CLI."""

__version__ = "0.2.0"

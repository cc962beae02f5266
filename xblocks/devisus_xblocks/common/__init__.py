"""Plumbing shared by the DEVISUS XBlocks: identity, the handler contract, rendering, i18n."""

"""Local preview of the course and its XBlocks on the xblock-sdk workbench (no Open edX needed)."""

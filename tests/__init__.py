"""Tests."""

from pathlib import Path

# Answers of real devices, copied from public sources (see fixtures/README.md).
REAL_FIRMWARE = Path(__file__).parent / "fixtures" / "real-firmware"

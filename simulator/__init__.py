"""A stateful fake Reolink camera/NVR speaking the Camera HTTP API (see simulator/README.md)."""

from simulator.server import Simulator

__all__ = ["Simulator"]

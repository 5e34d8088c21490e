"""Shared test setup.

Importing `custom_components` here, before the Home Assistant fixtures mount the
harness's own `custom_components` package, is what lets HA find reolink_http.
"""

import custom_components  # noqa: F401

"""Open311 GeoReport v2: an edge of its own that maps its requests into the existing commands."""

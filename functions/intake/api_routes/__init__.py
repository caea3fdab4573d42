"""The intake API's routes, one module per resource (powertools Routers)."""

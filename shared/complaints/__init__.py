"""The 1555 complaint centre: domain (pure) and adapters (AWS), shipped as the Lambda layer."""

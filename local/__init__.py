"""The local stack: AWS resources read from template.yaml, made in moto, and an HTTP front."""

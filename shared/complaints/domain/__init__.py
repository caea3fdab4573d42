"""Pure domain code: no boto3, no clock, no I/O."""

"""Adapters to AWS behind small interfaces."""

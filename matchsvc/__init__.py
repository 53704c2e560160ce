"""The matching service: an oblivious PRF and an escrow of sealed entries.

It runs apart from Vigil (its own process, database, key file and settings;
see docs/deployment.md) so that a seizure of the main server never yields the
OPRF key, and a seizure of this one yields no identifier or incident text.
"""

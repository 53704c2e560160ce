from django.contrib.auth.hashers import Argon2PasswordHasher


class VigilArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at least as costly as the vault's key derivation (128 MiB).

    Otherwise an offline guess against the password hash would be cheaper
    than one against the wrapped member key, and the weaker one decides.
    """

    algorithm = "argon2"
    time_cost = 3
    memory_cost = 131072
    parallelism = 2


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with minimal cost, for the test suite only (see settings.TESTING)."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1

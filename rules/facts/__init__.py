"""Facts about a Model W repository, computed once per run and injected into rules by name.

One module per subject, each registering its facts with :func:`registry.fact`:

- ``paths``: what a path says (test code, migrations, development tooling);
- ``components``: Django projects, JS fronts and their manifests, the package roots and the
  static index of the back-end's Python (``python_index``);
- ``dependencies``: the back-end's and the fronts' declared dependencies;
- ``settings``: settings modules (named by ``DJANGO_SETTINGS_MODULE`` anywhere), which of them
  production runs, the preset block through subclasses and variables, and what production
  finally assigns to each setting;
- ``deploy`` (with ``spec_formats``): compose files, deploy specs, Dockerfiles, commands;
- ``code``: the shipped code and its Sentry initialisations;
- ``python_file``: per-file facts, computed once per file for every rule that asks: a Python
  file's imports (relative ones resolved), environment reads and ``env.get`` calls;
- ``release``: the Model W release;
- ``urls``: Django URL configurations read statically (``urlconf``, per file).

Facts read files through the project (each read and parsed at most once) and never import or
execute the code they look at. Families register the facts they own the same way (Wailer's
registries live in ``messaging/_common.py``).
"""

# Importing a subject module registers its facts.
from . import code, components, dependencies, deploy, explain, images, paths, python_file, release, settings, urls  # noqa: F401
from .registry import FACTS, fact

__all__ = ["FACTS", "fact"]

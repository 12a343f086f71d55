"""Readers of the languages a repository is written in (Python, YAML, Dockerfiles, gitignore globs) and edit builders."""

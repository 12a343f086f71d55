"""Running the rules: the run recipe, per-file and repository rules, worker processes, the cache, suppressions, baselines, rule packs."""

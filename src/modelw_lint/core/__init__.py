"""The data model every other part uses: findings and their fixes, rules and packs (what rule packs build with)."""

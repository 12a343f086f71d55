"""stack (MW9xx): the parts Model W is built on: the preset, Python, PostgreSQL, Redis, the front framework, the middleware."""

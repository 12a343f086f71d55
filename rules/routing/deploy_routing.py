from __future__ import annotations

from typing import TYPE_CHECKING

from modelw_lint import Example, FileRule, Severity

from .._examples import DOGEFILE_OK, SNOW_YML, with_files
from ..facts.deploy import strip_nginx_comments
from ..facts.spec_formats import FRONT_NAMES, Spec, nginx_services

if TYPE_CHECKING:
    from modelw_lint.project.files import SourceFile

FLUX_OK = """\
components:
  api: {type: http-server, port: 8000, prefixes: ["/back"]}
  front: {type: http-server, port: 3000, prefixes: ["/"]}
"""
DO_OK = """\
name: acme
domains:
  - domain: acme.example.com
services:
  - name: api
  - name: front
ingress:
  rules:
    - match: {path: {prefix: /back}}
      component: {name: api, preserve_path_prefix: true}
    - match: {path: {prefix: /}}
      component: {name: front}
"""
NGINX_OK = """\
server {
    listen 80;
    location /back { proxy_pass http://api:8000; }
    location / { proxy_pass http://front:3000; }
}
"""


class DeployRouting(FileRule):
    """
    ## What it does
    Reports deploy specs and load-balancer configurations that do not route the back-end
    under `/back` on the front's domain: the API routed at `/`, `/api` or any prefix outside
    `/back`, the front routed elsewhere than `/`, or the API on a domain of its own
    (`api.example.com`). Reads `Dogefile`, `snow.yml`, `Fluxfile`, `.do/app.yaml` and nginx
    `location` blocks. Services are told apart by name (`api`, `back`… / `front`, `web`…)
    or port (8000 / 3000).

    ## Why it matters
    One domain, with `/back` to Django and the rest to the front, is what lets the session
    cookie reach both, and what every Model W front expects (its proxy forwards `/back`).

    ## Example
    ```yaml
    services:
      - name: api
        route_prefixes: ["/api"]
    ```

    ## Use instead
    ```yaml
    services:
      - name: api
        route_prefixes: ["/back"]
      - name: front
        route_prefixes: ["/"]
    ```

    ## Fix safety
    No fix: the spec belongs to the deployment, which the linter cannot test.

    ## References
    - Model W architecture, "HTTP Routing"
    - model-w-reference §3g (MW-G03)
    """

    code = "MW703"
    name = "deploy-routing"
    family = "routing"
    severity = Severity.ERROR
    kinds = ("yaml", "other")
    scope = "routing_files"

    fires = [
        Example.repo(
            with_files({"Dogefile": DOGEFILE_OK.replace('["/back"]', '["/api"]')}),
            note="Dogefile: the API at /api",
            line=7,
            message="the back-end (api) is routed at /api",
        ),
        Example.repo(
            with_files({"snow.yml": SNOW_YML.replace("'/back/'", "'/api/'").replace(
                "{prefix: '/'}, target: {component: front",
                "{prefix: '/app/'}, target: {component: front",
            )}),
            note="snow.yml: the API at /api/, the front at /app/",
        ),
        Example.repo(with_files({"Fluxfile": FLUX_OK.replace('prefixes: ["/back"]', 'prefixes: ["/"]')}), note="Fluxfile: the API at /"),
        Example.repo(
            with_files({".do/app.yaml": DO_OK.replace("domain: acme.example.com", "domain: api.acme.example.com")}),
            note=".do/app.yaml: the API on its own domain",
        ),
        Example.repo(with_files({"deploy/nginx.conf": NGINX_OK.replace("location /back", "location /api")}), note="nginx: /api to Django"),
    ]
    silent = [
        Example.repo(with_files({"Dogefile": DOGEFILE_OK}), note="Dogefile"),
        Example.repo(with_files({"snow.yml": SNOW_YML}), note="snow.yml as written: components keyed id, hooks, env groups"),
        Example.repo(with_files({"Fluxfile": FLUX_OK}), note="Fluxfile"),
        Example.repo(with_files({".do/app.yaml": DO_OK}), note=".do/app.yaml"),
        Example.repo(with_files({"deploy/nginx.conf": NGINX_OK}), note="nginx"),
        Example.repo(
            with_files({"deploy/nginx.conf": NGINX_OK.replace(
                "    location / {",
                "    # location /api {\n    #     proxy_pass http://api:8000;\n    # }\n    location / {",
            )}),
            note="a commented-out location block",
        ),
        Example.repo(
            with_files({"Dogefile": DOGEFILE_OK + '  - name: storybook\n    port: 3000\n    route_prefixes: ["/storybook"]\n'}),
            note="a second service on port 3000 beside the front",
        ),
    ]

    def check_file(self, file: SourceFile, spec_models: dict[str, list[Spec]]):
        if file.kind == "other":
            found = nginx_services(strip_nginx_comments(file.text or ""))
            hosts = []
        else:
            specs = spec_models.get(file.path, [])
            found = [s for spec in specs for s in spec.services if s.kind != "job"]
            hosts = [h for spec in specs for h in spec.domains]
        # Only one front needs "/": a storybook or a docs site on port 3000 is not the front.
        front_at_root = any(svc.role == "front" and any((r.prefix.rstrip("/") or "/") == "/" for r in svc.routes) for svc in found)
        for svc in found:
            role = svc.role
            if role == "front" and front_at_root and svc.name.lower() not in FRONT_NAMES:
                continue
            for route in svc.routes:
                prefix = route.prefix.rstrip("/") or "/"
                if role == "api" and not (prefix == "/back" or prefix.startswith("/back/")):
                    yield self.finding(
                        file.path, f"the back-end ({svc.name}) is routed at {route.prefix}: route it under /back, on the front's domain",
                        route.line, route.column,
                    )
                elif role == "front" and prefix != "/":
                    yield self.finding(
                        file.path,
                        f"the front ({svc.name}) is routed at {route.prefix}: it must answer /",
                        route.line,
                        route.column,
                    )
        for host, line in hosts:
            if host.lower().startswith("api."):
                yield self.finding(
                    file.path,
                    f"the API has its own domain ({host}): serve it under /back on the front's domain (shared cookies)",
                    line,
                )

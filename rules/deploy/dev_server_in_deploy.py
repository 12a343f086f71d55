import re

from modelw_lint import Example, RepoRule, Severity

from .._examples import API_DOCKERFILE, with_files

DEV_SERVERS = [
    (re.compile(r"manage\.py\s+runserver(_plus)?\b"), "Django's development server (manage.py runserver)"),
    (re.compile(r"(^|[\s;&|/])nuxt(\s+dev\b|\s*$)"), "Nuxt's development server"),
    (re.compile(r"(^|[\s;&|/])vite(\s+dev\b|\s*$)"), "Vite's development server"),
    (re.compile(r"\b(npm|pnpm)\s+run\s+dev\b|\byarn\s+(run\s+)?dev\b"), "the front's dev script"),
    (re.compile(r"\bcelery\b.*\bworker\b.*(\s-B\b|\s--beat\b)"), "a Celery worker with an embedded beat (-B, development only)"),
]


class DevServerInDeploy(RepoRule):
    """
    ## What it does
    Reports development servers in deploy artifacts: `manage.py runserver`, `nuxt dev`,
    `vite dev`, `npm run dev`, and `celery worker -B` (the embedded beat is for
    development) in Dockerfile `CMD`/`ENTRYPOINT`, Procfiles, docker-compose `command`s
    and deploy specs. Compose files named for development (`*dev*`, `*local*`,
    `*override*`, `*test*`) are left alone.

    ## Why it matters
    Development servers are single-process, reload on file changes, serve static files
    insecurely and print debug pages. An embedded Celery beat runs once per worker: scale
    the worker to two and every periodic task runs twice.

    ## Example
    ```dockerfile
    CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    ```

    ## Use instead
    ```dockerfile
    CMD ["modelw-docker", "serve"]
    ```
    and separate `modelw-docker serve celery` / `modelw-docker serve beat` services.

    ## Fix safety
    No fix.

    ## References
    - model-w-reference §3h (MW-H02)
    """

    code = "MW802"
    name = "dev-server-in-deploy"
    family = "deploy"
    severity = Severity.ERROR
    reads = ("**/Dockerfile*", "**/Procfile", "**/*compose*.y*ml", "Dogefile", "snow.yml", "Fluxfile", ".do/app.yaml")

    fires = [
        Example.repo(with_files({"api/Dockerfile": API_DOCKERFILE.replace('CMD ["modelw-docker", "serve"]', 'CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]')}), note="a Dockerfile CMD"),
        Example.repo(with_files({"Procfile": "web: modelw-docker serve\nworker: celery -A acme worker -B -l info\n"}), note="a Procfile worker with beat"),
        Example.repo(with_files({"docker-compose.yml": "services:\n  front:\n    command: npm run dev\n"}), note="a compose command"),
        Example.repo(with_files({"Dogefile": "services:\n  - name: front\n    port: 3000\n    command: npx nuxt dev\n"}), note="a deploy spec"),
    ]
    silent = [
        Example.repo(with_files({"api/Dockerfile": API_DOCKERFILE}), note="modelw-docker serve"),
        Example.repo(with_files({"docker-compose.dev.yml": "services:\n  api:\n    command: python manage.py runserver\n"}), note="a development compose file"),
        Example.repo(with_files({"Procfile": "worker: celery -A acme worker -l info\nbeat: celery -A acme beat\n"}), note="separate worker and beat"),
    ]

    def check(self, project, deploy_commands):
        for cmd in deploy_commands:
            for pattern, what in DEV_SERVERS:
                if pattern.search(cmd.command):
                    yield self.finding(cmd.path, f"{what} in {cmd.where}: deploy artifacts run production servers", cmd.line)
                    break

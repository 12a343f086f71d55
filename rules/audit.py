"""What the audit report says of Model W: its nine seed systems, the order in which a project
moves to Model W (the architecture document's "Transform an Existing Project"), and which
systems do not apply to a project, and its components."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modelw_lint.rule import AuditSpec, Family, MigrationStep

from .facts.components import DjangoProject, Front
from .facts.dependencies import Dependency
from .facts.registry import fact

if TYPE_CHECKING:
    from .facts.deploy import ComposeService

FAMILIES = (
    Family("layout", "Layout", "MW1", "Django in api/, the JS front in front/, one repository"),
    Family("settings", "Settings", "MW2", "the preset's settings, configured from the environment only"),
    Family("queue", "Queue", "MW3", "background tasks with Procrastinate (or Celery on Redis), no RabbitMQ"),
    Family("storage", "Storage", "MW4", "uploads on S3-like object storage, never the container's disk"),
    Family("sentry", "Sentry", "MW5", "errors of the back-end and the front reported to Sentry"),
    Family("messaging", "Messaging", "MW6", "emails and SMS sent through Wailer"),
    Family("routing", "Routing", "MW7", "one domain: the front at /, Django under /back"),
    Family("deploy", "Deploy", "MW8", "modelw/base images, production servers, state outside the images"),
    Family("stack", "Stack", "MW9", "the preset pinned to a supported release, PostgreSQL, Redis, SvelteKit"),
)

STEPS = (
    MigrationStep(
        "layout", "Move the back-end into api/ and the front into front/",
        resolves=("MW101", "MW102", "MW103", "MW104", "MW105", "MW106"), effort="medium",
        why="Every later step, the images and the deploy specs expect these paths",
    ),
    MigrationStep(
        "preset", "Adopt modelw-preset-django: the dependency and one EnvManager block",
        resolves=("MW901", "MW209", "MW210", "MW914", "MW915"),
        follows=("MW401", "MW404", "MW501", "MW603", "MW909"), effort="large",
        why="The preset brings Sentry, S3 storage, the Redis cache and the mail backend with it",
    ),
    MigrationStep(
        "environment", "Read every setting from the environment",
        resolves=("MW201", "MW202", "MW203", "MW204", "MW205", "MW206", "MW207", "MW208"), effort="small",
        why="Twelve-factor: one image for every environment, no secret in git",
    ),
    MigrationStep(
        "services", "Storage, Sentry and mail through the Model W services",
        resolves=("MW401", "MW402", "MW403", "MW404", "MW501", "MW502", "MW503", "MW504", "MW505",
                  "MW601", "MW602", "MW603", "MW604", "MW605"),
        effort="medium",
        why="What the preset does not bring by itself: code that writes files, sends mail or reports errors",
    ),
    MigrationStep(
        "routing", "Serve Django under /back on the front's domain",
        resolves=("MW701", "MW702", "MW703", "MW704", "MW705"), effort="medium",
        why="Once the back-end's URLs are settled, the front and the load balancer follow them",
    ),
    MigrationStep(
        "images", "Images, queue, database and cache as Model W runs them",
        resolves=("MW801", "MW802", "MW803", "MW805", "MW806", "MW301", "MW302", "MW303", "MW304", "MW305",
                  "MW306", "MW907", "MW908", "MW909"),
        effort="medium",
        why="The deploy artifacts come last: they package what the steps above changed",
    ),
    MigrationStep(
        "front", "Put the front on the Model W stack (SvelteKit)",
        resolves=("MW910", "MW911"), effort="large",
        why="A rewrite of the front, best done once the back-end and its routes are stable",
    ),
    MigrationStep(
        "release", "Upgrade to a supported Model W release",
        resolves=("MW804", "MW902", "MW903", "MW904", "MW905", "MW906", "MW912", "MW913", "MW916", "MW917"), effort="small",
        why="With the project on Model W's shape, a release upgrade is a pin and an image tag",
    ),
)

NO_DJANGO = "no Django back-end in the repository"


@fact
def audit_applicability(
    project: Any, django_projects: list[DjangoProject], fronts: list[Front], python_dependencies: list[Dependency],
    preset_extras: set[str], celery_in_use: bool, compose_services: list[ComposeService], dockerfiles: list[str], compose_files: list[str],
    deploy_specs: dict[str, str], procfiles: list[str],
) -> dict[str, str]:
    """Family -> why it does not apply to this project (families that apply are absent)."""
    out: dict[str, str] = {}
    if not django_projects:
        for family in ("settings", "storage", "messaging", "routing"):
            out[family] = NO_DJANGO
        if not fronts:
            out["sentry"] = "no back-end and no front to monitor"
            out["stack"] = "no back-end and no front"
    names = {d.name for d in python_dependencies} | preset_extras
    queues = {"celery", "procrastinate", "django-procrastinate", "pika", "kombu", "dramatiq", "django-rq", "rq", "huey"}
    rabbit = any("rabbitmq" in (getattr(s, "image", "") or "") for s in compose_services)
    if not (names & queues or celery_in_use or rabbit):
        out["queue"] = "no background tasks (neither Celery nor Procrastinate)"
    if not (dockerfiles or compose_files or deploy_specs or procfiles):
        out["deploy"] = "no deploy artifact (Dockerfile, compose file, deploy spec, Procfile)"
    return out


@fact
def audit_components(
    project: Any, django_projects: list[DjangoProject], fronts: list[Front], dockerfiles: list[str],
    compose_files: list[str], deploy_specs: dict[str, str], procfiles: list[str], nginx_files: set[str],
) -> list[dict[str, Any]]:
    """The components a report shows one by one: the back-end(s), the front(s), and the deploy
    artifacts (their files, wherever they are). Exact files are matched before folders."""
    out: list[dict[str, Any]] = []
    deploy = sorted({*dockerfiles, *compose_files, *deploy_specs, *procfiles, *nginx_files})
    if deploy:
        out.append({"name": "deploy", "kind": "deploy artifacts", "paths": deploy})
    for project_ in django_projects:
        folder = project_.folder
        out.append({"name": folder or "(root)", "kind": "Django back-end", "paths": [folder + "/" if folder else ""]})
    for front in fronts:
        folder = front.path.rpartition("/")[0]
        out.append({"name": folder or "(root)", "kind": f"front ({front.framework})", "paths": [folder + "/" if folder else ""]})
    return out


AUDIT = AuditSpec(STEPS, applicability="audit_applicability", components="audit_components")

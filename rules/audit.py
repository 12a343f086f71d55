"""What the audit report says of Model W: its nine seed systems, the order in which a project
moves to Model W (the architecture document's "Transform an Existing Project"), and which
systems do not apply to a project, and its components."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modelw_lint.core.rule import Adoption, AuditSpec, Family, MigrationStep, Rule

from .facts.components import DjangoProject, Front
from .facts.dependencies import Dependency
from .facts.registry import fact
from .deploy.base_image_mismatch import BaseImageMismatch
from .deploy.deploy_missing_service import DeployMissingService
from .deploy.dev_server_in_deploy import DevServerInDeploy
from .deploy.dockerfile_not_modelw_base import DockerfileNotModelwBase
from .deploy.state_in_image import StateInImage
from .deploy.wsgi_only_server import WsgiOnlyServer
from .layout.django_config_location import DjangoConfigLocation
from .layout.django_outside_api import DjangoOutsideApi
from .layout.front_outside_front import FrontOutsideFront
from .layout.missing_api import MissingApi
from .layout.missing_api_pyproject import MissingApiPyproject
from .layout.missing_front import MissingFront
from .messaging.django_mail_send import DjangoMailSend
from .messaging.email_backend_override import EmailBackendOverride
from .messaging.third_party_sender import ThirdPartySender
from .messaging.unknown_wailer_type import UnknownWailerType
from .messaging.wailer_type_not_found import WailerTypeNotFound
from .queue.amqp_broker import AmqpBroker
from .queue.amqp_broker_in_config import AmqpBrokerInConfig
from .queue.amqp_client_dependency import AmqpClientDependency
from .queue.celery_on_procrastinate_release import CeleryOnProcrastinateRelease
from .queue.rabbitmq_service import RabbitmqService
from .queue.redundant_broker_override import RedundantBrokerOverride
from .routing.cdn_on_app_domain import CdnOnAppDomain
from .routing.deploy_routing import DeployRouting
from .routing.front_api_outside_back import FrontApiOutsideBack
from .routing.route_outside_back import RouteOutsideBack
from .routing.static_url_override import StaticUrlOverride
from .sentry.duplicate_sentry_init import DuplicateSentryInit
from .sentry.literal_sentry_dsn import LiteralSentryDsn
from .sentry.sentry_missing_backend import SentryMissingBackend
from .sentry.sentry_missing_front import SentryMissingFront
from .sentry.sentry_sdk_not_initialised import SentrySdkNotInitialised
from .settings.debug_enabled import DebugEnabled
from .settings.dotenv_committed import DotenvCommitted
from .settings.dotenv_not_ignored import DotenvNotIgnored
from .settings.env_get_signature_mismatch import EnvGetSignatureMismatch
from .settings.env_get_without_default import EnvGetWithoutDefault
from .settings.environ_read_in_settings import EnvironReadInSettings
from .settings.hardcoded_credentials import HardcodedCredentials
from .settings.hardcoded_secret_key import HardcodedSecretKey
from .settings.settings_without_preset import SettingsWithoutPreset
from .settings.split_settings import SplitSettings
from .stack.cache_not_redis import CacheNotRedis
from .stack.front_era_unsupported import FrontEraUnsupported
from .stack.front_framework_not_model_w import FrontFrameworkNotModelW
from .stack.front_preset_mismatch import FrontPresetMismatch
from .stack.languages_missing import LanguagesMissing
from .stack.middleware_order import MiddlewareOrder
from .stack.non_postgres_database import NonPostgresDatabase
from .stack.npm_lock_on_pnpm_release import NpmLockOnPnpmRelease
from .stack.nuxt2_front import Nuxt2Front
from .stack.postgis_not_enabled import PostgisNotEnabled
from .stack.preset_dependency_missing import PresetDependencyMissing
from .stack.preset_pin_unbounded import PresetPinUnbounded
from .stack.preset_prerelease import PresetPrerelease
from .stack.preset_range_noncanonical import PresetRangeNoncanonical
from .stack.preset_release_unsupported import PresetReleaseUnsupported
from .stack.python_constraint_mismatch import PythonConstraintMismatch
from .stack.release_newer_than_known import ReleaseNewerThanKnown
from .storage.filesystem_storage_in_code import FilesystemStorageInCode
from .storage.local_default_storage import LocalDefaultStorage
from .storage.media_served_locally import MediaServedLocally
from .storage.uploads_without_s3 import UploadsWithoutS3

if TYPE_CHECKING:
    from .facts.deploy import ComposeService
    from .facts.images import AppImage
    from .facts.spec_formats import Spec
    from .releases import ReleaseInfo


def codes(*rules: type[Rule]) -> tuple[str, ...]:
    """The codes of ``rules``: the plan names rules by class, so a renamed or removed rule
    breaks the import, not the plan silently."""
    return tuple(rule.code for rule in rules)


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
        resolves=codes(
            DjangoOutsideApi, FrontOutsideFront, MissingFront, MissingApiPyproject, DjangoConfigLocation, MissingApi,
        ),
        effort="medium",
        why="Every later step, the images and the deploy specs expect these paths",
        systems=("layout",), adopt=(1.0, 3.0),
    ),
    MigrationStep(
        "preset", "Adopt modelw-preset-django: the dependency and one EnvManager block",
        resolves=codes(PresetDependencyMissing, SplitSettings, SettingsWithoutPreset, MiddlewareOrder, LanguagesMissing),
        follows=codes(
            LocalDefaultStorage, UploadsWithoutS3, SentryMissingBackend, EmailBackendOverride, CacheNotRedis,
        ),
        effort="large",
        why="The preset brings Sentry, S3 storage, the Redis cache and the mail backend with it",
        systems=("settings",), adopt=(2.0, 5.0),
    ),
    MigrationStep(
        "environment", "Read every setting from the environment",
        resolves=codes(
            HardcodedSecretKey, DebugEnabled, HardcodedCredentials, EnvironReadInSettings, EnvGetSignatureMismatch,
            EnvGetWithoutDefault, DotenvNotIgnored, DotenvCommitted,
        ),
        effort="small",
        why="Twelve-factor: one image for every environment, no secret in git",
        systems=("settings",), adopt=(0.0, 0.0),
    ),
    MigrationStep(
        "services", "Storage, Sentry and mail through the Model W services",
        resolves=codes(
            LocalDefaultStorage, FilesystemStorageInCode, MediaServedLocally, UploadsWithoutS3, SentryMissingBackend,
            SentrySdkNotInitialised, LiteralSentryDsn, DuplicateSentryInit, SentryMissingFront, DjangoMailSend,
            ThirdPartySender, EmailBackendOverride, UnknownWailerType, WailerTypeNotFound,
        ),
        effort="medium",
        why="What the preset does not bring by itself: code that writes files, sends mail or reports errors",
        systems=("storage", "sentry", "messaging"), adopt=(1.0, 4.0),
    ),
    MigrationStep(
        "routing", "Serve Django under /back on the front's domain",
        resolves=codes(RouteOutsideBack, StaticUrlOverride, DeployRouting, FrontApiOutsideBack, CdnOnAppDomain), effort="medium",
        why="Once the back-end's URLs are settled, the front and the load balancer follow them",
        systems=("routing",), adopt=(1.0, 3.0),
    ),
    MigrationStep(
        "images", "Images, queue, database and cache as Model W runs them",
        resolves=codes(
            DockerfileNotModelwBase, DevServerInDeploy, StateInImage, DeployMissingService, WsgiOnlyServer, AmqpBroker,
            AmqpBrokerInConfig, RabbitmqService, AmqpClientDependency, RedundantBrokerOverride,
            CeleryOnProcrastinateRelease, NonPostgresDatabase, PostgisNotEnabled, CacheNotRedis,
        ),
        effort="medium",
        why="The deploy artifacts come last: they package what the steps above changed",
        systems=("deploy", "queue"), adopt=(1.0, 3.0),
    ),
    MigrationStep(
        "front", "Put the front on the Model W stack (SvelteKit)",
        resolves=codes(FrontFrameworkNotModelW, Nuxt2Front), effort="large",
        why="A rewrite of the front, best done once the back-end and its routes are stable",
        systems=("front",), adopt=(0.0, 0.0),
    ),
    MigrationStep(
        "release", "Upgrade to a supported Model W release",
        resolves=codes(
            BaseImageMismatch, PresetPinUnbounded, PresetReleaseUnsupported, PresetRangeNoncanonical, PresetPrerelease,
            PythonConstraintMismatch, FrontEraUnsupported, FrontPresetMismatch, ReleaseNewerThanKnown,
            NpmLockOnPnpmRelease,
        ),
        effort="small",
        why="With the project on Model W's shape, a release upgrade is a pin and an image tag",
        systems=("stack",), adopt=(0.5, 2.0),
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


# What a system costs to get wrong (the score's weights): secrets and settings first, layout last.
WEIGHTS = (
    ("settings", 5), ("sentry", 3), ("storage", 3), ("deploy", 3), ("stack", 3), ("queue", 2), ("routing", 2),
    ("messaging", 2), ("layout", 1),
)
# Findings that touch security: secrets and credentials in the repository, DEBUG in
# production, a development server deployed.
SECURITY = frozenset(codes(
    HardcodedSecretKey, DebugEnabled, HardcodedCredentials, DotenvNotIgnored, DotenvCommitted, LiteralSentryDsn, DevServerInDeploy,
))

ADOPTED, NOT_ADOPTED, NOT_APPLICABLE = "adopted", "not-adopted", "not-applicable"
QUEUES = {"celery", "procrastinate", "django-procrastinate", "pika", "kombu", "dramatiq", "django-rq", "rq", "huey"}
WAILER = {"django-wailer", "wailer"}


@fact
def audit_adoption(
    project: Any, django_projects: list[DjangoProject], fronts: list[Front], python_dependencies: list[Dependency],
    preset_extras: set[str], preset_status: dict[str, bool | None], celery_in_use: bool, compose_services: list[ComposeService],
    application_dockerfiles: dict[str, AppImage], spec_models: dict[str, list[Spec]], release: ReleaseInfo,
    back_routing: list[str], project_python: set[str], project_settings: set[str],
) -> dict[str, Adoption]:
    """For each family (and the front, for the plan): whether the project has adopted Model W's
    way, with the evidence. Absence is never adoption: an empty repository has adopted
    nothing, a plain Django project has no preset, no /back, no release."""
    out: dict[str, Adoption] = {}
    nothing = not django_projects and not fronts
    back = ", ".join(dj.manage_py for dj in django_projects)
    no_back = Adoption(NOT_APPLICABLE, "no Django back-end (a front-only project)") if fronts else \
        Adoption(NOT_ADOPTED, "no Django back-end and no front in the repository")

    placed = [dj.manage_py for dj in django_projects if dj.component == "api"] + [f.path for f in fronts if f.path.startswith("front/")]
    misplaced = [dj.manage_py for dj in django_projects if dj.component != "api"]
    misplaced += [f.path for f in fronts if not f.path.startswith("front/")]
    if nothing:
        out["layout"] = Adoption(NOT_ADOPTED, "no Django back-end in api/ and no front in front/")
    elif placed:
        out["layout"] = Adoption(ADOPTED, "in place: " + ", ".join(placed))
    else:
        out["layout"] = Adoption(NOT_ADOPTED, "outside api/ and front/: " + ", ".join(misplaced))

    on_preset = sorted(p for p, v in preset_status.items() if v is not False)
    if not django_projects:
        out["settings"] = no_back
    elif on_preset:
        out["settings"] = Adoption(ADOPTED, "settings built with the Model W preset: " + ", ".join(on_preset))
    else:
        out["settings"] = Adoption(NOT_ADOPTED, f"settings without the Model W preset ({', '.join(sorted(project_settings)) or back})")

    names = {d.name for d in python_dependencies} | preset_extras
    rabbit = any("rabbitmq" in (s.image or "") for s in compose_services)
    if not (names & QUEUES or celery_in_use or rabbit):
        out["queue"] = Adoption(NOT_APPLICABLE, "no background tasks (neither Celery nor Procrastinate)")
    else:
        used = ", ".join(sorted(names & QUEUES))
        if names & {"procrastinate", "django-procrastinate"}:
            used = "Procrastinate"
        elif celery_in_use:
            used = "Celery"
        out["queue"] = Adoption(ADOPTED, f"background tasks with {used or 'RabbitMQ'}")

    out["storage"] = _storage(project, django_projects, no_back, names)
    out["sentry"] = _sentry(project, django_projects, fronts, on_preset)
    out["messaging"] = _messaging(project, django_projects, no_back, names, on_preset, project_python)

    if not django_projects:
        out["routing"] = no_back
    elif on_preset:
        out["routing"] = Adoption(ADOPTED, "Django under /back (the preset's url_prefix)")
    elif back_routing:
        out["routing"] = Adoption(ADOPTED, "/back routed to Django by " + ", ".join(back_routing))
    else:
        out["routing"] = Adoption(NOT_ADOPTED, "Django answers at the root of the domain: nothing routes /back to it")

    on_base = sorted(p for p, app in application_dockerfiles.items() if app.root and app.root.image.lower().startswith("modelw/base"))
    specs = sorted(spec_models)
    if on_base or specs:
        out["deploy"] = Adoption(ADOPTED, "; ".join(filter(None, [
            "images on modelw/base: " + ", ".join(on_base) if on_base else "", "deployed from " + ", ".join(specs) if specs else "",
        ])))
    elif application_dockerfiles:
        roots = sorted({app.root.image for app in application_dockerfiles.values() if app.root})
        out["deploy"] = Adoption(NOT_ADOPTED, "images built FROM " + ", ".join(roots) + ", not modelw/base; no deploy spec")
    else:
        out["deploy"] = Adoption(NOT_ADOPTED, "no image on modelw/base and no deploy spec (snow.yml, Dogefile)")

    if release.name is not None:
        out["stack"] = Adoption(ADOPTED, f"Model W release {release.name} ({release.status})")
    else:
        out["stack"] = Adoption(NOT_ADOPTED, "no Model W release (no modelw-preset-django, front preset or modelw/base pin)")

    if not fronts:
        out["front"] = Adoption(NOT_APPLICABLE, "no front")
    else:
        off = [f"{f.path} ({f.framework})" for f in fronts if f.framework not in ("sveltekit", "nuxt3")]
        out["front"] = Adoption(NOT_ADOPTED, "fronts on another framework: " + ", ".join(off)) if off else \
            Adoption(ADOPTED, "fronts on " + ", ".join(sorted({f.framework for f in fronts})))
    return out


def _storage(project: Any, django_projects: list[DjangoProject], no_back: Adoption, names: set[str]) -> Adoption:
    if not django_projects:
        return no_back
    upload = project.fact("upload_fields")
    if upload is None and "wagtail" not in names:
        return Adoption(NOT_APPLICABLE, "no uploads in the code (no FileField, ImageField or Wagtail)")
    verdicts = list(project.fact("default_storage").values())
    what = f"uploads ({upload[0]}:{upload[1]})" if upload else "Wagtail's images and documents"
    if any(v.kind == "s3" for v in verdicts):
        return Adoption(ADOPTED, f"{what} on S3-like storage")
    if verdicts and all(v.kind == "local" for v in verdicts):
        return Adoption(NOT_ADOPTED, f"{what} on the container's disk ({verdicts[0].why})")
    return Adoption(ADOPTED, f"{what} on a storage modelw-lint cannot see ({verdicts[0].why if verdicts else 'no settings'})")


def _sentry(project: Any, django_projects: list[DjangoProject], fronts: list[Front], on_preset: list[str]) -> Adoption:
    from .sentry._common import reports_browser_errors

    if not django_projects and not fronts:
        return Adoption(NOT_ADOPTED, "nothing reports errors to Sentry: no back-end and no front")
    covered, missing = [], []
    if django_projects:
        inits = project.fact("sentry_inits")
        if on_preset:
            covered.append("the back-end (the preset)")
        elif any(i.django_integration for i in inits):
            covered.append("the back-end (sentry_sdk.init)")
        else:
            missing.append("the back-end")
    for front in fronts:
        (covered if reports_browser_errors(front.deps) else missing).append(front.path)
    if not covered:
        return Adoption(NOT_ADOPTED, "no Sentry in " + ", ".join(missing))
    return Adoption(ADOPTED, "Sentry in " + ", ".join(covered) + ("; not in " + ", ".join(missing) if missing else ""))


def _messaging(project: Any, django_projects: list[DjangoProject], no_back: Adoption, names: set[str], on_preset: list[str],
               project_python: set[str]) -> Adoption:
    if not django_projects:
        return no_back
    if on_preset or names & WAILER:
        return Adoption(ADOPTED, "Wailer (through the preset)" if on_preset else "Wailer")
    senders = sorted(
        p for p in project_python
        if (f := project.file(p)) is not None and f.contains_any(("django.core.mail", "send_mail", "EmailMessage", "anymail"))
    )
    if senders:
        return Adoption(NOT_ADOPTED, "emails sent without Wailer: " + ", ".join(senders[:3]) + (" …" if len(senders) > 3 else ""))
    return Adoption(NOT_APPLICABLE, "no email or SMS sent from the code")


# Person-days (low, high) of the work a release upgrade does beyond its findings: per release
# crossed, per minor version of Python and of Django crossed; and a front rewritten onto
# SvelteKit, per source file (with a floor).
PER_RELEASE = (0.25, 1.0)
PER_PYTHON_MINOR = (0.5, 2.0)
PER_DJANGO_MINOR = (0.5, 2.0)
PER_FRONT_FILE = (0.2, 0.6)
FRONT_REWRITE_FLOOR = (5.0, 15.0)


@fact
def audit_effort(release: ReleaseInfo, fronts: list[Front], front_sources: set[str]) -> dict[str, list[tuple[float, float, str]]]:
    """The work of a plan step beyond its findings, from evidence: how far the release is from
    the newest supported one (releases, Python and Django versions crossed), and the size of a
    front to rewrite onto SvelteKit."""
    from . import releases

    out: dict[str, list[tuple[float, float, str]]] = {}
    target = releases.latest()
    current = release.release
    if current is not None and current.key < target.key:
        table = [r for r in releases.releases().values() if current.key < r.key <= target.key]
        hops = len(table)
        work = [(PER_RELEASE[0] * hops, PER_RELEASE[1] * hops, f"{hops} release(s) from {current.name} to {target.name}")]
        py = _minor(target.python) - _minor(current.python)
        if py > 0:
            work.append((PER_PYTHON_MINOR[0] * py, PER_PYTHON_MINOR[1] * py,
                         f"Python {current.python.lstrip('~=<>')} to {target.python.lstrip('~=<>')}"))
        dj = _django_steps(current.django, target.django)
        if dj > 0:
            work.append((PER_DJANGO_MINOR[0] * dj, PER_DJANGO_MINOR[1] * dj,
                         f"Django {current.django.lstrip('~=<>')} to {target.django.lstrip('~=<>')}"))
        out["release"] = work
    for front in fronts:
        if front.framework in ("sveltekit", "nuxt3"):
            continue
        folder = front.path.rpartition("/")[0]
        files = sum(1 for p in front_sources if folder == "" or p.startswith(folder + "/"))
        low = max(FRONT_REWRITE_FLOOR[0], PER_FRONT_FILE[0] * files)
        high = max(FRONT_REWRITE_FLOOR[1], PER_FRONT_FILE[1] * files)
        out.setdefault("front", []).append((low, high, f"{folder or 'the root'}/ rewritten from {front.framework} ({files} source files)"))
    return out


def _minor(version: str) -> int:
    """``~3.14`` -> 14 (Python 3 only)."""
    digits = version.lstrip("~=<>^ ").split(".")
    return int(digits[1]) if len(digits) > 1 and digits[1].isdigit() else 0


def _django_steps(current: str, target: str) -> int:
    """Feature releases of Django between two versions (4.1 -> 6.1: 4.2, 5.0, 5.1, 5.2, 6.0, 6.1)."""
    def parse(v: str) -> tuple[int, int] | None:
        parts = v.lstrip("~=<>^ ").split(".")
        return (int(parts[0]), int(parts[1])) if len(parts) > 1 and parts[0].isdigit() and parts[1].isdigit() else None

    a, b = parse(current), parse(target)
    if a is None or b is None or b <= a:
        return 0
    return sum(1 for major in range(a[0], b[0] + 1) for minor in range(0, 3) if a < (major, minor) <= b)


AUDIT = AuditSpec(
    STEPS, applicability="audit_applicability", components="audit_components", adoption="audit_adoption",
    effort="audit_effort", weights=WEIGHTS, security=SECURITY,
)

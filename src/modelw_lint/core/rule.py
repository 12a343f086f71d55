"""The rule API: what every rule of every pack is made of.

A rule is one class. It carries its code, name, family, severity, fix safety, its docs (the class
docstring, in fixed Markdown sections) and its examples (``fires`` and ``silent``), which are run
as tests and rendered in the docs. It checks either one file at a time (:class:`FileRule`) or the
repository as a whole (:class:`RepoRule`). Facts a rule needs are injected by parameter name.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable, Mapping

from modelw_lint.core.finding import Edit, Finding, Fix, FixSafety, Severity

DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Fix safety", "References")
# Sections a rule may add; rendered after the required ones they follow.
OPTIONAL_SECTIONS = ("Known limits",)
# The order the docs show them in.
SECTION_ORDER = ("What it does", "Why it matters", "Example", "Use instead", "Fix safety", "Known limits", "References")

CODE_RE = re.compile(r"^[A-Z]{1,5}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _clean(text: str) -> str:
    """``textwrap.dedent(text).lstrip("\\n")``, skipped when it would change nothing (a text
    whose first line starts at column 1): rule modules build hundreds of examples at import."""
    if text[:1] not in (" ", "\t", "\n"):
        return text
    return textwrap.dedent(text).lstrip("\n")


@dataclass(frozen=True)
class Example:
    """A rule example: one file (``path`` + ``code``) or a small repository (``files``).

    ``fixed`` optionally gives the expected content of files after ``--fix --unsafe-fixes``
    (path -> text). ``note`` says in a few words what the example shows; it names the example's
    test. A firing example may also say where and what it reports: ``line`` (a finding of the
    rule starts on that line) and ``message`` (a fragment of that finding's message); the
    example's test asserts them.
    """

    files: Mapping[str, str | bytes]
    fixed: Mapping[str, str] | None = None
    note: str = ""
    show: tuple[str, ...] = ()  # the files the docs display (default: all)
    line: int | None = None
    message: str = ""

    @classmethod
    def file(
        cls, path: str, code: str, *, fixed: str | None = None, note: str = "", base: Mapping[str, str] | None = None,
        line: int | None = None, message: str = "",
    ) -> "Example":
        files = dict(base or {})
        files[path] = _clean(code)
        fixed_map = {path: _clean(fixed)} if fixed is not None else None
        return cls(files, fixed_map, note, (path,) if base else (), line, message)

    @classmethod
    def repo(
        cls, files: Mapping[str, str], *, fixed: Mapping[str, str] | None = None, note: str = "",
        line: int | None = None, message: str = "",
    ) -> "Example":
        clean = {p: _clean(t) if isinstance(t, str) else t for p, t in files.items()}
        fixed_clean = {p: _clean(t) for p, t in fixed.items()} if fixed else None
        return cls(clean, fixed_clean, note, tuple(getattr(files, "changed", ()) or ()), line, message)

    def expects(self) -> str:
        """What the example says its finding is, in words ("" when it says nothing)."""
        parts = [f"on line {self.line}"] if self.line is not None else []
        if self.message:
            parts.append(f"saying {self.message!r}")
        return " ".join(parts)

    @property
    def shown(self) -> dict[str, str | bytes]:
        return {p: self.files[p] for p in self.show if p in self.files} if self.show else dict(self.files)


class Rule:
    """Base of every rule. Subclass :class:`FileRule` or :class:`RepoRule`, not this."""

    code: ClassVar[str]
    name: ClassVar[str]
    family: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    fix_safety: ClassVar[FixSafety | None] = None  # the strongest fix this rule can offer
    summary: ClassVar[str] = ""  # one line; defaults to the first line of "What it does"
    fires: ClassVar[list[Example]] = []
    silent: ClassVar[list[Example]] = []
    # Globs of the files a rule reads (repo rules): hook mode runs a repo rule only when one
    # of the changed files matches.
    reads: ClassVar[tuple[str, ...]] = ()

    # -- metadata ------------------------------------------------------------------------------

    @classmethod
    def docs(cls) -> dict[str, str]:
        """The docstring split into its fixed sections (``## What it does`` …)."""
        doc = inspect.cleandoc(cls.__doc__ or "")
        sections: dict[str, str] = {}
        current = None
        for line in doc.splitlines():
            m = re.match(r"^##\s+(.+?)\s*$", line)
            if m:
                current = m.group(1)
                sections[current] = ""
            elif current is not None:
                sections[current] += line + "\n"
        return {k: v.strip() for k, v in sections.items()}

    @classmethod
    def short_description(cls) -> str:
        if cls.summary:
            return cls.summary
        what = cls.docs().get("What it does", "")
        first = re.split(r"(?<=\.)\s", what.replace("\n", " "), maxsplit=1)[0]
        return first.strip()

    @classmethod
    def kind(cls) -> str:
        return "file" if issubclass(cls, FileRule) else "repo"

    @classmethod
    def metadata_problems(cls) -> list[str]:
        """What is missing or malformed in this rule's metadata (empty when all is well)."""
        problems = []
        for attr in ("code", "name", "family"):
            if not getattr(cls, attr, None):
                problems.append(f"missing {attr}")
        if getattr(cls, "code", None) and not CODE_RE.match(cls.code):
            problems.append(f"code {cls.code!r} is not like MW201")
        if getattr(cls, "name", None) and not NAME_RE.match(cls.name):
            problems.append(f"name {cls.name!r} is not kebab-case")
        docs = cls.docs()
        for section in DOC_SECTIONS:
            if not docs.get(section):
                problems.append(f"docs section '## {section}' is missing or empty")
        unknown = [s for s in docs if s not in DOC_SECTIONS and s not in OPTIONAL_SECTIONS]
        if unknown:
            problems.append(f"unknown docs section '## {unknown[0]}' (known: {', '.join(SECTION_ORDER)})")
        if issubclass(cls, EngineRule):
            return problems  # emitted by the engine itself, covered by engine tests
        if not cls.fires:
            problems.append("no example that must fire")
        if not cls.silent:
            problems.append("no example that must stay silent")
        if any(ex.line is not None or ex.message for ex in cls.silent):
            problems.append("a silent example states a line or message (only firing examples report one)")
        module = cls.__module__.rsplit(".", 1)[-1]
        if getattr(cls, "name", None) and module != cls.name.replace("-", "_"):
            problems.append(f"the module is {module}.py, not {cls.name.replace('-', '_')}.py (one rule per module, named for it)")
        problems.extend(cls._fix_contract(docs.get("Fix safety", "")))
        return problems

    @classmethod
    def _fix_contract(cls, text: str) -> list[str]:
        """``fix_safety``, the "Fix safety" section and the examples agree: no fix says "No
        fix:" and why; a fix names its safety and shows what it does in a ``fixed`` example."""
        fixed = any(ex.fixed for ex in cls.fires)
        if cls.fix_safety is None:
            out = []
            if not re.match(r"No fix\b", text):
                out.append('fix_safety is None but "Fix safety" does not start with "No fix"')
            elif len(text.split(":", 1)[-1].strip()) < 15 or ":" not in text.split("\n")[0]:
                out.append('"Fix safety" says "No fix" without why ("No fix: <why>")')
            if fixed:
                out.append("an example shows a fix (fixed=…) but fix_safety is None")
            return out
        out = []
        if text.startswith("No fix"):
            out.append(f'fix_safety is {cls.fix_safety.value} but "Fix safety" says "No fix"')
        if not re.search(rf"\b{cls.fix_safety.value}\b", text, re.I):
            out.append(f'"Fix safety" does not say why the fix is {cls.fix_safety.value}')
        flat = " ".join(text.split())
        if cls.fix_safety is FixSafety.UNSAFE and not re.search(
            r"no edit|not offered|no fix|left to a person|left alone|is left", flat, re.I,
        ):
            # An unsafe fix is complete or not offered: its docs say when it is not.
            out.append('"Fix safety" of an unsafe fix does not say when it is not offered ("no edit when …")')
        if not fixed:
            out.append("a rule with a fix has no example showing it (Example(..., fixed=…))")
        return out

    # -- findings ------------------------------------------------------------------------------

    def finding(
        self,
        path: str,
        message: str,
        line: int = 1,
        column: int = 1,
        end_line: int | None = None,
        end_column: int | None = None,
        fix: Fix | None = None,
        repo_level: bool = False,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule. ``severity`` may lower the rule's own for one finding (an
        info where the drift is harmless in production), never raise it."""
        if severity is not None and severity > self.severity:
            severity = self.severity
        return Finding(
            code=self.code,
            name=self.name,
            family=self.family,
            severity=severity or self.severity,
            path=path,
            line=line,
            column=column,
            end_line=end_line if end_line is not None else line,
            end_column=end_column if end_column is not None else column,
            message=message,
            fix=fix,
            repo_level=repo_level,
        )

    def finding_at_node(self, file: Any, node: Any, message: str, fix: Fix | None = None, severity: Severity | None = None) -> Finding:
        """A finding spanning a node (``ast`` or libcst) of a Python file."""
        line, col, end_line, end_col = file.range_of(node)
        return self.finding(file.path, message, line, col, end_line, end_col, fix, severity=severity)

    def repo_finding(
        self, path: str, message: str, why_here: str, line: int = 1, fix: Fix | None = None, severity: Severity | None = None,
    ) -> Finding:
        """A finding about the repository, anchored at the most relevant real file.

        ``why_here`` says why that file was chosen; it is appended to the message.
        """
        return self.finding(path, f"{message} (reported on {path}: {why_here})", line, 1, line, 1, fix, repo_level=True, severity=severity)

    def make_fix(self, description: str, edits: Iterable[Edit], safety: FixSafety | None = None) -> Fix:
        return Fix(description, safety or self.fix_safety or FixSafety.UNSAFE, tuple(edits))


class FileRule(Rule):
    """A rule that looks at one file at a time.

    ``kinds``: the file kinds it reads. ``needles``: substrings of which at least one must occur
    in the text before the file is parsed at all (empty: every file of those kinds). ``scope``:
    the name of a fact holding the paths this rule applies to (None: every file of its kinds).
    ``check_file(self, file, **facts)`` yields findings; extra parameters are facts, by name:
    repository facts (computed once per run) and per-file facts (a fact whose function takes
    the ``file``, computed once per file and shared by every rule that names it, such as the
    Model W pack's ``imports`` and ``env_reads``).
    """

    kinds: ClassVar[tuple[str, ...]] = ("python",)
    needles: ClassVar[tuple[str, ...]] = ()
    scope: ClassVar[str | None] = None

    # check_file(self, file, **facts) -> findings: each parameter after ``file`` is a fact,
    # injected by name, so each rule's signature is its own (typed as any callable here).
    check_file: Callable[..., Iterable[Finding]]


class RepoRule(Rule):
    """A rule that looks at the repository as a whole.

    ``check(self, project, **facts)`` yields findings; extra parameters are facts, by name.
    """

    # check(self, project, **facts) -> findings: its parameters after ``project`` are facts.
    check: Callable[..., Iterable[Finding]]


class EngineRule(Rule):
    """Metadata of the engine's own findings (MW0xx): they have no check of their own."""


def injected_parameters(func: Any) -> list[str]:
    """The fact names a ``check``/``check_file``/fact function asks for."""
    params = list(inspect.signature(func).parameters.values())
    skip = {"self", "project", "file"}
    return [p.name for p in params if p.name not in skip and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


@dataclass(frozen=True)
class ReportItem:
    """Something a pack wants every report to say (a line of the text header, a JSON key)."""

    text: str
    data: Any


@dataclass
class Explanation:
    """How a pack understood a project (``check --explain-project``): sections of entries,
    each a subject and what modelw-lint concluded about it, with where that came from, so
    that a user can see why a rule did or did not fire."""

    sections: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def section(self, title: str) -> list[tuple[str, str]]:
        """The entries of the section titled ``title`` (created empty, at the end, if new)."""
        for name, found in self.sections:
            if name == title:
                return found
        entries: list[tuple[str, str]] = []
        self.sections.append((title, entries))
        return entries

    def to_json(self) -> dict[str, Any]:
        return {title: [{"subject": s, "understood": u} for s, u in entries] for title, entries in self.sections}


@dataclass(frozen=True)
class Family:
    """A family of a pack's rules: its name (the rules' ``family``), a title, the prefix of
    its codes, and what conforming means (one "system" of the audit's scorecard)."""

    name: str  # as the rules' ``family``
    title: str  # "Settings"
    prefix: str  # "MW2"
    conforms: str = ""  # one line: what a conforming project does


@dataclass(frozen=True)
class MigrationStep:
    """One step of the audit's migration plan. Steps come in the order a team should take
    them; ``resolves`` are the codes the step fixes, ``follows`` those whose findings usually
    disappear with it (adopting the preset brings Sentry and S3 storage)."""

    key: str
    title: str
    resolves: tuple[str, ...]
    follows: tuple[str, ...] = ()
    effort: str = "medium"  # small | medium | large: the usual size of the work, by hand
    why: str = ""  # why it comes at this point
    # The families whose adoption the step brings: it is done only when each is adopted (or
    # does not apply) and none of its findings remain.
    systems: tuple[str, ...] = ()
    # Person-days (low, high) to adopt its systems where they are not adopted at all, before
    # the findings (the work a finding does not count: a preset block, a bucket, a route).
    adopt: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Adoption:
    """Whether a project has adopted one system of the architecture, with the evidence:
    ``state`` is "adopted" (its shape is present: findings then make it drift),
    "not-adopted" (the architecture's way is absent) or "not-applicable" (the project has no
    such concern: no uploads, no background tasks)."""

    state: str
    evidence: str


@dataclass(frozen=True)
class AuditSpec:
    """What a pack tells the audit: its migration plan, what each family weighs in the score,
    the codes that touch security, and the names of facts: ``adoption`` (family ->
    :class:`Adoption`), ``applicability`` (family -> why it does not apply, for packs without
    ``adoption``), ``components`` (component name -> the paths that belong to it) and
    ``effort`` (step key -> (low, high, why) person-days beyond its findings: a release
    distance, a framework rewrite)."""

    steps: tuple[MigrationStep, ...] = ()
    applicability: str | None = None
    components: str | None = None
    adoption: str | None = None
    effort: str | None = None
    weights: tuple[tuple[str, int], ...] = ()  # (family, weight); others weigh 1
    security: frozenset[str] = frozenset()


@dataclass
class Pack:
    """A rule pack: its rules, the facts its rules share, and the file kinds of formats it
    knows by name (``{"Dogefile": "yaml"}``: globs on the file name or path)."""

    name: str
    rules: list[type[Rule]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    file_kinds: dict[str, str] = field(default_factory=dict)
    # Report metadata: JSON key -> name of a fact returning a ReportItem (e.g. the release).
    report: dict[str, str] = field(default_factory=dict)
    # Checks of the free-form settings a pack reads (``release``): setting -> function of the
    # configured value returning None when it is fine, else what is wrong (exit code 2).
    setting_checks: dict[str, Any] = field(default_factory=dict)
    # Its families in order, each with its code prefix (docs, reports and the audit use them).
    families: tuple[Family, ...] = ()
    # What the audit report needs to know of the pack (its migration plan).
    audit: AuditSpec | None = None
    # The name of a fact returning an :class:`Explanation` of how the pack understood the
    # project (``check --explain-project``).
    explain: str | None = None

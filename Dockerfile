# modelw-lint as a container for CI runners:
#   docker build -t modelw-lint .
#   docker run --rm -v "$PWD:/repo" modelw-lint check --format concise
FROM python:3.13-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

COPY . /tmp/modelw-lint
RUN pip install --no-cache-dir /tmp/modelw-lint && rm -rf /tmp/modelw-lint

RUN useradd --create-home --uid 10001 lint
USER lint
# The mounted repository belongs to another user: git would refuse it (and modelw-lint would
# exit 2, unable to list it). modelw-lint runs git with the repository's hooks disabled.
RUN git config --global --add safe.directory /repo
WORKDIR /repo

ENTRYPOINT ["modelw-lint"]
CMD ["check"]

# assess: the web app or a render worker (docs/operations.md). Debian 12 with Python 3.11.
#   docker build -t assess .
#   docker run ... assess web      the deploy step (init-db, prepare-dashboards), then gunicorn
#   docker run ... assess worker   a render worker (REPORT_QUEUE on Redis: compose.yaml)

# --- build: the wheel, with the compiled translations inside ---
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md babel.cfg ./
COPY assess ./assess
RUN pip install --no-cache-dir "babel>=2.12" "setuptools>=70.1" \
    && pybabel compile -d assess/translations \
    && pip wheel --no-cache-dir --no-deps --no-build-isolation -w /dist .

# --- run ---
FROM python:3.11-slim-bookworm
# what WeasyPrint needs to render PDFs with real Chinese typography (as the Makefile installs)
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-color-emoji \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/assess-*.whl && rm -rf /tmp/dist
COPY deploy/entrypoint.sh /usr/local/bin/assess-entrypoint
COPY deploy/gunicorn.conf.py /etc/assess/gunicorn.conf.py
RUN useradd --system --uid 10001 --home-dir /var/lib/assess --create-home assess \
    && mkdir -p /var/lib/assess/instance /run/assess \
    && chown -R assess:assess /var/lib/assess /run/assess
USER assess
WORKDIR /var/lib/assess
ENV ASSESS_ENV=production \
    ASSESS_INSTANCE_PATH=/var/lib/assess/instance \
    ASSESS_BIND=0.0.0.0:8000 \
    PROMETHEUS_MULTIPROC_DIR=/run/assess/metrics \
    GUNICORN_CONF=/etc/assess/gunicorn.conf.py \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
ENTRYPOINT ["/usr/local/bin/assess-entrypoint"]
CMD ["web"]

# skis-bot: the SKIS network's Teams bot.
#
#   docker build -t skis-bot:0.1.0 .
#   docker run -d --name skis-bot --restart unless-stopped \
#     --env-file /etc/skis-bot/skis-bot.env -v skis-bot-data:/data -p 127.0.0.1:3978:3978 skis-bot:0.1.0
#
# See docs/deploy.md. Put a TLS reverse proxy in front; Teams only calls https addresses.

# --- build: wheels for the bot and every pinned dependency ---------------------------------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot/ bot/
COPY dialogs/ dialogs/
COPY storage/ storage/
COPY manifest/ manifest/
RUN pip wheel --wheel-dir /wheels .

# --- runtime: only the installed packages, no sources, no build tools ----------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /wheels /wheels
# A plain (non-editable) install from the wheels built above, nothing fetched at this step.
RUN pip install --no-index --find-links=/wheels skis-bot \
    && rm -rf /wheels \
    && python -c "import zoneinfo; zoneinfo.ZoneInfo('Europe/Stockholm')" \
    && skis-bot --version

# The service never needs root. /data is created and owned by the service user before it
# becomes a volume, so a new named volume starts out writable for it.
RUN groupadd --system --gid 10001 skis \
    && useradd --system --uid 10001 --gid skis --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin skis \
    && mkdir /data \
    && chown skis:skis /data \
    && chmod 750 /data
ENV SKIS_DATA_DIR=/data \
    PORT=3978
VOLUME /data
WORKDIR /data
USER skis:skis
EXPOSE 3978

# /healthz answers {"status", "version", "storage"}; 503 when the data directory is unusable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3978') + '/healthz', timeout=4)"]

CMD ["skis-bot", "serve", "--host", "0.0.0.0"]

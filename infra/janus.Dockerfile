# Janus, the SFU, for docker-compose.yml: Debian's package with the project's configuration
# (infra/janus), completed at start by container-entrypoint.sh from the environment.
#   docker build -f infra/janus.Dockerfile -t parley-janus .
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends janus \
 && rm -rf /var/lib/apt/lists/*
COPY infra/janus /etc/parley-janus
RUN chmod +x /etc/parley-janus/container-entrypoint.sh
# The Janus API (only the API container talks to it) and the media ports browsers reach.
EXPOSE 8188 20000-20199/udp
ENTRYPOINT ["/etc/parley-janus/container-entrypoint.sh"]

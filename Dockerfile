# scamsift in a small runtime image: built from source with the Swift toolchain, packaged by
# scripts/package.sh as a .deb (Swift runtime linked in statically), and installed into plain
# Debian, which has no Swift.
#
#   docker build -t scamsift .
#   docker run --rm -v "$PWD:/data" scamsift score /data/page.html
#   docker run --rm -v "$PWD:/data" scamsift batch /data/urls.txt --out /data/results.jsonl
#
# The build image and the runtime image must be the same Debian release: the .deb depends on
# that release's libxml2, ICU and SQLite.
ARG SWIFT_IMAGE=swift:6.2-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libxml2-dev libicu-dev zlib1g-dev libsqlite3-dev pkg-config dpkg-dev binutils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The checks run against this image's toolchain; the runtime stage below is the real proof.
RUN scripts/package.sh --out /dist --no-check

FROM ${RUNTIME_IMAGE}
COPY --from=build /dist/*.deb /tmp/
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/scamsift_*.deb ca-certificates \
 && rm -rf /var/lib/apt/lists/* /tmp/*.deb \
 && scamsift score /usr/share/doc/scamsift/examples/legit-example.html >/dev/null
RUN useradd --system --create-home scamsift
USER scamsift
WORKDIR /data
ENV SCAMSIFT_CACHE_DIR=/tmp/scamsift-cache
ENTRYPOINT ["scamsift"]
CMD ["--help"]

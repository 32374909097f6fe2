# syntax=docker/dockerfile:1.7
# One image per program: docker build --build-arg SERVICE=chat-api -t todo/chat-api .
# SERVICE is one of scripts/binaries.ts: chat-api, audit, notification, recurring-task,
# websocket, site, smoke. The builder compiles it with `bun build --compile` into one
# executable (the same command as `bun run build:binaries`, proven by tests/binaries);
# the final stage is distroless: glibc only (`ldd` of a Bun executable lists libc, libm,
# libdl, libpthread), no shell, no package manager, user nonroot (65532).
# For arm64 nodes: docker buildx build --platform linux/arm64 (TARGETARCH picks the Bun target).

ARG BUN_VERSION=1.4.5

FROM oven/bun:${BUN_VERSION}-debian AS build
ARG SERVICE
ARG TARGETARCH=amd64
WORKDIR /src
# Manifests first, so the dependency layer is reused until bun.lock changes.
COPY package.json bun.lock bunfig.toml ./
COPY services/audit/package.json services/audit/
COPY services/chat-api/package.json services/chat-api/
COPY services/common/package.json services/common/
COPY services/embedded/package.json services/embedded/
COPY services/notification/package.json services/notification/
COPY services/recurring-task/package.json services/recurring-task/
COPY services/websocket/package.json services/websocket/
COPY site/package.json site/
COPY testkit/package.json testkit/
RUN bun install --frozen-lockfile
COPY . .
RUN test -n "$SERVICE" || (echo "--build-arg SERVICE=<program> is required" >&2; exit 1)
RUN target=bun-linux-x64; [ "$TARGETARCH" = "arm64" ] && target=bun-linux-arm64; \
    bun scripts/build-binaries.ts --target "$target" --outdir /out "$SERVICE"
# The site image carries the built site next to its server; the others an empty directory.
RUN mkdir -p /out/site-dist && if [ "$SERVICE" = "site" ]; then bun run build:site && cp -r site/dist/. /out/site-dist/; fi

FROM gcr.io/distroless/base-debian12:nonroot
ARG SERVICE
WORKDIR /app
COPY --from=build /out/${SERVICE} /app/program
COPY --from=build /out/site-dist /app/site
USER nonroot:nonroot
# Nothing is written at run time except temporary files: mount an emptyDir on /tmp and run
# with readOnlyRootFilesystem (the chart does).
ENV TMPDIR=/tmp PORT=8080 SITE_DIR=/app/site
EXPOSE 8080
ENTRYPOINT ["/app/program"]

# syntax=docker/dockerfile:1
# One image for every MedCollab process; the command picks it:
#   node gateway/src/index.js | node services/<name>/src/index.js | node services/<name>/src/worker.js
#   node scripts/migrate.js (the per-release migrations Job) | node scripts/replay-parked.js …
# The build stage compiles once (`pnpm build:dist`, tsc with decorator metadata for TypeORM) and
# installs production dependencies only into dist/; the runtime stage is plain Node with that
# directory, no pnpm, no TypeScript, no dev dependencies, run as the unprivileged `node` user
# (docs/adr/0007-compiled-production-image.md).

FROM node:20.20.2-bookworm-slim AS build
RUN npm i -g pnpm@12.4.2
WORKDIR /src
# `pnpm fetch` needs only the lockfile, so the dependency layer survives source changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
 && pnpm build:dist --install

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
# Owned by root and not writable by the process: the pods also mount the root filesystem read-only.
COPY --from=build /src/dist ./
# The image's `node` user, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 4000
CMD ["node", "gateway/src/index.js"]

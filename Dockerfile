# One image for every MedCollab process; the command picks the process (subgraph, worker, gateway).
# Services run from TypeScript sources with tsx (docs/adr/0001-runtime-and-layout.md).
FROM node:20-bookworm-slim
WORKDIR /app
RUN npm i -g pnpm@12.4.2
# `pnpm fetch` needs only the lockfile, so the dependency layer survives source changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
ENV NODE_ENV=production
USER node
CMD ["node", "--import", "tsx", "gateway/src/index.ts"]

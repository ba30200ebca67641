# One image for every MedCollab process; the command picks the process (subgraph, worker, gateway).
# Services run from TypeScript sources with tsx (docs/adr/0001-runtime-and-layout.md).
FROM node:20-bookworm-slim
WORKDIR /app
RUN npm i -g pnpm@12.4.2
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
COPY packages/kit/package.json packages/kit/
COPY packages/events/package.json packages/events/
COPY packages/testing/package.json packages/testing/
COPY gateway/package.json gateway/
COPY services/network/package.json services/network/
COPY bench/package.json bench/
RUN pnpm install --frozen-lockfile
COPY . .
ENV NODE_ENV=production
USER node
CMD ["node", "--import", "tsx", "gateway/src/index.ts"]

# syntax=docker/dockerfile:1
#
# Waymark container image, following the conventions of the official Node.js image:
# a slim Debian base, a multi-stage build, production dependencies only, the non-root
# `node` user, NODE_ENV=production. See docs/DEPLOY.md ("Docker").
#
#   docker build -t waymark .
#   docker run -p 3000:3000 -v waymark-data:/data -e WAYMARK_SECRET_KEY=… waymark
#
# The default command is the single-process `start` on SQLite in /data. For scale-out,
# set DATABASE_URL=postgres://… and run `node dist/cli/main.js migrate`, `… serve` or
# `… worker` instead.

ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies. better-sqlite3 downloads a prebuilt binary when one matches
# the platform and compiles from source otherwise, which needs python3, make and g++.
FROM ${NODE_IMAGE} AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Compiles TypeScript with the dev dependencies; only dist/ leaves this stage.
FROM deps AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# The benchmarks need dev dependencies and are not part of the runtime.
RUN npm run build --silent && rm -rf dist/bench

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WAYMARK_DATA_DIR=/data
WORKDIR /app
# Application files stay owned by root: the `node` user can read them but not change them.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# package.json marks dist/ as ES modules and carries the version Waymark reports.
COPY package.json LICENSE ./
# The only writable place: the SQLite database and the generated secret key.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Liveness only (no database check); the slim image has no curl, Node has fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli/main.js", "start"]

# syntax=docker/dockerfile:1
# The dashboard as one container: server/main.ts serves the Next.js app and
# the WebSocket gateway on one port and, with KALSHI_ENV=sim and no
# KALSHI_REST_URL, embeds the simulated exchange. Point it at Kalshi with
# KALSHI_ENV=demo|prod and at Postgres with DATABASE_URL (see compose.yaml).
# .ci/container-smoke.ts assembles exactly what the final stage copies and
# runs the smoke e2e against it, since CI has no container engine.

ARG NODE_IMAGE=node:20-bookworm-slim

# ── dependencies for the build (dev tools included) ─────────────────────────
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ── production dependencies only ────────────────────────────────────────────
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ── the Next.js production build ────────────────────────────────────────────
FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build && rm -rf .next/cache

# ── runtime ─────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    NEXT_TELEMETRY_DISABLED=1
# The custom server runs TypeScript through tsx (a production dependency) and
# loads the built app from .next; tsconfig.json carries the @/ path alias.
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/.next ./.next
COPY --chown=node:node package.json tsconfig.json next.config.ts auth.ts ./
COPY --chown=node:node public ./public
COPY --chown=node:node server ./server
COPY --chown=node:node lib ./lib
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
# The image's own unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Liveness and readiness: /api/health answers 200 when the database and the
# exchange (or the embedded simulator) are reachable, 503 otherwise.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: the server stops accepting, closes gateway sockets with 1001,
# finishes in-flight requests and exits within its grace period (5 s).
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "server/main.ts"]

# syntax=docker/dockerfile:1
# One image, one controller per region: `docker run ... failover daemon --region R`.

# ---- build: compile TypeScript with the dev toolchain ----
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies only, non-root ----
FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY runbooks ./runbooks
COPY config ./config
# bin/failover.js (package.json's bin) runs dist/ because the image has no src/.
RUN chmod 0755 /app/bin/failover.js && ln -s /app/bin/failover.js /usr/local/bin/failover
# The image's unprivileged `node` user (uid 1000): the controller needs no root.
USER node
EXPOSE 8080
# The daemon binds 127.0.0.1 unless told otherwise; inside a container the
# probe below runs in the same network namespace, and the CMD opts in to
# 0.0.0.0 so Kubernetes/ECS can reach /healthz and /metrics.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# One controller does a cycle every 10 s, and V8's defaults size the heap for
# throughput: a 1 MB semi-space and --optimize-for-size keep one controller's
# peak RSS near 120 MB instead of about 200 MB (npm run bench, "one
# controller as the image runs it"; --optimize-for-size is a V8 flag that
# NODE_OPTIONS refuses, hence node here). The old generation is not capped:
# a controller out of memory mid-incident is worse than a larger container.
ENTRYPOINT ["node", "--max-semi-space-size=1", "--optimize-for-size", "/app/bin/failover.js"]
CMD ["daemon", "--config", "/etc/failover/config.yaml", "--host", "0.0.0.0", "--port", "8080"]

# The monitor's container image: `docker build -t kube-resource-monitor:0.1.0 .`
# Runs the TypeScript sources through tsx (no separate build step); better-sqlite3 is compiled in the build stage.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 g++ make \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin bin
COPY src src
COPY migrations migrations
COPY scenarios scenarios

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production
# The database lives on a volume at /app/data (store.path defaults to data/k8s_metrics.db under /app).
RUN mkdir -p /app/data && chown 10001:10001 /app/data
USER 10001:10001
EXPOSE 8000
# A 64 MiB young generation: a collection cycle parses and drops hundreds of megabytes of JSON, and with the default
# 16 MiB most of it was promoted and traced by full collections of a heap holding a million series heads (half the
# garbage collector's time at 225,000 containers).
ENTRYPOINT ["node", "--max-semi-space-size=32", "--heap-growing-percent=30", "bin/krm.js"]
CMD ["serve"]

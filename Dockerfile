# The API image: `docker build -t coverage-api .`, run with DATABASE_URL (and the settings in .env.example).
# Build stage: all dependencies, compile TypeScript (src + migrations) to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Runtime stage: the compiled API and its production dependencies only, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The upload spool compose shares between instances: a new volume takes this folder's owner.
RUN mkdir -p /var/lib/coverage/uploads && chown node:node /var/lib/coverage/uploads
USER node
EXPOSE 3000
# Liveness only (no database): readiness is /ready, for the load balancer.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrations run at start; SIGTERM drains in-flight requests (give the container 30 s to stop).
CMD ["node", "--max-semi-space-size=32", "dist/src/main.js"]

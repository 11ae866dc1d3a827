# One image for every KartShoppe service; compose picks the command per service:
#   node services/checkout-api/dist/main.js | services/inventory-processor/dist/main.js | services/cdc-worker/dist/main.js
# Build: docker build -t kartshoppe-ts .
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is cached while sources change.
COPY package.json package-lock.json ./
COPY services/contracts/package.json services/contracts/
COPY services/runtime/package.json services/runtime/
COPY services/checkout-api/package.json services/checkout-api/
COPY services/inventory-processor/package.json services/inventory-processor/
COPY services/cdc-worker/package.json services/cdc-worker/
COPY frontend/package.json frontend/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY services services
COPY frontend frontend
COPY data data
COPY infra/migrations infra/migrations
RUN npx tsc -b tsconfig.build.json && npm run build -w frontend --if-present \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/services services
COPY --from=build /app/frontend/dist frontend/dist
COPY --from=build /app/data data
COPY --from=build /app/infra/migrations infra/migrations
# The processor keeps its local state store under .data (a volume in compose).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8081 8091 8092
CMD ["node", "services/checkout-api/dist/main.js"]

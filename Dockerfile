# The Steward GitHub App as a container image (README, "The GitHub App"):
#   docker build -t steward-app .
#   docker run -p 3000:3000 -e APP_ID -e WEBHOOK_SECRET -e PRIVATE_KEY steward-app
# Node 24 runs the TypeScript sources as they are (type stripping): no build step.
FROM node:24-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /steward
COPY package.json package-lock.json ./
# Runtime dependencies only; none of them needs an install script.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY src ./src
COPY app ./app
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) lets running handlers finish, up to SHUTDOWN_GRACE_SECONDS (25).
CMD ["node", "app/main.ts"]

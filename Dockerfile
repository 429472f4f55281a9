# The Steward GitHub App as a container image (README, "The GitHub App"):
#   docker build -t steward-app .
#   docker run -p 3000:3000 -e APP_ID -e WEBHOOK_SECRET -e PRIVATE_KEY steward-app
# The app is one committed bundle (app/dist/main.mjs, written by `npm run build`) with every
# dependency inside: no install step, nothing but Node.
FROM node:24-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /steward
COPY package.json ./
COPY app/dist ./app/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) lets running handlers finish, up to SHUTDOWN_GRACE_SECONDS (25).
CMD ["node", "app/dist/main.mjs"]

# Shop Sync's production image, shaped like Shopify's app template's Dockerfile and running the
# commands CI runs (.ci/run): `npm install` from the lockfile, `npm run setup`, `npm run build`, and at
# start `npm run docker-start` (`npm run setup && npm run start`). tests/dev-loop/dockerfile.test.ts
# holds the two to the same commands. docs/decisions/0025-shopify-app-dev-loop.md explains the choices.
#
# Debian, not Alpine: better-sqlite3 ships prebuilt binaries for glibc, and this image's compilers
# build it when none fits. Prisma runs its WebAssembly engines (prisma.config.ts), so no OpenSSL.
FROM node:22-bookworm

EXPOSE 3000
WORKDIR /app

# Packages first, so a change to the code reuses this layer. `npm install` from the committed
# lockfile rather than `npm ci`, as CI does (docs/decisions/0001-node-22-from-npm.md). Every package,
# development ones included: the build needs Vite and Remix's compiler, and `npm run worker` runs tsx.
COPY package.json package-lock.json .npmrc ./
RUN npm install --no-audit --no-fund && npm cache clean --force

COPY . .
# Shopify's Admin schema, the Prisma clients and the migrations, then the build. The SQLite file the
# migrations create here is removed: the database the container uses is migrated when it starts.
RUN npm run setup && npm run build && rm -f prisma/dev.sqlite*

ENV NODE_ENV=production
# `npm start` is `tsx server.ts`: the app's own server (webhook ingest on node:http, the rest through
# Express and Remix; docs/decisions/0027-lean-ingest-server.md), which drains on SIGTERM (ADR 0028).
CMD ["npm", "run", "docker-start"]

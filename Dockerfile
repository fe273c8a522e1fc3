# The app image for docker-compose.yml. Build context: the repository root.
FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY package.json package-lock.json ./
# Leaflet, Leaflet-Geoman and Leaflet.VectorGrid only: the demo-data sources (devDependencies) are not needed at run time.
RUN npm ci --omit=dev --no-audit --no-fund

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/SettlementMap.Web/SettlementMap.Web.csproj src/SettlementMap.Web/
RUN dotnet restore src/SettlementMap.Web/SettlementMap.Web.csproj
COPY src/ src/
# Embedded in the app: the password policy's list of common passwords.
COPY data/common-passwords.txt data/
RUN dotnet publish src/SettlementMap.Web/SettlementMap.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY wwwroot/ ./wwwroot/
COPY data/ ./data/
COPY --from=web /src/node_modules/leaflet ./node_modules/leaflet
COPY --from=web /src/node_modules/@geoman-io ./node_modules/@geoman-io
COPY --from=web /src/node_modules/leaflet.vectorgrid ./node_modules/leaflet.vectorgrid
# ProjectPaths looks for wwwroot/, data/ and node_modules/ here.
ENV SETTLEMENTMAP_ROOT=/app \
    ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
# Keys of earlier versions in /app/.data/keys (copied into the database at first use); import uploads in
# /app/.data/imports-shared, a volume every instance mounts (docker-compose.yml). Created here so the volumes start owned by app.
RUN mkdir -p /app/.data/keys /app/.data/imports-shared && chown -R app /app/.data
USER app
# The runtime image has no curl or wget: the app itself asks /health/ready (exit 0 when it answers 200).
HEALTHCHECK --interval=10s --timeout=6s --start-period=60s --retries=3 CMD ["dotnet", "SettlementMap.Web.dll", "healthcheck", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "SettlementMap.Web.dll"]

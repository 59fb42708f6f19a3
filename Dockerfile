# syntax=docker/dockerfile:1
# Production image: a static binary on distroless, running as non-root.
# The binary embeds migrations, web assets and the Asia/Shanghai zone data.
# The Go of go.mod: the image sets GOTOOLCHAIN=local, so an older 1.26.x
# would refuse to build.
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY api ./api
COPY cmd ./cmd
COPY internal ./internal
COPY migrations ./migrations
COPY web ./web
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/gradzone ./cmd/gradzone \
 && mkdir -p /out/uploads

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gradzone /usr/local/bin/gradzone
# The upload folder must exist, owned by nonroot, before a volume is mounted on it.
COPY --from=build --chown=65532:65532 /out/uploads /var/lib/gradzone/uploads
COPY configs /etc/gradzone
ENV GRADZONE_CONFIG=/etc/gradzone/gradzone.yaml \
    GRADZONE_HTTP_ADDR=0.0.0.0:8080 \
    GRADZONE_UPLOAD_DIR=/var/lib/gradzone/uploads
USER nonroot:nonroot
EXPOSE 8080
# For Docker and compose (Kubernetes uses its own probes): no HTTP client in
# distroless, so the binary asks its own serve.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/gradzone", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/gradzone"]
CMD ["serve"]

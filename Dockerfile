# s3csi image: s3csi (CSI plugin), s3csi-mounterd (serves the mounts) and s3mount, on Debian 12.
#
# The build stage runs the same dependency script and the same CMake configuration as CI
# (scripts/test.sh), so CI's build and tests prove what goes into the image; deploy/check-image.sh,
# run by CI, checks that every file named here exists and that the runtime package list provides
# every shared library the built binaries load.
#
#   docker build -t s3csi:0.1.0 .
FROM debian:12 AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN bash scripts/install-deps.sh --build && rm -rf /var/lib/apt/lists/*
COPY . .
# CI's configuration (RelWithDebInfo, warnings as errors), without the benchmarks; stripped on install.
RUN cmake -S . -B build -G Ninja -DS3_WERROR=ON -DS3_BUILD_BENCH=OFF \
 && ninja -C build s3mount s3csi s3csi-mounterd \
 && DESTDIR=/out cmake --install build --prefix /usr/local --strip \
 && for b in s3mount s3csi s3csi-mounterd; do \
      test -x "/out/usr/local/bin/$b" || { echo "$b was not installed (no install() rule?)" >&2; exit 1; }; \
    done

FROM debian:12
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh --runtime && rm -rf /var/lib/apt/lists/* /tmp/install-deps.sh
COPY --from=build /out/usr/local/bin/ /usr/local/bin/
# Unprivileged by default. The chart runs the controller as this user; the node plugin runs as
# root, privileged (mount(2)), and mounterd as root without capabilities (host socket directory).
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/s3csi"]

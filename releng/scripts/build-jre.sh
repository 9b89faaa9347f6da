#!/bin/bash
# Makes a small Java runtime with jlink for machines without Java (the GPU servers), from the JDK in JAVA_HOME
# (21 or newer). JDKs without jmods/ (Temurin 24+) link from their own run-time image.
#   releng/scripts/build-jre.sh <out-dir>
set -euo pipefail
OUT=${1:?usage: build-jre.sh <out-dir>}
JDK=${JAVA_HOME:?set JAVA_HOME to a JDK 21+}
# java.desktop: ImageIO and headless Java2D (PNG, charts); java.xml: the Equinox extension registry; the rest are
# used by Equinox, DJL/JNA and ONNX Runtime.
MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.xml,java.sql,java.instrument,jdk.unsupported,jdk.zipfs
# JRE_EXTRA_MODULES: more modules for a product that needs them (the workbench's CSS engine: jdk.xml.dom)
MODULES="$MODULES${JRE_EXTRA_MODULES:+,$JRE_EXTRA_MODULES}"
rm -rf "$OUT"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --output "$OUT"
if command -v strip >/dev/null 2>&1; then
  find "$OUT" -name '*.so' -exec strip --strip-unneeded {} \; 2>/dev/null || true
fi
"$OUT/bin/java" -version 2>&1 | head -1

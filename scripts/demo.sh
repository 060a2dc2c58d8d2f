#!/usr/bin/env bash
# Quick start, part one: builds the dump tool and decodes a recorded MQTT 5.0 session
# (examples/captures/), printing one JSON object per packet.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh demo
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release -DMQTTCODEC_BUILD_TESTS=OFF \
  -DMQTTCODEC_BUILD_BENCH=OFF -DMQTTCODEC_BUILD_FUZZ=OFF -DMQTTCODEC_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/demo --target mqtt_dump -j "$(nproc)" >/dev/null
capture=${1:-examples/captures/mosquitto_v5_session.bin}
echo "# mqtt_dump --reencode $capture"
build/demo/examples/mqtt_dump --reencode "$capture"

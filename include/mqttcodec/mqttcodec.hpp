// mqttcodec: the whole library except the allocating topic index (topic_index.hpp).
#ifndef MQTTCODEC_MQTTCODEC_HPP
#define MQTTCODEC_MQTTCODEC_HPP

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/error.hpp"
#include "mqttcodec/frame.hpp"
#include "mqttcodec/packet.hpp"
#include "mqttcodec/properties.hpp"
#include "mqttcodec/reason_codes.hpp"
#include "mqttcodec/result.hpp"
#include "mqttcodec/sink.hpp"
#include "mqttcodec/topic.hpp"
#include "mqttcodec/types.hpp"
#include "mqttcodec/utf8.hpp"
#include "mqttcodec/version.hpp"
#include "mqttcodec/wire.hpp"

#endif

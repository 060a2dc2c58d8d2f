'use strict'
// Shared parts of the differential test against mqtt-packet (forward.js, reverse.js): argument
// handling, the skip when node_modules is missing, running mqtt_dump, and the one normalized
// form both sides are turned into before they are compared.
//
// Normalized packet (key order fixed, so JSON.stringify compares):
//   {type, ...fields under mqtt_dump's names..., properties?}
// with binary values in lower-case hex, Payload Format Indicator as 0/1, PUBLISH's
// subscription identifiers as a list, and user properties as a list of [name, value] pairs
// (`ordered`) or, where one side cannot keep the order between different names, as
// [name, [values...]] groups sorted by name (`grouped`, see docs/interop-notes.md).

const path = require('path')
const { spawnSync } = require('child_process')

const SKIP = 77

function parseArgs (argv) {
  const args = { dump: null, gen: null, seed: 20240611, count: 3000 }
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]
    const v = argv[i + 1]
    if (a === '--dump') { args.dump = v; i++ } else if (a === '--gen') { args.gen = v; i++ } else if (a === '--seed') { args.seed = Number(v); i++ } else if (a === '--count') { args.count = Number(v); i++ } else if (a === '--verbose') { args.verbose = true } else {
      console.error(`unknown argument ${a}`)
      process.exit(2)
    }
  }
  // A different seed explores further without editing the test: MQTTCODEC_DIFF_SEED=n ctest ...
  if (process.env.MQTTCODEC_DIFF_SEED) args.seed = Number(process.env.MQTTCODEC_DIFF_SEED)
  if (process.env.MQTTCODEC_DIFF_COUNT) args.count = Number(process.env.MQTTCODEC_DIFF_COUNT)
  if (!args.dump) {
    console.error('usage: node ' + path.basename(argv[1]) + ' --dump MQTT_DUMP [--gen GEN_PACKETS] [--seed N] [--count N]')
    process.exit(2)
  }
  return args
}

// mqtt-packet comes from tests/diff/node_modules (`npm ci` there). Without it the test cannot
// run: say so and exit with the code ctest reports as skipped.
function loadMqttPacket () {
  try {
    return require(path.join(__dirname, 'node_modules', 'mqtt-packet'))
  } catch (e) {
    console.log('SKIP: mqtt-packet is not installed: run `npm ci` in tests/diff (' + e.code + ')')
    process.exit(SKIP)
  }
}

// Runs one of our programs. In a cross build MQTTCODEC_EMULATOR (e.g. "qemu-ppc -L
// /usr/powerpc-linux-gnu") runs it.
function runProgram (program, args, options) {
  const emulator = (process.env.MQTTCODEC_EMULATOR || '').split(/\s+/).filter(w => w.length > 0)
  if (emulator.length === 0) return spawnSync(program, args, options)
  return spawnSync(emulator[0], emulator.slice(1).concat([program], args), options)
}

// Runs mqtt_dump over hex lines of one version; returns one parsed JSON object per line.
function runDump (dump, version, hexLines, reencode) {
  const args = ['--hex', '--version', version === 5 ? '5.0' : '3.1.1']
  if (reencode) args.push('--reencode')
  const r = runProgram(dump, args, { input: hexLines.join('\n') + '\n', maxBuffer: 1 << 30 })
  if (r.error) throw r.error
  if (r.status === 2) throw new Error('mqtt_dump usage error: ' + r.stderr.toString())
  const out = r.stdout.toString().split('\n').filter(l => l.length > 0).map(l => JSON.parse(l))
  if (out.length !== hexLines.length) {
    throw new Error(`mqtt_dump printed ${out.length} lines for ${hexLines.length} packets`)
  }
  return out
}

// mqtt-packet's camelCase property names and mqtt_dump's spec names.
const PROPERTY_NAMES = {
  payloadFormatIndicator: 'payload_format_indicator',
  messageExpiryInterval: 'message_expiry_interval',
  contentType: 'content_type',
  responseTopic: 'response_topic',
  correlationData: 'correlation_data',
  subscriptionIdentifier: 'subscription_identifier',
  sessionExpiryInterval: 'session_expiry_interval',
  assignedClientIdentifier: 'assigned_client_identifier',
  serverKeepAlive: 'server_keep_alive',
  authenticationMethod: 'authentication_method',
  authenticationData: 'authentication_data',
  requestProblemInformation: 'request_problem_information',
  willDelayInterval: 'will_delay_interval',
  requestResponseInformation: 'request_response_information',
  responseInformation: 'response_information',
  serverReference: 'server_reference',
  reasonString: 'reason_string',
  receiveMaximum: 'receive_maximum',
  topicAliasMaximum: 'topic_alias_maximum',
  topicAlias: 'topic_alias',
  maximumQoS: 'maximum_qos',
  retainAvailable: 'retain_available',
  userProperties: 'user_properties',
  maximumPacketSize: 'maximum_packet_size',
  wildcardSubscriptionAvailable: 'wildcard_subscription_available',
  subscriptionIdentifiersAvailable: 'subscription_identifier_available',
  sharedSubscriptionAvailable: 'shared_subscription_available'
}

// The properties each packet may carry, in the order mqttcodec writes them (the field lists
// of include/mqttcodec/properties.hpp); reverse.js generates from these and reorders by them.
const PACKET_PROPERTIES = {
  connect: ['sessionExpiryInterval', 'receiveMaximum', 'maximumPacketSize', 'topicAliasMaximum',
    'requestResponseInformation', 'requestProblemInformation', 'userProperties',
    'authenticationMethod', 'authenticationData'],
  will: ['willDelayInterval', 'payloadFormatIndicator', 'messageExpiryInterval', 'contentType',
    'responseTopic', 'correlationData', 'userProperties'],
  connack: ['sessionExpiryInterval', 'receiveMaximum', 'maximumQoS', 'retainAvailable',
    'maximumPacketSize', 'assignedClientIdentifier', 'topicAliasMaximum', 'reasonString',
    'userProperties', 'wildcardSubscriptionAvailable', 'subscriptionIdentifiersAvailable',
    'sharedSubscriptionAvailable', 'serverKeepAlive', 'responseInformation', 'serverReference',
    'authenticationMethod', 'authenticationData'],
  publish: ['payloadFormatIndicator', 'messageExpiryInterval', 'contentType', 'responseTopic',
    'correlationData', 'subscriptionIdentifier', 'topicAlias', 'userProperties'],
  puback: ['reasonString', 'userProperties'],
  pubrec: ['reasonString', 'userProperties'],
  pubrel: ['reasonString', 'userProperties'],
  pubcomp: ['reasonString', 'userProperties'],
  subscribe: ['subscriptionIdentifier', 'userProperties'],
  suback: ['reasonString', 'userProperties'],
  unsubscribe: ['userProperties'],
  unsuback: ['reasonString', 'userProperties'],
  disconnect: ['sessionExpiryInterval', 'reasonString', 'userProperties', 'serverReference'],
  auth: ['authenticationMethod', 'authenticationData', 'reasonString', 'userProperties']
}

const hex = b => Buffer.from(b).toString('hex')

// mqtt-packet's user properties object ({name: value | [values]}) as [name, value] pairs in the
// order its generator writes them (Object.getOwnPropertyNames order).
function userPropsObjectToPairs (obj) {
  const pairs = []
  for (const name of Object.getOwnPropertyNames(obj)) {
    const v = obj[name]
    if (Array.isArray(v)) {
      for (const x of v) pairs.push([name, String(x)])
    } else {
      pairs.push([name, String(v)])
    }
  }
  return pairs
}

// [name, value] pairs as groups [name, [values in order]] sorted by name: all that survives
// mqtt-packet's parser, which collects user properties into an object keyed by name.
function groupPairs (pairs) {
  const groups = new Map()
  for (const [n, v] of pairs) {
    if (!groups.has(n)) groups.set(n, [])
    groups.get(n).push(v)
  }
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

function sortKeys (obj) {
  const out = {}
  for (const k of Object.keys(obj).sort()) out[k] = obj[k]
  return out
}

// mqtt-packet properties object -> normalized properties (or undefined when there are none).
function propsFromJs (props, type, userMode) {
  if (!props) return undefined
  const out = {}
  for (const name of Object.keys(props)) {
    const v = props[name]
    if (v === undefined || v === null) continue
    const snake = PROPERTY_NAMES[name]
    if (!snake) throw new Error('unknown mqtt-packet property ' + name)
    if (name === 'userProperties') {
      const pairs = userPropsObjectToPairs(v)
      if (pairs.length) out.user_properties = userMode === 'grouped' ? groupPairs(pairs) : pairs
    } else if (name === 'subscriptionIdentifier' && type === 'publish') {
      out.subscription_identifiers = Array.isArray(v) ? v.slice() : [v]
    } else if (name === 'payloadFormatIndicator') {
      out[snake] = v ? 1 : 0
    } else if (Buffer.isBuffer(v)) {
      out[snake] = hex(v)
    } else {
      out[snake] = v
    }
  }
  return Object.keys(out).length ? sortKeys(out) : undefined
}

// mqtt_dump properties -> normalized properties.
function propsFromDump (props, userMode) {
  if (!props) return undefined
  const out = {}
  for (const k of Object.keys(props)) {
    if (k === 'user_properties') {
      out[k] = userMode === 'grouped' ? groupPairs(props[k]) : props[k]
    } else {
      out[k] = props[k]
    }
  }
  return Object.keys(out).length ? sortKeys(out) : undefined
}

function withProps (o, props) {
  if (props !== undefined) o.properties = props
  return o
}

const bufHex = v => (v === undefined || v === null ? '' : hex(typeof v === 'string' ? Buffer.from(v, 'utf8') : v))

// An mqtt-packet packet object (as its parser emits it, or as given to its generator) in
// normalized form. `version` is 4 or 5 (the connection's; CONNECT carries its own).
function fromJs (p, version, userMode) {
  const v5 = version === 5
  const t = p.cmd
  switch (t) {
    case 'connect': {
      const cv = p.protocolVersion || 4
      const o = {
        type: t,
        version: cv === 5 ? '5.0' : cv === 4 ? '3.1.1' : '3.1',
        client_id: p.clientId || '',
        clean_start: p.clean === undefined ? true : !!p.clean,
        keep_alive: p.keepalive || 0
      }
      if (p.will) {
        o.will = withProps({
          topic: p.will.topic,
          payload: bufHex(p.will.payload),
          qos: p.will.qos || 0,
          retain: !!p.will.retain
        }, cv === 5 ? propsFromJs(p.will.properties, 'will', userMode) : undefined)
      }
      if (p.username !== undefined && p.username !== null) o.username = p.username
      if (p.password !== undefined && p.password !== null) o.password = bufHex(p.password)
      return withProps(o, cv === 5 ? propsFromJs(p.properties, t, userMode) : undefined)
    }
    case 'connack':
      return withProps({
        type: t,
        session_present: !!p.sessionPresent,
        code: v5 ? p.reasonCode : p.returnCode
      }, v5 ? propsFromJs(p.properties, t, userMode) : undefined)
    case 'publish': {
      const o = {
        type: t,
        topic: p.topic,
        payload: bufHex(p.payload),
        qos: p.qos || 0,
        retain: !!p.retain,
        dup: !!p.dup
      }
      if (o.qos > 0) o.packet_id = p.messageId
      return withProps(o, v5 ? propsFromJs(p.properties, t, userMode) : undefined)
    }
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': {
      const o = { type: t, packet_id: p.messageId }
      if (v5) o.reason_code = p.reasonCode || 0
      return withProps(o, v5 ? propsFromJs(p.properties, t, userMode) : undefined)
    }
    case 'subscribe':
      return withProps({
        type: t,
        packet_id: p.messageId,
        subscriptions: p.subscriptions.map(s => {
          const o = { topic_filter: s.topic, max_qos: s.qos }
          if (v5) {
            o.no_local = !!s.nl
            o.retain_as_published = !!s.rap
            o.retain_handling = s.rh || 0
          }
          return o
        })
      }, v5 ? propsFromJs(p.properties, t, userMode) : undefined)
    case 'suback':
      return withProps({ type: t, packet_id: p.messageId, reason_codes: p.granted.slice() },
        v5 ? propsFromJs(p.properties, t, userMode) : undefined)
    case 'unsubscribe':
      return withProps({ type: t, packet_id: p.messageId, topic_filters: p.unsubscriptions.slice() },
        v5 ? propsFromJs(p.properties, t, userMode) : undefined)
    case 'unsuback': {
      const o = { type: t, packet_id: p.messageId }
      if (v5) o.reason_codes = (p.granted || []).slice()
      return withProps(o, v5 ? propsFromJs(p.properties, t, userMode) : undefined)
    }
    case 'pingreq': case 'pingresp':
      return { type: t }
    case 'disconnect': case 'auth': {
      const o = { type: t }
      if (v5) o.reason_code = p.reasonCode || 0
      return withProps(o, v5 ? propsFromJs(p.properties, t, userMode) : undefined)
    }
  }
  throw new Error('unknown mqtt-packet cmd ' + t)
}

// An mqtt_dump line (a decoded packet) in normalized form.
function fromDump (d, version, userMode) {
  const v5 = version === 5
  const t = d.type
  const props = () => (v5 ? propsFromDump(d.properties, userMode) : undefined)
  switch (t) {
    case 'connect': {
      const o = {
        type: t,
        version: d.version,
        client_id: d.client_id,
        clean_start: d.clean_start,
        keep_alive: d.keep_alive
      }
      if (d.will) {
        o.will = withProps({
          topic: d.will.topic,
          payload: d.will.payload,
          qos: d.will.qos,
          retain: d.will.retain
        }, propsFromDump(d.will.properties, userMode))
      }
      if (d.username !== undefined) o.username = d.username
      if (d.password !== undefined) o.password = d.password
      return withProps(o, propsFromDump(d.properties, userMode))
    }
    case 'connack':
      return withProps({ type: t, session_present: d.session_present, code: v5 ? d.reason_code : d.return_code }, props())
    case 'publish': {
      const o = { type: t, topic: d.topic, payload: d.payload, qos: d.qos, retain: d.retain, dup: d.dup }
      if (d.qos > 0) o.packet_id = d.packet_id
      return withProps(o, props())
    }
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp': {
      const o = { type: t, packet_id: d.packet_id }
      if (v5) o.reason_code = d.reason_code
      return withProps(o, props())
    }
    case 'subscribe':
      return withProps({ type: t, packet_id: d.packet_id, subscriptions: d.subscriptions }, props())
    case 'suback':
      return withProps({ type: t, packet_id: d.packet_id, reason_codes: d.reason_codes }, props())
    case 'unsubscribe':
      return withProps({ type: t, packet_id: d.packet_id, topic_filters: d.topic_filters }, props())
    case 'unsuback': {
      const o = { type: t, packet_id: d.packet_id }
      if (v5) o.reason_codes = d.reason_codes
      return withProps(o, props())
    }
    case 'pingreq': case 'pingresp':
      return { type: t }
    case 'disconnect': case 'auth': {
      const o = { type: t }
      if (v5) o.reason_code = d.reason_code
      return withProps(o, props())
    }
  }
  throw new Error('mqtt_dump: not a packet: ' + JSON.stringify(d))
}

// The first path where two normalized packets differ, for the failure report.
function firstDifference (a, b, at = '') {
  if (JSON.stringify(a) === JSON.stringify(b)) return null
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null ||
      Array.isArray(a) !== Array.isArray(b)) {
    return `${at || '.'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const k of keys) {
    const d = firstDifference(a[k], b[k], at + '.' + k)
    if (d) return d
  }
  return `${at || '.'}: key order differs`
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)

// Notes which properties a normalized 5.0 packet carries, so a test can prove it covered every
// property of every packet (a generator that stopped making one would otherwise go unnoticed).
function noteProperties (seen, n) {
  const add = (type, props) => {
    if (!props) return
    if (!seen[type]) seen[type] = new Set()
    for (const k of Object.keys(props)) seen[type].add(k)
  }
  add(n.type, n.properties)
  if (n.will) add('will', n.will.properties)
}

// The [type, property] pairs 5.0 allows that `seen` lacks, as messages.
function missingProperties (seen) {
  const missing = []
  for (const [type, names] of Object.entries(PACKET_PROPERTIES)) {
    for (const name of names) {
      const snake = type === 'publish' && name === 'subscriptionIdentifier'
        ? 'subscription_identifiers' : PROPERTY_NAMES[name]
      if (!seen[type] || !seen[type].has(snake)) missing.push(`coverage: no 5.0 ${type} carried ${snake}`)
    }
  }
  return missing
}

// Prints the per-version, per-type table and the exclusion counts, then the closing line.
function report (title, counts, exclusions, failures, passed) {
  console.log(title)
  for (const v of Object.keys(counts)) {
    const row = Object.entries(counts[v]).map(([t, n]) => `${t} ${n}`).join(', ')
    console.log(`  version ${v}: ${row}`)
  }
  for (const [name, n] of Object.entries(exclusions)) {
    console.log(`  known divergence ${name}: ${n} (docs/interop-notes.md)`)
  }
  for (const f of failures.slice(0, 20)) console.log('  MISMATCH ' + f)
  if (failures.length > 20) console.log(`  ... and ${failures.length - 20} more`)
  console.log(`${passed} passed, ${failures.length} failed`)
  return failures.length === 0 ? 0 : 1
}

module.exports = {
  SKIP,
  parseArgs,
  loadMqttPacket,
  runProgram,
  runDump,
  PROPERTY_NAMES,
  PACKET_PROPERTIES,
  hex,
  groupPairs,
  userPropsObjectToPairs,
  fromJs,
  fromDump,
  firstDifference,
  same,
  noteProperties,
  missingProperties,
  report
}

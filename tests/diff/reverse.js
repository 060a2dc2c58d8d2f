'use strict'
// Reverse differential test: packets encoded by mqtt-packet, decoded by mqttcodec.
//
//   node reverse.js --dump MQTT_DUMP [--seed N] [--count N]
//
// Builds COUNT random valid packet objects per version (3.1.1 and 5.0, every type), encodes
// each with mqtt-packet's generate(), and decodes the bytes with mqtt_dump --reencode. Checks:
// 1. mqttcodec accepts the bytes and its fields equal the object's (normalized, common.js);
// 2. mqttcodec's re-encoding equals mqtt-packet's bytes, or differs only in ways the spec
//    permits, each counted by category: property order (mqtt-packet writes them in the
//    object's key order, mqttcodec in its own fixed order) and the short forms of 5.0 acks,
//    DISCONNECT and AUTH (a Property Length of 0, or a Reason Code of 0 with no properties,
//    may be left out). A category is granted only when mqtt-packet, given the properties in
//    mqttcodec's order, produces mqttcodec's bytes after exactly that shortening.
// Objects mqtt-packet refuses to encode although the spec allows them are counted under the
// KNOWN_DIVERGENCES rule that explains the refusal (docs/interop-notes.md).

const common = require('./common')

const args = common.parseArgs(process.argv)
const mqtt = common.loadMqttPacket()

// sfc32: a small seeded generator, so the same seed gives the same packets on every node.
function makeRng (seed) {
  let a = 0x9e3779b9; let b = 0x243f6a88; let c = 0xb7e15162; let d = seed >>> 0
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 20; i++) next()
  return next
}
const rand = makeRng(args.seed)
const below = n => Math.floor(rand() * n)
const between = (lo, hi) => lo + below(hi - lo + 1)
const chance = percent => below(100) < percent
const pick = list => list[below(list.length)]

// A code point of valid MQTT UTF-8 (no U+0000, no surrogate), as gen_packets picks them.
function codePoint () {
  const k = below(100)
  if (k < 60) return between(0x20, 0x7e)
  if (k < 64) return chance(50) ? between(0x01, 0x1f) : 0x7f
  if (k < 76) return between(0x80, 0x7ff)
  if (k < 88) {
    const cp = between(0x800, 0xfffd)
    return cp >= 0xd800 && cp <= 0xdfff ? cp + 0x800 : cp
  }
  if (k < 96) return between(0x10000, 0x10ffff)
  return pick([0xfeff, 0xfffe, 0xffff, 0xfdd0, 0x10ffff, 0x1fffe, 0xc0, 0x7ff, 0x800, 0xfffd])
}
const length = (lo, hi) => (chance(5) ? between(lo, 600) : between(lo, hi))
function text (n, forbidden = '') {
  let s = ''
  while (n > 0) {
    const cp = codePoint()
    if (cp < 0x80 && forbidden.includes(String.fromCharCode(cp))) continue
    s += String.fromCodePoint(cp)
    n--
  }
  return s
}
const str = (lo = 0, hi = 20) => text(length(lo, hi))
function bytes (lo, hi) {
  const b = Buffer.alloc(between(lo, hi))
  for (let i = 0; i < b.length; i++) b[i] = below(256)
  return b
}
const payload = () => (chance(2) ? bytes(16384, 20000) : chance(30) ? bytes(0, 8) : bytes(0, 2000))
function topicName () {
  let s = text(length(1, 30), '+#')
  if (chance(20)) s = (chance(50) ? '$SYS/' : '/') + s
  return s
}
function topicFilter (v5) {
  let s = ''
  while (s === '') {
    const levels = between(1, 5)
    const parts = []
    for (let i = 0; i < levels; i++) {
      if (i + 1 === levels && chance(20)) parts.push('#')
      else if (chance(20)) parts.push('+')
      else parts.push(text(length(0, 8), '/+#'))
    }
    s = parts.join('/')
  }
  const shared = v5 && chance(15)
  if (shared) s = '$share/' + text(between(1, 6), '/+#') + '/' + s
  return { filter: s, shared }
}
const packetId = () => (chance(20) ? pick([1, 2, 127, 128, 255, 256, 32767, 32768, 65534, 65535]) : between(1, 65535))
const U32_EDGES = [0, 1, 127, 128, 255, 256, 65535, 65536, 16777215, 16777216, 2147483647,
  2147483648, 4294967294, 4294967295]
const u32 = (lo = 0) => Math.max(lo, chance(40) ? pick(U32_EDGES) : Math.floor(rand() * 4294967296))
const u16 = (lo = 0) => Math.max(lo, chance(40) ? pick([0, 1, 127, 128, 255, 256, 32767, 32768, 65534, 65535]) : below(65536))
const subscriptionId = () => (chance(40) ? pick([1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455]) : between(1, 268435455))

// User properties as mqtt-packet takes them: an object of name -> value or [values]. Names a
// plain object would treat specially are set with defineProperty on a null-prototype object.
function userProperties () {
  const obj = Object.create(null)
  const n = chance(20) ? between(6, 12) : between(1, 4)
  const special = ['__proto__', 'constructor', '0', '10', '2', 'toString', 'length', '', 'a']
  const names = []
  for (let i = 0; i < n; i++) {
    const name = names.length && chance(30) ? pick(names) : chance(25) ? pick(special) : str(0, 12)
    const value = chance(10) ? '' : str(0, 16)
    if (Object.prototype.hasOwnProperty.call(obj, name)) {
      const old = obj[name]
      obj[name] = Array.isArray(old) ? old.concat([value]) : [old, value]
    } else {
      Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true })
      names.push(name)
    }
  }
  return obj
}

function propertyValue (name, type) {
  switch (name) {
    case 'payloadFormatIndicator': case 'requestProblemInformation': case 'requestResponseInformation':
    case 'retainAvailable': case 'wildcardSubscriptionAvailable': case 'subscriptionIdentifiersAvailable':
    case 'sharedSubscriptionAvailable':
      return chance(50)
    case 'maximumQoS': return below(2)
    case 'receiveMaximum': case 'topicAlias': return u16(1)
    case 'topicAliasMaximum': case 'serverKeepAlive': return u16()
    case 'maximumPacketSize': return u32(1)
    case 'sessionExpiryInterval': case 'willDelayInterval': case 'messageExpiryInterval': return u32()
    case 'subscriptionIdentifier':
      // PUBLISH may carry several (§3.3.2.3.8), SUBSCRIBE one (§3.8.2.1.2).
      if (type === 'publish' && chance(50)) return Array.from({ length: between(1, 4) }, subscriptionId)
      return subscriptionId()
    case 'responseTopic': return topicName()
    case 'correlationData': case 'authenticationData': return bytes(0, chance(10) ? 300 : 20)
    case 'userProperties': return userProperties()
    default: return str()
  }
}

// A properties object for `type` with a random subset of the allowed properties, in random key
// order (so mqtt-packet's order usually differs from mqttcodec's); sometimes none, sometimes {}.
function properties (type) {
  if (chance(25)) return chance(30) ? {} : undefined
  const names = common.PACKET_PROPERTIES[type].filter(n => chance(n === 'userProperties' ? 50 : 40))
  for (let i = names.length - 1; i > 0; i--) {
    const j = below(i + 1)
    ;[names[i], names[j]] = [names[j], names[i]]
  }
  const props = {}
  for (const n of names) props[n] = propertyValue(n, type)
  // Authentication Data needs an Authentication Method (5.0 §3.1.2.11.10).
  if (props.authenticationData && props.authenticationMethod === undefined) props.authenticationMethod = str(1, 12)
  return props
}

const V5_CODES = {
  connack: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95,
    0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f],
  puback: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrel: [0x00, 0x92],
  suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  disconnect: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93,
    0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2],
  auth: [0x00, 0x18, 0x19]
}
V5_CODES.pubrec = V5_CODES.puback
V5_CODES.pubcomp = V5_CODES.pubrel
const ackCode = type => (chance(50) ? 0 : pick(V5_CODES[type]))

const TYPES = ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe',
  'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth']

function makePacket (cmd, version) {
  const v5 = version === 5
  const p = { cmd }
  const setProps = type => {
    if (!v5) return
    const props = properties(type)
    if (props !== undefined) p.properties = props
  }
  switch (cmd) {
    case 'connect': {
      p.protocolId = 'MQTT'
      p.protocolVersion = version
      p.clean = chance(50)
      p.keepalive = u16()
      // An empty client identifier needs Clean Session in 3.1.1 [MQTT-3.1.3-7]; 5.0 leaves
      // the choice to the server (§3.1.3.1), so it is tried with either flag.
      p.clientId = chance(15) && (v5 || p.clean) ? '' : str(1, 23)
      if (chance(50)) {
        p.will = { topic: topicName(), payload: chance(20) ? Buffer.alloc(0) : bytes(0, 300), qos: below(3), retain: chance(50) }
        if (v5) {
          const wp = properties('will')
          if (wp !== undefined) p.will.properties = wp
        }
      }
      if (chance(60)) p.username = str(0, 16)
      // 5.0 allows a password without a user name (§3.1.2.9); 3.1.1 does not [MQTT-3.1.2-22].
      if (chance(50) && (v5 || p.username !== undefined)) p.password = bytes(0, 40)
      setProps('connect')
      break
    }
    case 'connack': {
      const code = chance(50) ? 0 : v5 ? pick(V5_CODES.connack) : between(1, 5)
      if (v5) p.reasonCode = code
      else p.returnCode = code
      p.sessionPresent = code === 0 && chance(50)
      setProps('connack')
      break
    }
    case 'publish': {
      p.qos = below(3)
      p.retain = chance(50)
      p.dup = p.qos > 0 && chance(50)
      if (p.qos > 0) p.messageId = packetId()
      p.payload = payload()
      p.topic = topicName()
      if (v5) {
        setProps('publish')
        if (chance(15)) {
          p.properties = p.properties || {}
          p.properties.topicAlias = between(1, 65535)
        }
        // An empty topic name stands for the one the Topic Alias names (§3.3.2.1).
        if (p.properties && p.properties.topicAlias && chance(50)) p.topic = ''
      }
      break
    }
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp':
      p.messageId = packetId()
      if (v5) {
        p.reasonCode = ackCode(cmd)
        setProps(cmd)
      }
      break
    case 'subscribe':
      p.messageId = packetId()
      p.subscriptions = Array.from({ length: between(1, 6) }, () => {
        const { filter, shared } = topicFilter(v5)
        const s = { topic: filter, qos: below(3) }
        if (v5) {
          // No Local on a shared subscription is a Protocol Error [MQTT-3.8.3-4].
          s.nl = !shared && chance(50)
          s.rap = chance(50)
          s.rh = below(3)
        }
        return s
      })
      setProps('subscribe')
      break
    case 'suback':
      p.messageId = packetId()
      p.granted = Array.from({ length: between(1, 10) }, () => (v5 ? pick(V5_CODES.suback) : pick([0, 1, 2, 0x80])))
      setProps('suback')
      break
    case 'unsubscribe':
      p.messageId = packetId()
      p.unsubscriptions = Array.from({ length: between(1, 6) }, () => topicFilter(v5).filter)
      setProps('unsubscribe')
      break
    case 'unsuback':
      p.messageId = packetId()
      if (v5) p.granted = Array.from({ length: between(1, 10) }, () => pick(V5_CODES.unsuback))
      setProps('unsuback')
      break
    case 'disconnect': case 'auth':
      if (v5) {
        p.reasonCode = ackCode(cmd)
        setProps(cmd)
        // Every AUTH but the empty short form names its method (§3.15.2.2.2): mqttcodec
        // refuses one without, so generate only valid ones.
        if (cmd === 'auth') {
          p.properties = p.properties || {}
          if (p.properties.authenticationMethod === undefined) p.properties.authenticationMethod = str(1, 12)
        }
      }
      break
  }
  return p
}

// The same object with its properties (and the will's) in mqttcodec's order.
function inCodecOrder (p) {
  const reorder = (props, type) => {
    if (!props) return props
    const out = {}
    for (const n of common.PACKET_PROPERTIES[type]) if (props[n] !== undefined) out[n] = props[n]
    return out
  }
  const q = Object.assign({}, p)
  if (p.properties) q.properties = reorder(p.properties, p.cmd)
  if (p.will) q.will = Object.assign({}, p.will, { properties: reorder(p.will.properties, 'will') })
  return q
}

function varint (n) {
  const out = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return out
}

// The shortest form 5.0 allows for a PUBACK/PUBREC/PUBREL/PUBCOMP, DISCONNECT or AUTH: a Property
// Length of 0 at the end may be left out (§3.4.2.1, §3.14.2.1, §3.15.2.1), and then a Reason
// Code of 0 too (§3.4.2.1: "The Reason Code and Property Length can be omitted if the Reason
// Code is 0x00 (Success) and there are no Properties"). Returns null when nothing shortens.
function shortForm (buf) {
  const type = buf[0] >> 4
  const isAck = type >= 4 && type <= 7
  if (!isAck && type !== 14 && type !== 15) return null
  let i = 1
  let rl = 0
  let mul = 1
  for (;;) {
    const b = buf[i++]
    rl += (b & 0x7f) * mul
    mul *= 128
    if (!(b & 0x80)) break
  }
  let body = [...buf.subarray(i)]
  const head = isAck ? 2 : 0 // the packet id of an ack stays
  if (body.length !== rl) return null
  if (body.length === head + 2 && body[head + 1] === 0) body = body.slice(0, head + 1)
  if (body.length === head + 1 && body[head] === 0) body = body.slice(0, head)
  if (body.length === rl) return null
  return Buffer.from([buf[0], ...varint(body.length), ...body])
}

// Objects the spec allows that mqtt-packet 9.0.2 refuses to encode, documented in
// docs/interop-notes.md under the same name. `explains` gets the object and the exception.
const KNOWN_DIVERGENCES = [
  {
    // docs/interop-notes.md#password-without-username
    name: 'password-without-username',
    explains: (p, e) => p.cmd === 'connect' && p.protocolVersion === 5 && p.password !== undefined &&
      p.username === undefined && /Username is required to use password/.test(e.message)
  },
  {
    // docs/interop-notes.md#empty-client-id-without-clean-start
    name: 'empty-client-id-without-clean-start',
    explains: (p, e) => p.cmd === 'connect' && p.protocolVersion === 5 && p.clientId === '' &&
      !p.clean && /clientId must be given if cleanSession set to 0/.test(e.message)
  }
]

function generate (p, version) {
  try {
    return { bytes: mqtt.generate(p, { protocolVersion: version }), error: null }
  } catch (e) {
    return { bytes: null, error: e }
  }
}

const counts = {}
const exclusions = Object.fromEntries(KNOWN_DIVERGENCES.map(k => [k.name, 0]))
const categories = {}
const failures = []
const seenProperties = {}
let passed = 0

for (const version of [4, 5]) {
  const types = version === 5 ? TYPES : TYPES.slice(0, 14)
  const perType = (counts[version === 5 ? '5.0' : '3.1.1'] = {})
  const cases = []
  for (let i = 0; i < args.count; i++) {
    const p = makePacket(types[i % types.length], version)
    const { bytes: b, error } = generate(p, version)
    if (error) {
      const rule = KNOWN_DIVERGENCES.find(k => k.explains(p, error))
      if (rule) {
        exclusions[rule.name]++
        passed++
        perType[p.cmd] = (perType[p.cmd] || 0) + 1
      } else {
        failures.push(`v${version} ${p.cmd}: mqtt-packet refused to encode it: ${error.message}`)
      }
      continue
    }
    cases.push({ p, hex: b.toString('hex') })
  }
  const dumped = common.runDump(args.dump, version, cases.map(c => c.hex), true)
  cases.forEach(({ p, hex }, i) => {
    const d = dumped[i]
    const label = `v${version} ${p.cmd} ${hex.length > 160 ? hex.slice(0, 160) + '...' : hex}`
    perType[p.cmd] = (perType[p.cmd] || 0) + 1
    if (d.error) {
      failures.push(`${label}: mqttcodec rejected it: ${JSON.stringify(d)}`)
      return
    }
    const expected = common.fromJs(p, version, 'ordered')
    const got = common.fromDump(d, version, 'ordered')
    if (version === 5) common.noteProperties(seenProperties, got)
    if (!common.same(expected, got)) {
      failures.push(`${label}: fields differ: ${common.firstDifference(expected, got)}`)
      return
    }
    if (d.reencode_error || typeof d.reencoded !== 'string') {
      failures.push(`${label}: mqttcodec could not re-encode it: ${JSON.stringify(d.reencode_error)}`)
      return
    }
    // Which spec-permitted encoder choices account for the byte difference, if any.
    let category = null
    if (d.reencoded === hex) {
      category = 'identical'
    } else {
      // A short form needs an empty property block, so the two never combine.
      const ordered = generate(inCodecOrder(p), version).bytes
      const short = shortForm(Buffer.from(hex, 'hex'))
      if (ordered.toString('hex') === d.reencoded) {
        category = 'property order'
      } else if (short && short.toString('hex') === d.reencoded) {
        category = 'short form'
      }
    }
    if (category === null) {
      failures.push(`${label}: mqttcodec re-encodes it as ${d.reencoded}`)
      return
    }
    const key = `${category} (${p.cmd})`
    categories[key] = (categories[key] || 0) + 1
    passed++
  })
}

failures.push(...common.missingProperties(seenProperties))
console.log('reverse: byte comparison of mqttcodec re-encoding with mqtt-packet output, by category:')
for (const k of Object.keys(categories).sort()) console.log(`  ${k}: ${categories[k]}`)
process.exit(common.report(
  `reverse: mqtt-packet 9.0.2 encodes (seed ${args.seed}), mqttcodec decodes and re-encodes`,
  counts, exclusions, failures, passed))

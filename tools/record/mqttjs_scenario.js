'use strict'
// One MQTT.js scenario, run by tools/record/record.py through its recording
// proxy: node mqttjs_scenario.js PORT LEVEL USERNAME PASSWORD
// LEVEL is the MQTT protocol level: 3 (3.1), 4 (3.1.1) or 5 (5.0).
// Connects only to 127.0.0.1 and exits by itself (hard limit 30 s).

const mqtt = require('mqtt')

const [portArg, levelArg, username, password] = process.argv.slice(2)
const port = Number(portArg)
const level = Number(levelArg)
const v5 = level === 5
const base = `js/${level}`

const hardLimit = setTimeout(() => {
  console.error('mqttjs_scenario: time limit reached')
  process.exit(3)
}, 30000)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function connect (clientId, extra) {
  return mqtt.connectAsync({
    host: '127.0.0.1',
    port,
    protocolId: level === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: level,
    clientId,
    username,
    password,
    clean: true,
    keepalive: 2,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...extra
  })
}

// Resolves once `count` messages whose topic satisfies `pred` have arrived.
function collector (client) {
  const received = []
  const waiters = []
  client.on('message', (topic, payload, packet) => {
    received.push({ topic, payload: payload.toString(), packet })
    console.log(`received ${topic} "${payload}" qos=${packet.qos} retain=${packet.retain}`)
    for (const w of waiters.slice()) w()
  })
  return function waitFor (pred, count, ms = 5000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${count} messages`)), ms)
      const check = () => {
        if (received.filter(pred).length >= count) {
          clearTimeout(timer)
          waiters.splice(waiters.indexOf(check), 1)
          resolve()
        }
      }
      waiters.push(check)
      check()
    })
  }
}

async function main () {
  const sub = await connect(`js${level}-sub`, v5
    ? {
        properties: {
          sessionExpiryInterval: 10,
          receiveMaximum: 50,
          maximumPacketSize: 100000,
          topicAliasMaximum: 4,
          requestResponseInformation: true,
          requestProblemInformation: true,
          userProperties: { 'js-key': 'js-value', multi: ['one', 'two'] }
        }
      }
    : {})
  const waitFor = collector(sub)

  const will = {
    topic: `${base}/will`,
    payload: Buffer.from('publisher died'),
    qos: 1,
    retain: false
  }
  if (v5) {
    will.properties = {
      willDelayInterval: 0,
      payloadFormatIndicator: true,
      messageExpiryInterval: 120,
      contentType: 'text/plain',
      responseTopic: `${base}/will/response`,
      correlationData: Buffer.from('will-corr'),
      userProperties: { 'will-key': 'will-value' }
    }
  }
  const pub = await connect(`js${level}-pub`, { will })

  await pub.publishAsync(`${base}/retained`, 'retained value', { qos: 1, retain: true })

  const q2opts = v5 ? { qos: 2, nl: false, rap: true, rh: 0 } : { qos: 2 }
  const retOpts = v5 ? { qos: 1, rh: 1 } : { qos: 1 }
  await sub.subscribeAsync({
    [`${base}/q0`]: { qos: 0 },
    [`${base}/q1`]: { qos: 1 },
    [`${base}/q2`]: q2opts,
    [`${base}/retained`]: retOpts,
    [`${base}/will`]: { qos: 1 }
  }, v5 ? { properties: { subscriptionIdentifier: 42, userProperties: { 'sub-key': 'sub-value' } } } : {})
  if (v5) {
    // no local: the publisher does not get its own QoS 0 message back
    await pub.subscribeAsync(`${base}/q0`, { qos: 0, nl: true, rap: false, rh: 2 })
  }
  await waitFor((m) => m.topic === `${base}/retained`, 1)

  for (const qos of [0, 1, 2]) {
    const opts = { qos }
    if (v5) {
      opts.properties = {
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        contentType: 'text/plain',
        responseTopic: `${base}/response`,
        correlationData: Buffer.from(`corr-${qos}`),
        userProperties: { 'pub-key': 'pub-value', multi: ['a', 'b'] }
      }
    }
    await pub.publishAsync(`${base}/q${qos}`, `qos ${qos} payload`, opts)
  }
  if (v5) {
    // topic alias: set alias 1 with the topic, then use it with an empty topic
    await pub.publishAsync(`${base}/q1`, 'alias set', { qos: 1, properties: { topicAlias: 1 } })
    await pub.publishAsync('', 'alias used', { qos: 1, properties: { topicAlias: 1 } })
  }
  await waitFor((m) => /\/q[012]$/.test(m.topic), v5 ? 5 : 3)

  await sub.unsubscribeAsync([`${base}/q0`, `${base}/q1`],
    v5 ? { properties: { userProperties: { 'unsub-key': 'unsub-value' } } } : undefined)

  // idle for longer than the 2 s keep alive: PINGREQ / PINGRESP
  await sleep(3000)

  // clear the retained message, then drop the publisher without DISCONNECT
  await pub.publishAsync(`${base}/retained`, '', { qos: 0, retain: true })
  await sleep(200)
  pub.stream.destroy()
  await waitFor((m) => m.topic === `${base}/will`, 1)
  pub.end(true)

  await sub.endAsync(false, v5
    ? { reasonCode: 0, properties: { sessionExpiryInterval: 0, userProperties: { 'bye-key': 'bye-value' } } }
    : {})
}

main().then(() => {
  clearTimeout(hardLimit)
  process.exit(0)
}, (err) => {
  console.error('mqttjs_scenario failed:', err)
  process.exit(1)
})
